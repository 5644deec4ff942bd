#pragma once
// dtu-sim as a child process: temporary state dir and ready file, start, restart, stop.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "child_process.hpp"
#include "sim/process/process_files.hpp"

namespace dtu::itest {

/// The dtu-sim binary under test.
inline const char* sim_path() { return DTU_SIM_PATH; }

using sim::process::read_text;
using sim::process::TempDir;

/// A finished short run (--help, bad options).
struct RunResult {
    ExitStatus status;
    std::string out; ///< stdout
    std::string err; ///< stderr
};

/// Run dtu-sim with args until it exits (killed after timeout); capture its output.
RunResult run_sim(const std::vector<std::string>& args,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// A running dtu-sim with its own temporary state dir and ready file. Stopped on destruction.
class SimProcess {
public:
    /// extra_args are added after --state-dir, --ready-file and --baud-pacing off (e.g.
    /// {"--wait-serial"}; {"--baud-pacing", "on"} for a paced port).
    explicit SimProcess(std::vector<std::string> extra_args = {});
    ~SimProcess();
    SimProcess(const SimProcess&) = delete;
    SimProcess& operator=(const SimProcess&) = delete;

    /// Start and wait for the ready file (polled, up to timeout). Fails with its stderr if it dies.
    ::testing::AssertionResult start(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /// Stop (SIGTERM) and start again with the same state dir.
    ::testing::AssertionResult restart();
    /// SIGTERM, then SIGKILL after grace; how it ended.
    ExitStatus stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
    /// Send a signal to the running simulator.
    void signal(int signo);
    /// Wait for the simulator to exit on its own.
    std::optional<ExitStatus> wait_exit(std::chrono::milliseconds timeout);

    /// Serial port from the ready file.
    const std::string& serial() const { return serial_; }
    /// "control" from the ready file (the control API's URL), empty without --control.
    const std::string& control() const { return control_; }
    /// "pid" from the ready file.
    long long ready_pid() const { return ready_pid_; }
    /// The host port the device's listener for key ("tcp/23", "udp/1901") is bound at, read from the
    /// ready file as it is now (it is rewritten when the device's listeners move), waiting up to
    /// timeout for the key to appear; 0 if it does not.
    std::uint16_t port(const std::string& key,
                       std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;
    /// Process id of the child.
    pid_t pid() const { return child_ ? child_->pid() : -1; }
    /// Scratch directory holding state/, ready.json and the output logs.
    const std::filesystem::path& dir() const { return dir_.path(); }
    /// The --state-dir given to the simulator.
    std::filesystem::path state_dir() const { return dir() / "state"; }
    /// The --ready-file given to the simulator.
    std::filesystem::path ready_file() const { return dir() / "ready.json"; }
    /// stdout of the current (or last) run.
    std::string out() const;
    /// stderr of the current (or last) run.
    std::string err() const;

private:
    ::testing::AssertionResult parse_ready();

    TempDir dir_;
    std::vector<std::string> extra_args_;
    std::unique_ptr<ChildProcess> child_;
    int runs_ = 0;
    std::string serial_;
    std::string control_;
    long long ready_pid_ = 0;
};

} // namespace dtu::itest
