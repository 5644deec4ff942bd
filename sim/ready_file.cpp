#include "sim/ready_file.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <system_error>

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include "hal_sim/host_file.hpp"

namespace dtu::sim {
namespace {

std::string ready_json(const ReadyInfo& info) {
    QJsonObject json;
    json.insert("serial", QString::fromStdString(info.serial));
    if (!info.control.empty()) json.insert("control", QString::fromStdString(info.control));
    json.insert("pid", static_cast<qint64>(info.pid));
    QJsonObject ports;
    for (const auto& [key, at] : info.ports)
        ports.insert(QString::fromStdString(key), QString::fromStdString(at));
    json.insert("ports", ports);
    return (QJsonDocument(json).toJson(QJsonDocument::Compact) + '\n').toStdString();
}

/// The pid of a ready file's content, if it is one.
std::optional<qint64> ready_pid(const std::string& text) {
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(text));
    if (!doc.isObject() || !doc.object().value("serial").isString()) return std::nullopt;
    const qint64 pid = doc.object().value("pid").toInteger(0);
    return pid > 0 ? std::optional<qint64>(pid) : std::nullopt;
}

/// Our own pid counts as gone: in a container the same pid comes back at every start.
bool process_exists(qint64 pid) {
    if (pid == ::getpid()) return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

} // namespace

std::string ready_file_refusal(const std::filesystem::path& path) {
    const std::string prefix = "--ready-file " + path.string() + ": ";
    const std::string advice = "; remove it or choose another path";
    if (const std::string kind = hal_sim::host_file::not_replaceable(path); !kind.empty())
        return prefix + kind + advice;
    std::error_code ec;
    constexpr std::uintmax_t kLargestReadyFile = 4096; // a ready file is one short line
    if (std::filesystem::file_size(path, ec) > kLargestReadyFile && !ec)
        return prefix + "a file that is not a dtu-sim ready file is there" + advice;
    std::string error;
    const auto text = hal_sim::host_file::read_regular(path, error);
    if (!error.empty()) return prefix + error + advice;
    if (!text) return "";
    const auto pid = ready_pid(*text);
    if (!pid) return prefix + "a file that is not a dtu-sim ready file is there" + advice;
    if (process_exists(*pid))
        return prefix + "the ready file of process " + std::to_string(*pid) + ", which is still running" +
               advice;
    return ""; // left by a dtu-sim that died without removing it
}

bool write_ready_file(const std::filesystem::path& path, const ReadyInfo& info, std::string& error) {
    if (hal_sim::host_file::replace_atomically(path, ready_json(info), error)) return true;
    error = "cannot write ready file: " + error;
    return false;
}

void remove_ready_file(const std::filesystem::path& path, const ReadyInfo& info) {
    std::string ignored;
    if (hal_sim::host_file::read_regular(path, ignored) != ready_json(info)) return; // not ours any more
    std::error_code ec;
    std::filesystem::remove(path, ec);
}

} // namespace dtu::sim
