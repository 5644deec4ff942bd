#pragma once
// A child process (the mosquitto of real-time scenarios; dtu-sim, socat in tests): spawn, optional
// pipes, signal, wait with a timeout. The child gets only its standard streams: every other
// descriptor of the parent (the device's sockets, its PTY) is closed in it, so a child that
// outlives a connection never keeps it open.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dtu::sim::process {

/// How a child ended.
struct ExitStatus {
    int code = -1;  ///< exit code, when it exited
    int signal = 0; ///< terminating signal, when killed
    /// True if the child called exit(code).
    bool exited() const { return signal == 0; }
    /// "exit 0" or "signal 9", for test messages.
    std::string describe() const;
};

/// What to start and where its standard streams go.
struct SpawnOptions {
    std::vector<std::string> argv;     ///< argv[0] is looked up in PATH
    std::filesystem::path stdout_file; ///< empty: /dev/null (unless pipe_stdout)
    std::filesystem::path stderr_file; ///< empty: /dev/null
    bool pipe_stdin = false;           ///< stdin_fd() writes to the child
    bool pipe_stdout = false;          ///< stdout_fd() reads from the child
};

/// A spawned child; terminated (SIGTERM, then SIGKILL) on destruction if still running.
class ChildProcess {
public:
    /// Spawn; throws std::system_error if the program cannot be started.
    explicit ChildProcess(const SpawnOptions& options);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// Process id.
    pid_t pid() const { return pid_; }
    /// Reap it if it has exited; the exit status once it has.
    std::optional<ExitStatus> poll();
    /// Wait for exit up to timeout.
    std::optional<ExitStatus> wait(std::chrono::milliseconds timeout);
    /// Send a signal (ignored once reaped).
    void signal(int signo);
    /// SIGTERM, wait up to grace, then SIGKILL and wait. Returns how it ended.
    ExitStatus terminate(std::chrono::milliseconds grace = std::chrono::seconds(5));

    /// Write end of the child's stdin pipe, or -1.
    int stdin_fd() const { return stdin_fd_; }
    /// Read end of the child's stdout pipe, or -1.
    int stdout_fd() const { return stdout_fd_; }

private:
    pid_t pid_ = -1;
    std::optional<ExitStatus> status_;
    int stdin_fd_ = -1;
    int stdout_fd_ = -1;
};

/// Run a program (stdout and stderr discarded) until it exits, killed after timeout; true if it
/// exited 0.
bool run_to_end(std::vector<std::string> argv, std::chrono::milliseconds timeout);

} // namespace dtu::sim::process
