#pragma once
// Driving hal_sim::MosquittoMqtt directly, as hal_net_test drives AsioNet: the service, its relay
// and the device's AsioNet on the test's io_context, which runs in slices until a condition holds.
// Peers: a real mosquitto broker (support/mosquitto_broker.hpp), mosquitto_sub / mosquitto_pub, and
// hand-made hostile servers (net_peers.hpp).
#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "hal_sim/asio_net.hpp"
#include "hal_sim/asio_scheduler.hpp"
#include "hal_sim/host_log.hpp"
#include "hal_sim/link_impairment.hpp"
#include "hal_sim/mosquitto_mqtt.hpp"
#include "mosquitto_broker.hpp"
#include "run_io.hpp"

namespace dtu::itest {

using namespace std::chrono_literals;

/// Records every MQTT event; fails the test if one arrives inside an Mqtt call.
struct MqttEvents final : hal::MqttListener {
    enum class Kind { Connected, Failed, Closed, Message };
    struct Ev {
        Kind kind;
        hal::MqttError why = hal::MqttError::None;
        int connack = 0;
        std::string topic = {};
        std::string payload = {};
    };
    std::vector<Ev> log;
    bool inside_call = false;

    void on_mqtt_connected() override { push({Kind::Connected}); }
    void on_mqtt_connect_failed(hal::MqttError why, int code) override { push({Kind::Failed, why, code}); }
    void on_mqtt_closed(hal::MqttError why) override { push({Kind::Closed, why}); }
    void on_mqtt_message(std::string_view topic, std::string_view payload) override {
        push({Kind::Message, hal::MqttError::None, 0, std::string(topic), std::string(payload)});
    }

    std::size_t count(Kind k) const {
        return static_cast<std::size_t>(
            std::count_if(log.begin(), log.end(), [&](const Ev& e) { return e.kind == k; }));
    }
    std::optional<Ev> last(Kind k) const {
        for (auto it = log.rbegin(); it != log.rend(); ++it)
            if (it->kind == k) return *it;
        return std::nullopt;
    }
    bool got_message(const std::string& topic, const std::string& payload) const {
        return std::any_of(log.begin(), log.end(), [&](const Ev& e) {
            return e.kind == Kind::Message && e.topic == topic && e.payload == payload;
        });
    }

private:
    void push(Ev e) {
        if (inside_call) ADD_FAILURE() << "an MQTT event was delivered inside an Mqtt call";
        log.push_back(std::move(e));
    }
};

using MKind = MqttEvents::Kind;

/// What connect() sends; strings owned here (MqttConnect holds views).
struct ConnectSpec {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::string client_id = "dtu-test";
    std::string username, password;
    std::uint8_t level = 4;
    std::uint16_t keepalive = 60;
    bool clean = true;
    std::optional<std::string> will_topic;
    std::string will_payload = "offline";
    std::uint8_t will_qos = 0;
};

class MqttHarness : public ::testing::Test {
protected:
    explicit MqttHarness(hal_sim::MqttServiceOptions options = {}) { make(options); }
    ~MqttHarness() override {
        mqtt.reset();
        net.reset();
    }

    void make(hal_sim::MqttServiceOptions options) {
        mqtt.reset();
        net.reset();
        net.emplace(io, scheduler, link, log);
        mqtt.emplace(io, *net, log, options);
        mqtt->set_listener(&ev);
    }

    struct InCall {
        explicit InCall(MqttEvents& e) : ev(e) { ev.inside_call = true; }
        ~InCall() { ev.inside_call = false; }
        MqttEvents& ev;
    };

    void connect(const ConnectSpec& s) {
        const std::string will_topic = s.will_topic.value_or("");
        hal::MqttWill will{will_topic, s.will_payload, s.will_qos, false};
        hal::MqttConnect p;
        p.host = s.host;
        p.port = s.port;
        p.client_id = s.client_id;
        p.username = s.username;
        p.password = s.password;
        p.protocol_level = s.level;
        p.keepalive_s = s.keepalive;
        p.clean_session = s.clean;
        p.will = s.will_topic ? &will : nullptr;
        const std::size_t before = ev.log.size();
        InCall guard(ev);
        mqtt->connect(p);
        EXPECT_EQ(ev.log.size(), before) << "connect() reports later, from the io_context";
    }
    /// connect() and wait for the outcome; true if connected.
    bool connect_and_wait(const ConnectSpec& s, std::chrono::milliseconds timeout = 10s) {
        const std::size_t ok = ev.count(MKind::Connected), failed = ev.count(MKind::Failed);
        connect(s);
        run([&] { return ev.count(MKind::Connected) > ok || ev.count(MKind::Failed) > failed; }, timeout);
        return ev.count(MKind::Connected) > ok;
    }
    /// connect() and return why it failed (None if it connected or nothing came in time).
    hal::MqttError failure_of(const ConnectSpec& s, std::chrono::milliseconds timeout = 15s) {
        const std::size_t failed = ev.count(MKind::Failed);
        if (connect_and_wait(s, timeout) || ev.count(MKind::Failed) == failed) return hal::MqttError::None;
        return ev.last(MKind::Failed)->why;
    }
    bool publish(const std::string& topic, const std::string& payload, std::uint8_t qos = 0,
                 bool retain = false) {
        InCall guard(ev);
        return mqtt->publish(topic, payload, qos, retain);
    }
    bool subscribe(const std::string& topic, std::uint8_t qos = 0) {
        InCall guard(ev);
        return mqtt->subscribe(topic, qos);
    }
    bool unsubscribe(const std::string& topic) {
        InCall guard(ev);
        return mqtt->unsubscribe(topic);
    }
    void disconnect() {
        InCall guard(ev);
        mqtt->disconnect();
    }
    /// Wait until nothing sent is waiting for its acknowledgement (SUBACK, PUBACK...).
    bool settled(std::chrono::milliseconds timeout = 10s) {
        return run([&] { return mqtt->snapshot().pending_messages == 0; }, timeout);
    }
    template <typename Predicate> bool run(Predicate done, std::chrono::milliseconds timeout = 10s) {
        return run_until(io, done, timeout);
    }
    /// Like run(), but checks done() after every single handler.
    template <typename Predicate> bool run_handlers(Predicate done, std::chrono::milliseconds timeout = 10s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done()) {
            if (std::chrono::steady_clock::now() >= deadline) return false;
            io.restart();
            io.run_one_for(5ms);
        }
        return true;
    }
    /// The AsioNet link the relay uses, if open.
    std::optional<hal_sim::NetLinkSnapshot> relay_link() const {
        for (const auto& s : net->snapshot())
            if (s.id == hal_sim::kMqttServiceLink) return s;
        return std::nullopt;
    }
    void configure(const std::function<void(hal_sim::LinkConfig&)>& change) {
        hal_sim::LinkConfig c = link.config();
        change(c);
        link.set_config(c);
    }

    boost::asio::io_context io;           // first: destroyed last
    hal_sim::AsioScheduler scheduler{io}; // the net's clock: outlives it
    hal_sim::HostLog log{"mqtt-test", hal::LogLevel::Info};
    hal_sim::LinkImpairment link{hal_sim::LinkConfig{}, 1};
    MqttEvents ev;
    std::optional<hal_sim::AsioNet> net;
    std::optional<hal_sim::MosquittoMqtt> mqtt;
};

} // namespace dtu::itest
