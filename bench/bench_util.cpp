#include "bench_util.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <thread>
#include <unistd.h>

namespace dtu::bench {

double micros_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

double percentile(std::vector<double> samples, double p) {
    if (samples.empty()) return 0;
    std::sort(samples.begin(), samples.end());
    const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(samples.size() - 1) + 0.5);
    return samples[std::min(rank, samples.size() - 1)];
}

void parse_counts(int argc, char** argv, std::initializer_list<CountOption> options,
                  std::string_view program) {
    const auto usage = [&](const std::string& why) {
        std::string names;
        for (const auto& o : options)
            names += std::string(names.empty() ? "" : " ") + "[" + std::string(o.name) + " N]";
        std::fprintf(stderr, "%.*s: %s\nusage: %.*s %s\n", static_cast<int>(program.size()), program.data(),
                     why.c_str(), static_cast<int>(program.size()), program.data(), names.c_str());
        std::exit(1);
    };
    for (int i = 1; i < argc; i += 2) {
        const std::string_view name = argv[i];
        const CountOption* found = nullptr;
        for (const auto& o : options)
            if (o.name == name) found = &o;
        if (!found) usage("unknown option " + std::string(name));
        if (i + 1 >= argc) usage(std::string(name) + " has no value");
        char* end = nullptr;
        const long v = std::strtol(argv[i + 1], &end, 10);
        if (*end != '\0' || v < 1 || v > 1000000000) usage(std::string(name) + " wants a count >= 1");
        *found->value = static_cast<int>(v);
    }
}

pid_t spawn(const std::vector<std::string>& argv, bool quiet) {
    const pid_t pid = fork();
    if (pid == 0) {
        if (quiet) {
            const int null = open("/dev/null", O_WRONLY);
            dup2(null, 1);
            dup2(null, 2);
        }
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    return pid;
}

void stop(pid_t pid) {
    if (pid <= 0) return; // kill(-1) would signal every process of the user
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
}

bool wait_for_file(const std::string& path, double timeout_s) {
    const auto t0 = Clock::now();
    struct stat st {};
    while (stat(path.c_str(), &st) != 0) {
        if (micros_since(t0) > timeout_s * 1e6) return false;
        std::this_thread::yield();
    }
    return true;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string json_string(const std::string& json, std::string_view key) {
    const std::string needle = "\"" + std::string(key) + "\"";
    auto pos = json.find(needle);
    if (pos == std::string::npos) return {};
    pos = json.find('"', json.find(':', pos) + 1);
    return json.substr(pos + 1, json.find('"', pos + 1) - pos - 1);
}

Port::Port(const std::string& path) {
    fd_ = open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (fd_ < 0) throw std::runtime_error("cannot open " + path);
    termios t{};
    tcgetattr(fd_, &t);
    cfmakeraw(&t);
    tcsetattr(fd_, TCSANOW, &t);
}

Port::~Port() {
    if (fd_ >= 0) close(fd_);
}

void Port::write(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
        if (n > 0)
            bytes.remove_prefix(static_cast<std::size_t>(n));
        else if (errno == EAGAIN) {
            pollfd p{fd_, POLLOUT, 0};
            poll(&p, 1, 100);
        } else if (errno != EINTR)
            throw std::runtime_error("write failed");
    }
}

bool Port::read_until(std::string_view suffix, double timeout_s, std::string* got) {
    std::string buf;
    const auto t0 = Clock::now();
    for (;;) {
        if (buf.size() >= suffix.size() &&
            buf.compare(buf.size() - suffix.size(), suffix.size(), suffix) == 0) {
            if (got) *got = buf;
            return true;
        }
        const double left_ms = timeout_s * 1e3 - micros_since(t0) / 1e3;
        if (left_ms <= 0) break;
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left_ms) + 1) <= 0) continue;
        char tmp[4096];
        const ssize_t n = ::read(fd_, tmp, sizeof tmp);
        if (n > 0) buf.append(tmp, static_cast<std::size_t>(n));
    }
    if (got) *got = buf;
    return false;
}

void Port::drain(double quiet_s) {
    std::string ignored;
    read_until("\x01\x02\x03-never", quiet_s, &ignored);
}

} // namespace dtu::bench
