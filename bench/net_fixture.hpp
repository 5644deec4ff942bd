#pragma once
// The two things measured side by side: a configured dtu-sim process and a plain socat relay, each
// a serial port (PTY) whose bytes reach a loopback server of the benchmark.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

#include "bench_util.hpp"

namespace dtu::bench {

/// dtu-sim with a fresh state dir and the control API, configured in command mode by `at`
/// (each answered OK), then saved and restarted with AT+S. paced: --baud-pacing on (the issue-3 rows
/// were measured unpaced, at PTY speed).
class Device {
public:
    Device(const std::vector<std::string>& at, std::uint64_t seed, bool paced = false);
    ~Device();
    Device(const Device&) = delete;
    Device& operator=(const Device&) = delete;

    Port& port() { return *port_; }
    /// GET /api/v1/status.
    std::string status() const;
    /// PUT /api/v1/link with a (partial) link object.
    void put_link(const std::string& json) const;
    /// Wait until socket A is "connected" (the device's side, after the server accepted); exit if not.
    void wait_socket_a_connected() const;

private:
    std::filesystem::path dir_;
    pid_t pid_ = -1;
    std::string control_;
    std::unique_ptr<Port> port_;
};

/// The reference: `socat PTY,raw,echo=0,link=L TCP:127.0.0.1:port`.
class SocatRelay {
public:
    explicit SocatRelay(int port);
    ~SocatRelay();
    SocatRelay(const SocatRelay&) = delete;
    SocatRelay& operator=(const SocatRelay&) = delete;

    Port& port() { return *port_; }

private:
    std::filesystem::path dir_;
    pid_t pid_ = -1;
    std::unique_ptr<Port> port_;
};

/// A fresh directory under /tmp.
std::filesystem::path scratch_dir();

} // namespace dtu::bench
