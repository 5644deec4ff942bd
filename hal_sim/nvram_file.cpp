#include "hal_sim/nvram_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <utility>

#include <QByteArray>
#include <QFile>
#include <QSaveFile>
#include <QString>

namespace dtu::hal_sim {
namespace {

QString to_qstring(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

/// Make the rename itself durable (power loss, not just kill -9). Qt has no call for this.
void sync_directory(const std::filesystem::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

} // namespace

NvramFile::NvramFile(std::filesystem::path state_dir, hal::Log& log)
    : dir_(std::move(state_dir)), path_(dir_ / kFileName), log_(log) {}

bool NvramFile::load(std::string& out) {
    QFile file(to_qstring(path_));
    if (!file.exists()) return false;
    if (!file.open(QIODevice::ReadOnly)) {
        log_.write(hal::LogLevel::Warn,
                   "cannot read " + path_.string() + ": " + file.errorString().toStdString());
        return false;
    }
    const QByteArray data = file.readAll();
    out.assign(data.constData(), static_cast<std::size_t>(data.size()));
    return true;
}

bool NvramFile::commit(std::string_view blob) {
    // QSaveFile writes "<name>.XXXXXX" next to the target, fsyncs it and renames it over the target
    // in commit(); until then the old file is untouched, whatever happens to the process.
    QSaveFile file(to_qstring(path_));
    if (!file.open(QIODevice::WriteOnly)) return fail(file.errorString().toStdString());
    const auto size = static_cast<qint64>(blob.size());
    if (file.write(blob.data(), size) != size) {
        const std::string why = file.errorString().toStdString();
        file.cancelWriting();
        return fail(why);
    }
    if (!file.commit()) return fail(file.errorString().toStdString());
    sync_directory(dir_);
    ++commits_;
    return true;
}

bool NvramFile::fail(const std::string& why) {
    ++failed_commits_;
    log_.write(hal::LogLevel::Error, "NVRAM commit to " + path_.string() + " failed: " + why);
    return false;
}

} // namespace dtu::hal_sim
