#pragma once
// A real mosquitto broker for tests (the simulator's own, sim/process/mosquitto_process.hpp), and
// mosquitto_sub / mosquitto_pub as peers.
//
//   MosquittoBroker broker;                                   // anonymous, one plain listener
//   MosquittoBroker broker({.allow_anonymous = false, .users = {{"dtu", "secret"}}});
//   MqttSubscriber sub(broker.port(), "/will");               // returns once SUBACK arrived
//   ASSERT_TRUE(sub.wait_for("/will offline"));               // "topic payload" lines
//   ASSERT_TRUE(mqtt_publish(broker.port(), "/SubTopic1", "hello"));
//   broker.stop(); ... broker.start();                        // broker down, then back, same ports
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "sim/process/mosquitto_process.hpp"
#include "sim_process.hpp"

namespace dtu::itest {

using BrokerListener = sim::process::MosquittoListener;
using BrokerOptions = sim::process::MosquittoOptions;
using MosquittoBroker = sim::process::MosquittoProcess;

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
