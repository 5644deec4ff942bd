#pragma once
// A real mosquitto broker for tests, and mosquitto_sub / mosquitto_pub as peers.
//
//   MosquittoBroker broker;                                   // anonymous, one plain listener
//   MosquittoBroker broker({.allow_anonymous = false, .users = {{"dtu", "secret"}}});
//   BrokerOptions tls;                                        // a TLS listener (files in PEM)
//   tls.listeners = {{.tls = true, .cafile = ca, .certfile = crt, .keyfile = key,
//                     .require_certificate = true}};
//   MqttSubscriber sub(broker.port(), "/will");               // returns once SUBACK arrived
//   ASSERT_TRUE(sub.wait_for("/will offline"));               // "topic payload" lines
//   ASSERT_TRUE(mqtt_publish(broker.port(), "/SubTopic1", "hello"));
//   broker.stop(); ... broker.start();                        // broker down, then back, same ports
//
// The broker writes its config to a temporary directory and listens on free 127.0.0.1 ports
// (picked by binding port 0; a start that loses the race for a port is retried on new ports).
// start() returns once every listener accepts TCP connections (a condition, not a sleep) and
// throws (with the broker's log) if it cannot get there. Stopped (SIGTERM) on destruction.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "child_process.hpp"
#include "sim_process.hpp"

namespace dtu::itest {

/// One `listener` block of mosquitto.conf.
struct BrokerListener {
    std::uint16_t port = 0; ///< 0: a free port, chosen at the first start and kept across restarts
    bool tls = false;
    std::filesystem::path cafile;     ///< TLS: CA that client certificates must chain to (and clients use)
    std::filesystem::path certfile;   ///< TLS: the broker's certificate
    std::filesystem::path keyfile;    ///< TLS: its key
    bool require_certificate = false; ///< TLS: mutual authentication
    std::string tls_version;          ///< TLS: e.g. "tlsv1.2"; empty: mosquitto's default
    std::string extra;                ///< more lines for this listener, verbatim
};

struct BrokerOptions {
    bool allow_anonymous = true;
    std::vector<std::pair<std::string, std::string>> users; ///< user, password (a password_file)
    std::vector<BrokerListener> listeners{BrokerListener{}};
    std::string extra; ///< more global lines, verbatim (e.g. "max_keepalive 60")
};

class MosquittoBroker {
public:
    /// Writes the config and starts the broker (see start()).
    explicit MosquittoBroker(BrokerOptions options = {});
    ~MosquittoBroker();
    MosquittoBroker(const MosquittoBroker&) = delete;
    MosquittoBroker& operator=(const MosquittoBroker&) = delete;

    /// Port of listener i.
    std::uint16_t port(std::size_t i = 0) const { return options_.listeners.at(i).port; }
    /// Start (again, on the same ports) and wait until every listener accepts connections.
    void start(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /// SIGTERM and wait: the broker is down, its ports refuse connections.
    void stop();
    /// SIGKILL: the broker dies without closing its connections gracefully.
    void kill();
    bool running();
    /// The broker's log (its stderr and log_dest), for failure messages.
    std::string log() const;
    const std::filesystem::path& dir() const { return dir_.path(); }

private:
    void write_files();
    bool try_start(std::chrono::milliseconds timeout);

    BrokerOptions options_;
    TempDir dir_;
    std::unique_ptr<ChildProcess> process_;
    bool fixed_ports_ = false; ///< ports were chosen (kept for restarts)
};

/// mosquitto_sub on topic: returns from the constructor once the broker acknowledged the
/// subscription. Messages are collected as "topic payload" lines (-v).
class MqttSubscriber {
public:
    MqttSubscriber(std::uint16_t port, const std::string& topic, int qos = 0,
                   std::vector<std::string> extra_args = {});
    ~MqttSubscriber();
    MqttSubscriber(const MqttSubscriber&) = delete;
    MqttSubscriber& operator=(const MqttSubscriber&) = delete;

    /// Wait until a received line equals line.
    bool wait_for(const std::string& line, std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /// Whether line has been received (no waiting: for tests that drive an io_context meanwhile).
    bool has(const std::string& line) const;
    /// Every message line received so far.
    std::vector<std::string> lines() const;

private:
    TempDir dir_;
    std::filesystem::path out_;
    std::unique_ptr<ChildProcess> process_;
};

/// mosquitto_pub: one message (payload from a file, so any bytes and any size); true if it exited 0.
bool mqtt_publish(std::uint16_t port, const std::string& topic, const std::string& payload, int qos = 0,
                  bool retain = false, std::vector<std::string> extra_args = {});

} // namespace dtu::itest
