#pragma once
// A mosquitto broker process (Debian's mosquitto 2.0) on free 127.0.0.1 ports: the broker of
// real-time scenarios (sim/scenario/mosquitto_broker.hpp) and of the integration tests.
//
//   MosquittoProcess broker;                                  // anonymous, one plain listener
//   MosquittoProcess broker({.allow_anonymous = false, .users = {{"dtu", "secret"}}});
//   MosquittoOptions tls;                                     // a TLS listener (files in PEM)
//   tls.listeners = {{.tls = true, .cafile = ca, .certfile = crt, .keyfile = key,
//                     .require_certificate = true}};
//   broker.stop(); ... broker.start();                        // broker down, then back, same ports
//
// The broker writes its config to a temporary directory (removed on destruction) and listens on
// free 127.0.0.1 ports (picked by binding port 0; a first start that loses the race for a port is
// retried on new ports; a restart keeps its ports). start() returns once every listener accepts
// TCP connections (a condition, not a sleep) and throws (with the broker's log) if it cannot get
// there. Stopped (SIGTERM, then SIGKILL) and reaped on destruction.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/process/child_process.hpp"
#include "sim/process/process_files.hpp"

namespace dtu::sim::process {

/// One `listener` block of mosquitto.conf.
struct MosquittoListener {
    std::uint16_t port = 0; ///< 0: a free port, chosen at the first start and kept across restarts
    bool tls = false;
    std::filesystem::path cafile;     ///< TLS: CA that client certificates must chain to (and clients use)
    std::filesystem::path certfile;   ///< TLS: the broker's certificate
    std::filesystem::path keyfile;    ///< TLS: its key
    bool require_certificate = false; ///< TLS: mutual authentication
    std::string tls_version;          ///< TLS: e.g. "tlsv1.2"; empty: mosquitto's default
    std::string extra;                ///< more lines for this listener, verbatim
};

struct MosquittoOptions {
    bool allow_anonymous = true;
    std::vector<std::pair<std::string, std::string>> users; ///< user, password (a password_file)
    std::vector<MosquittoListener> listeners{MosquittoListener{}};
    std::string extra; ///< more global lines, verbatim (e.g. "max_keepalive 60")
    /// Sessions and retained messages saved at stop() and restored at start() (mosquitto.db in
    /// dir()), so a restart keeps them; false: every start is a fresh broker.
    bool persistence = false;
};

class MosquittoProcess {
public:
    /// Writes the config and starts the broker (see start()).
    explicit MosquittoProcess(MosquittoOptions options = {});
    ~MosquittoProcess();
    MosquittoProcess(const MosquittoProcess&) = delete;
    MosquittoProcess& operator=(const MosquittoProcess&) = delete;

    /// Port of listener i.
    std::uint16_t port(std::size_t i = 0) const { return options_.listeners.at(i).port; }
    /// Start (again, on the same ports) and wait until every listener accepts connections.
    void start(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /// SIGTERM and wait: the broker is down, its ports refuse connections.
    void stop();
    /// SIGKILL: the broker dies without closing its connections gracefully.
    void kill();
    bool running();
    /// The process while it runs (or has not been reaped), else -1.
    pid_t pid() const { return process_ ? process_->pid() : -1; }
    /// The broker's log (its stderr and log_dest), for failure messages.
    std::string log() const;
    /// Where the broker writes its log lines (log_type all), kept across restarts.
    std::filesystem::path log_file() const { return dir() / "broker.log"; }
    const std::filesystem::path& dir() const { return dir_.path(); }

private:
    void write_files();
    bool try_start(std::chrono::milliseconds timeout);

    MosquittoOptions options_;
    TempDir dir_{"dtu-sim-mosquitto"};
    std::unique_ptr<ChildProcess> process_;
    bool fixed_ports_ = false; ///< ports were chosen (kept for restarts)
};

} // namespace dtu::sim::process
