#pragma once
// The K7 as the benchmarks start it: a dtu-sim process whose ready file names its PTY and the host
// ports of its device ports.
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace dtu::bench {

/// `dtu-sim --profile k7` with a fresh state dir, --log-level error and one `--at` per entry of `at`.
/// paced: --baud-pacing on (115200 line time); off moves bytes at PTY speed. Failures throw
/// std::runtime_error (the process stopped, its directory removed).
class K7Process {
public:
    K7Process(const std::vector<std::string>& at, bool paced);
    ~K7Process();
    K7Process(const K7Process&) = delete;
    K7Process& operator=(const K7Process&) = delete;

    /// The serial port (PTY path).
    const std::string& serial() const { return serial_; }
    /// The host port of a device port named as in the ready file ("tcp/23"); throws if it is missing.
    int host_port(const std::string& device_port) const;

private:
    std::filesystem::path dir_;
    pid_t pid_ = -1;
    std::string ready_json_;
    std::string serial_;
};

} // namespace dtu::bench
