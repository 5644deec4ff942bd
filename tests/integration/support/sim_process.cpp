#include "sim_process.hpp"

#include <stdlib.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "wait.hpp"

namespace dtu::itest {

RunResult run_sim(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
    TempDir dir;
    SpawnOptions spawn;
    spawn.argv = {sim_path()};
    spawn.argv.insert(spawn.argv.end(), args.begin(), args.end());
    spawn.stdout_file = dir.path() / "stdout";
    spawn.stderr_file = dir.path() / "stderr";
    ChildProcess child(spawn);
    RunResult result;
    if (auto s = child.wait(timeout))
        result.status = *s;
    else
        result.status = child.terminate();
    result.out = read_text(spawn.stdout_file);
    result.err = read_text(spawn.stderr_file);
    return result;
}

SimProcess::SimProcess(std::vector<std::string> extra_args) : extra_args_(std::move(extra_args)) {}

SimProcess::~SimProcess() { stop(); }

::testing::AssertionResult SimProcess::start(std::chrono::milliseconds timeout) {
    ++runs_;
    SpawnOptions spawn;
    // Unpaced unless a test asks for pacing (a later --baud-pacing on wins): the tests below were
    // written for bytes at PTY speed (floods of megabytes); pacing has its own tests.
    spawn.argv = {sim_path(),      "--state-dir", state_dir().string(), "--ready-file", ready_file().string(),
                  "--baud-pacing", "off"};
    spawn.argv.insert(spawn.argv.end(), extra_args_.begin(), extra_args_.end());
    spawn.stdout_file = dir() / ("stdout." + std::to_string(runs_));
    spawn.stderr_file = dir() / ("stderr." + std::to_string(runs_));
    std::error_code ignored;
    std::filesystem::remove(ready_file(), ignored);
    child_ = std::make_unique<ChildProcess>(spawn);

    std::optional<ExitStatus> died;
    const bool ready = wait_until(
        [&] {
            died = child_->poll();
            return died || std::filesystem::exists(ready_file());
        },
        timeout);
    if (died)
        return ::testing::AssertionFailure()
               << "dtu-sim exited (" << died->describe() << ") before ready; stderr:\n"
               << err();
    if (!ready)
        return ::testing::AssertionFailure() << "no ready file after " << timeout.count() << " ms; stderr:\n"
                                             << err();
    return parse_ready();
}

::testing::AssertionResult SimProcess::parse_ready() {
    const std::string text = read_text(ready_file());
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(text), &error);
    if (!doc.isObject())
        return ::testing::AssertionFailure()
               << "ready file is not a JSON object (" << error.errorString().toStdString() << "): " << text;
    const QJsonObject json = doc.object();
    serial_ = json.value("serial").toString().toStdString();
    control_ = json.value("control").toString().toStdString();
    ready_pid_ = json.value("pid").toInteger(-1);
    if (serial_.empty() || ready_pid_ <= 0)
        return ::testing::AssertionFailure() << "ready file lacks serial or pid: " << text;
    return ::testing::AssertionSuccess();
}

std::uint16_t SimProcess::port(const std::string& key, std::chrono::milliseconds timeout) const {
    std::uint16_t found = 0;
    wait_until(
        [&] {
            const QJsonDocument doc =
                QJsonDocument::fromJson(QByteArray::fromStdString(read_text(ready_file())));
            const QString at =
                doc.object().value("ports").toObject().value(QString::fromStdString(key)).toString();
            const qsizetype colon = at.lastIndexOf(':');
            found = colon < 0 ? 0 : static_cast<std::uint16_t>(at.mid(colon + 1).toUInt());
            return found != 0;
        },
        timeout);
    return found;
}

::testing::AssertionResult SimProcess::restart() {
    const ExitStatus s = stop();
    if (!s.exited() || s.code != 0)
        return ::testing::AssertionFailure() << "dtu-sim did not stop cleanly: " << s.describe();
    return start();
}

ExitStatus SimProcess::stop(std::chrono::milliseconds grace) {
    if (!child_) return ExitStatus{};
    if (auto s = child_->poll()) return *s;
    return child_->terminate(grace);
}

void SimProcess::signal(int signo) {
    if (child_) child_->signal(signo);
}

std::optional<ExitStatus> SimProcess::wait_exit(std::chrono::milliseconds timeout) {
    return child_ ? child_->wait(timeout) : std::nullopt;
}

std::string SimProcess::out() const { return read_text(dir() / ("stdout." + std::to_string(runs_))); }

std::string SimProcess::err() const { return read_text(dir() / ("stderr." + std::to_string(runs_))); }

} // namespace dtu::itest
