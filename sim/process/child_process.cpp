#include "sim/process/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "sim/process/wait_until.hpp"

extern char** environ;

namespace dtu::sim::process {
namespace {

/// posix_spawn file actions and attributes, released on every path.
struct SpawnSetup {
    posix_spawn_file_actions_t actions{};
    posix_spawnattr_t attr{};
    SpawnSetup() {
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_init(&attr);
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;

    void redirect(int fd, const std::filesystem::path& file, int flags) {
        const std::string path = file.empty() ? "/dev/null" : file.string();
        posix_spawn_file_actions_addopen(&actions, fd, path.c_str(), flags, 0644);
    }
};

/// A pipe whose ends are close-on-exec (dup2 into 0/1 clears that flag for the child's copy).
void make_pipe(int fds[2]) {
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
}

ExitStatus decode(int status) {
    ExitStatus s;
    if (WIFEXITED(status)) s.code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) s.signal = WTERMSIG(status);
    return s;
}

} // namespace

std::string ExitStatus::describe() const {
    return exited() ? "exit " + std::to_string(code) : "signal " + std::to_string(signal);
}

ChildProcess::ChildProcess(const SpawnOptions& options) {
    SpawnSetup setup;
    // The child starts with default signal handling whatever the test runner changed.
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int s : {SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGCHLD})
        sigaddset(&defaults, s);
    sigset_t empty;
    sigemptyset(&empty);
    posix_spawnattr_setsigdefault(&setup.attr, &defaults);
    posix_spawnattr_setsigmask(&setup.attr, &empty);
    posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    int in[2] = {-1, -1};
    int out[2] = {-1, -1};
    if (options.pipe_stdin) {
        make_pipe(in);
        posix_spawn_file_actions_adddup2(&setup.actions, in[0], 0);
    } else {
        setup.redirect(0, {}, O_RDONLY);
    }
    if (options.pipe_stdout) {
        make_pipe(out);
        posix_spawn_file_actions_adddup2(&setup.actions, out[1], 1);
    } else {
        setup.redirect(1, options.stdout_file, O_WRONLY | O_CREAT | O_TRUNC);
    }
    setup.redirect(2, options.stderr_file, O_WRONLY | O_CREAT | O_TRUNC);
    posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3); // glibc 2.34

    std::vector<char*> argv;
    for (const std::string& a : options.argv)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const int rc = ::posix_spawnp(&pid_, argv[0], &setup.actions, &setup.attr, argv.data(), environ);
    for (int fd : {in[0], out[1]})
        if (fd >= 0) ::close(fd);
    stdin_fd_ = in[1];
    stdout_fd_ = out[0];
    if (rc != 0) {
        pid_ = -1;
        for (int fd : {stdin_fd_, stdout_fd_})
            if (fd >= 0) ::close(fd);
        throw std::system_error(rc, std::generic_category(), "posix_spawnp " + options.argv.at(0));
    }
}

ChildProcess::~ChildProcess() {
    if (pid_ > 0 && !status_) terminate(std::chrono::seconds(2));
    for (int fd : {stdin_fd_, stdout_fd_})
        if (fd >= 0) ::close(fd);
}

std::optional<ExitStatus> ChildProcess::poll() {
    if (status_ || pid_ <= 0) return status_;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) status_ = decode(status);
    return status_;
}

std::optional<ExitStatus> ChildProcess::wait(std::chrono::milliseconds timeout) {
    wait_until([this] { return poll().has_value(); }, timeout);
    return status_;
}

void ChildProcess::signal(int signo) {
    if (pid_ > 0 && !poll()) ::kill(pid_, signo);
}

ExitStatus ChildProcess::terminate(std::chrono::milliseconds grace) {
    signal(SIGTERM);
    if (auto s = wait(grace)) return *s;
    signal(SIGKILL);
    if (auto s = wait(std::chrono::seconds(5))) return *s;
    return ExitStatus{};
}

bool run_to_end(std::vector<std::string> argv, std::chrono::milliseconds timeout) {
    ChildProcess p(SpawnOptions{std::move(argv), {}, {}});
    const auto status = p.wait(timeout);
    return status && status->exited() && status->code == 0;
}

} // namespace dtu::sim::process
