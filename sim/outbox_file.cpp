#include "sim/outbox_file.hpp"

#include <QJsonDocument>

#include "sim/sms_json.hpp"

namespace dtu::sim {

bool OutboxFile::open(const std::filesystem::path& path, std::string& error) {
    file_.setFileName(QString::fromStdString(path.string()));
    if (file_.open(QIODevice::WriteOnly | QIODevice::Append)) return true;
    error = "--sms-outbox: cannot open " + path.string() + ": " + file_.errorString().toStdString();
    return false;
}

bool OutboxFile::append(const hal_sim::SentMessage& message) {
    const QByteArray line =
        QJsonDocument(sent_message_to_json(message)).toJson(QJsonDocument::Compact) + '\n';
    return file_.write(line) == line.size() && file_.flush();
}

} // namespace dtu::sim
