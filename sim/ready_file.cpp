#include "sim/ready_file.hpp"

#include <system_error>

#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QString>

namespace dtu::sim {

bool write_ready_file(const std::filesystem::path& path, const ReadyInfo& info, std::string& error) {
    QJsonObject json;
    json.insert("serial", QString::fromStdString(info.serial));
    if (!info.control.empty()) json.insert("control", QString::fromStdString(info.control));
    json.insert("pid", static_cast<qint64>(info.pid));
    const QByteArray bytes = QJsonDocument(json).toJson(QJsonDocument::Compact) + '\n';

    QSaveFile file(QString::fromStdString(path.string()));
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        error = "cannot write ready file " + path.string() + ": " + file.errorString().toStdString();
        return false;
    }
    return true;
}

void remove_ready_file(const std::filesystem::path& path) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
}

} // namespace dtu::sim
