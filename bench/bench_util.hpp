#pragma once
// Small POSIX helpers for the benchmark: processes, PTYs, timing, percentiles.
#include <chrono>
#include <initializer_list>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace dtu::bench {

using Clock = std::chrono::steady_clock;

/// Microseconds since t0.
double micros_since(Clock::time_point t0);

/// p-th percentile (0..100) of samples (sorted copy, nearest rank).
double percentile(std::vector<double> samples, double p);

/// One "--name N" command-line option of a benchmark: a count, at least 1.
struct CountOption {
    std::string_view name; ///< with its dashes
    int* value;
};
/// Parse argv[1..] as "--name N" pairs into options; exits with the usage (program's name and every
/// option's) on an unknown name, a missing value or a count below 1.
void parse_counts(int argc, char** argv, std::initializer_list<CountOption> options,
                  std::string_view program);

/// fork+exec argv; returns the pid.
pid_t spawn(const std::vector<std::string>& argv, bool quiet);
/// SIGTERM then wait; nothing for pid <= 0 (never spawned).
void stop(pid_t pid);

/// Wait until path exists (busy poll, 50 us steps) or timeout; false on timeout.
bool wait_for_file(const std::string& path, double timeout_s);
/// Read a whole file.
std::string slurp(const std::string& path);
/// The value of "key": "..." in a flat JSON object (enough for the ready file).
std::string json_string(const std::string& json, std::string_view key);

/// An open serial port (raw).
class Port {
public:
    explicit Port(const std::string& path);
    ~Port();
    /// Write everything (waits in poll() while the PTY is full).
    void write(std::string_view bytes);
    /// Read until the accumulated input ends with suffix; false on timeout.
    bool read_until(std::string_view suffix, double timeout_s, std::string* got = nullptr);
    /// Discard input that arrives within quiet_s.
    void drain(double quiet_s);
    int fd() const { return fd_; }

private:
    int fd_ = -1;
};

} // namespace dtu::bench
