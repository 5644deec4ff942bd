#include "sim/outbox_file.hpp"

#include <QJsonDocument>

#include "hal_sim/host_file.hpp"
#include "sim/sms_json.hpp"

namespace dtu::sim {

std::string OutboxFile::refusal(const std::filesystem::path& path) {
    const std::string kind = hal_sim::host_file::not_replaceable(path);
    if (kind.empty()) return "";
    return "--sms-outbox " + path.string() + ": " + kind + "; remove it or choose another path";
}

bool OutboxFile::open(const std::filesystem::path& path, std::string& error) {
    // Appended to (a log the user may keep across runs), but never through a symlink at path.
    std::string why;
    hal_sim::host_file::Fd fd =
        hal_sim::host_file::open_for_writing(path, hal_sim::host_file::Existing::Append, why);
    if (fd.valid() &&
        file_.open(fd.get(), QIODevice::WriteOnly | QIODevice::Append, QFileDevice::AutoCloseHandle)) {
        fd.release();
        return true;
    }
    error = "--sms-outbox: " + (fd.valid() ? path.string() + ": " + file_.errorString().toStdString() : why);
    return false;
}

bool OutboxFile::append(const hal_sim::SentMessage& message) {
    const QByteArray line =
        QJsonDocument(sent_message_to_json(message)).toJson(QJsonDocument::Compact) + '\n';
    return file_.write(line) == line.size() && file_.flush();
}

} // namespace dtu::sim
