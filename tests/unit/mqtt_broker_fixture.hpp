#pragma once
// The broker model driven through an in-memory ServerLink, with the codec as the client: each test
// opens connections, sends packets as bytes and reads back what the broker sent, in virtual time.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "hal_sim/mqtt_broker.hpp"
#include "hal_sim/mqtt_wire.hpp"
#include "hal_sim/virtual_scheduler.hpp"
#include "recording_log.hpp"

namespace mqtt_broker_test {

using namespace dtu::hal_sim;
using namespace std::chrono_literals;

using Lines = dtu::test::RecordingLog;

/// What the broker sent and closed, per connection.
struct FakeLink final : ServerLink {
    bool server_send(ConnId conn, std::string_view bytes) override {
        if (closed.count(conn) || full.count(conn)) return false;
        to_client[conn] += bytes;
        return true;
    }
    void server_close(ConnId conn, bool reset) override { closed[conn] = reset; }
    void set_accepting(bool on) override { accepting = on; }

    std::map<ConnId, std::string> to_client;
    std::map<ConnId, bool> closed; ///< conn -> reset
    std::set<ConnId> full;         ///< conns whose queue refuses bytes
    bool accepting = true;
};

struct Recorder final : MqttBrokerObserver {
    void on_broker_connect(const MqttBrokerSession& s, std::uint8_t code) override {
        events.push_back("connect " + s.client_id + " " + std::to_string(code));
    }
    void on_broker_session_end(const MqttBrokerSession& s, MqttSessionEnd why) override {
        events.push_back("end " + s.client_id + " " + std::string(session_end_name(why)));
        ends.push_back(why);
    }
    void on_broker_message(const MqttBrokerMessage& m) override { messages.push_back(m); }
    void on_broker_error(ConnId conn, std::string_view reason) override {
        errors.push_back(std::to_string(conn) + " " + std::string(reason));
    }
    std::vector<std::string> events, errors;
    std::vector<MqttSessionEnd> ends;
    std::vector<MqttBrokerMessage> messages;
};

inline MqttConnectPacket connect_packet(std::string client_id, bool clean = true,
                                        std::uint16_t keepalive = 60) {
    MqttConnectPacket c;
    c.client_id = std::move(client_id);
    c.clean_session = clean;
    c.keepalive_s = keepalive;
    return c;
}

inline MqttConnectPacket with_will(MqttConnectPacket c, std::string topic, std::string payload,
                                   std::uint8_t qos = 0, bool retain = false) {
    c.will = MqttWillFields{std::move(topic), std::move(payload), qos, retain};
    return c;
}

class BrokerTest : public ::testing::Test {
protected:
    BrokerTest() { make({}); }

    void make(MqttBrokerOptions options) {
        broker.reset();
        broker = std::make_unique<MqttBroker>(sched, link, log, std::move(options));
        broker->set_observer(&recorder);
    }
    ConnId open() {
        ++last_conn;
        EXPECT_TRUE(broker->on_connect(last_conn));
        return last_conn;
    }
    void send(ConnId conn, const MqttPacket& packet) { broker->on_data(conn, encode(packet)); }
    /// Everything the broker sent on conn since the last take.
    std::vector<MqttPacket> take(ConnId conn) {
        MqttFrameReader reader(1 << 20);
        reader.feed(std::exchange(link.to_client[conn], {}));
        std::vector<MqttPacket> out;
        for (auto r = reader.next(); r.status != MqttFrameReader::Status::NeedMore; r = reader.next()) {
            EXPECT_EQ(r.status, MqttFrameReader::Status::Packet)
                << "the broker sent a bad packet: " << r.error;
            if (r.status != MqttFrameReader::Status::Packet) break;
            out.push_back(std::move(r.packet));
        }
        return out;
    }
    /// The CONNACK the broker answered a CONNECT with (nullopt: none). What followed it (resent
    /// and queued messages) waits in pending for publishes().
    std::optional<MqttConnackPacket> connack(ConnId conn, const MqttConnectPacket& c) {
        send(conn, c);
        auto got = take(conn);
        if (got.empty() || !std::holds_alternative<MqttConnackPacket>(got[0])) return std::nullopt;
        pending[conn] = std::vector<MqttPacket>(got.begin() + 1, got.end());
        return std::get<MqttConnackPacket>(got[0]);
    }
    /// pending, then what arrived since.
    std::vector<MqttPacket> take_all(ConnId conn) {
        auto got = std::exchange(pending[conn], {});
        for (auto& p : take(conn))
            got.push_back(std::move(p));
        return got;
    }
    /// A connection with an accepted session.
    ConnId connect(const MqttConnectPacket& c) {
        const auto conn = open();
        const auto ack = connack(conn, c);
        EXPECT_TRUE(ack && ack->return_code == 0) << "CONNECT " << c.client_id;
        return conn;
    }
    ConnId connect(std::string client_id, bool clean = true) {
        return connect(connect_packet(std::move(client_id), clean));
    }
    void subscribe(ConnId conn, std::vector<std::pair<std::string, std::uint8_t>> filters,
                   std::uint16_t id = 1) {
        const auto n = filters.size();
        send(conn, MqttSubscribePacket{id, std::move(filters)});
        const auto got = take(conn);
        ASSERT_FALSE(got.empty());
        ASSERT_TRUE(std::holds_alternative<MqttSubackPacket>(got[0]));
        EXPECT_EQ(std::get<MqttSubackPacket>(got[0]).codes.size(), n);
        pending[conn] = std::vector<MqttPacket>(got.begin() + 1, got.end()); // retained, if any
    }
    /// A client (no keep-alive) subscribed to filter at QoS 0, to see what the broker publishes there.
    ConnId watch(const std::string& filter, bool clean = true) {
        const auto conn = connect(connect_packet("watch:" + filter, clean, 0));
        subscribe(conn, {{filter, 0}});
        return conn;
    }
    /// PUBLISH packets among what conn received.
    std::vector<MqttPublishPacket> publishes(ConnId conn) {
        std::vector<MqttPublishPacket> out;
        auto got = std::exchange(pending[conn], {});
        for (auto& p : take(conn))
            got.push_back(std::move(p));
        for (auto& p : got)
            if (auto* pub = std::get_if<MqttPublishPacket>(&p)) out.push_back(*pub);
        return out;
    }
    std::vector<std::string> topics(ConnId conn) {
        std::vector<std::string> out;
        for (const auto& p : publishes(conn))
            out.push_back(p.topic);
        return out;
    }
    bool closed(ConnId conn) const { return link.closed.count(conn) != 0; }
    void run_for(std::chrono::milliseconds d) { sched.advance_to(sched.now() + d); }

    VirtualScheduler sched;
    Lines log;
    FakeLink link;
    Recorder recorder;
    std::unique_ptr<MqttBroker> broker;
    ConnId last_conn = 0;
    std::map<ConnId, std::vector<MqttPacket>> pending;
};

} // namespace mqtt_broker_test
