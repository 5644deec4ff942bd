// VirtualMqtt (the module's MQTT service in virtual time) against a scripted broker that speaks
// the codec's bytes on the VirtualNet: CONNECT's fields, CONNACK codes, the CONNACK and keep-alive
// clocks, QoS 1/2 both ways, a persistent session's resend, a hostile broker, the link going down,
// disconnect() and reset(). Every time asserted is exact virtual time.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "hal_sim/link_impairment.hpp"
#include "hal_sim/mqtt_wire.hpp"
#include "hal_sim/virtual_mqtt.hpp"
#include "hal_sim/virtual_net.hpp"
#include "hal_sim/virtual_scheduler.hpp"

namespace {

using namespace std::chrono_literals;
using dtu::hal::MqttError;
using dtu::hal::Proto;
using namespace dtu::hal_sim;
using TimePoint = Scheduler::TimePoint;

long long ms_of(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t - TimePoint{}).count();
}

struct NullLog final : dtu::hal::Log {
    void write(dtu::hal::LogLevel, std::string_view line) override { lines.emplace_back(line); }
    std::vector<std::string> lines;
};

/// A broker driven by the test: decodes what the client sends, answers as told.
struct ScriptedBroker final : VirtualServer {
    struct Got {
        long long at_ms;
        MqttPacket packet;
    };
    bool on_connect(ConnId c) override {
        conn = c;
        reader.emplace(std::size_t{1} << 20);
        ++connections;
        return true;
    }
    void on_data(ConnId c, std::string_view bytes) override {
        if (c != conn || !reader) return;
        reader->feed(bytes);
        for (auto r = reader->next(); r.status == MqttFrameReader::Status::Packet; r = reader->next()) {
            got.push_back({ms_of(sched->now()), r.packet});
            answer(r.packet);
        }
    }
    void on_closed(ConnId c, bool reset) override {
        if (c == conn)
            ends.push_back(std::string(reset ? "rst@" : "fin@") + std::to_string(ms_of(sched->now())));
    }

    void answer(const MqttPacket& p) {
        switch (packet_type(p)) {
        case MqttPacketType::Connect:
            if (connack) send(MqttConnackPacket{false, *connack});
            break;
        case MqttPacketType::Pingreq:
            if (pong) send(MqttEmptyPacket{MqttPacketType::Pingresp});
            break;
        case MqttPacketType::Publish: {
            const auto& pub = std::get<MqttPublishPacket>(p);
            if (ack && pub.qos == 1) send(MqttAckPacket{MqttPacketType::Puback, pub.packet_id});
            if (ack && pub.qos == 2) send(MqttAckPacket{MqttPacketType::Pubrec, pub.packet_id});
            break;
        }
        case MqttPacketType::Pubrel:
            if (ack) send(MqttAckPacket{MqttPacketType::Pubcomp, std::get<MqttAckPacket>(p).packet_id});
            break;
        case MqttPacketType::Subscribe: {
            const auto& sub = std::get<MqttSubscribePacket>(p);
            send(MqttSubackPacket{sub.packet_id, {sub.filters.at(0).second}});
            break;
        }
        case MqttPacketType::Unsubscribe:
            send(MqttAckPacket{MqttPacketType::Unsuback, std::get<MqttUnsubscribePacket>(p).packet_id});
            break;
        default: break;
        }
    }
    void send(const MqttPacket& p) { net->server_send(conn, encode(p)); }
    void raw(std::string_view bytes) { net->server_send(conn, bytes); }

    std::vector<const Got*> of(MqttPacketType type) const {
        std::vector<const Got*> out;
        for (const Got& g : got)
            if (packet_type(g.packet) == type) out.push_back(&g);
        return out;
    }
    std::vector<long long> times(MqttPacketType type) const {
        std::vector<long long> out;
        for (const Got* g : of(type))
            out.push_back(g->at_ms);
        return out;
    }
    const MqttConnectPacket& last_connect() const {
        return std::get<MqttConnectPacket>(of(MqttPacketType::Connect).back()->packet);
    }

    VirtualNet* net = nullptr;
    VirtualScheduler* sched = nullptr;
    std::optional<std::uint8_t> connack = 0; ///< nullopt: never answers CONNECT
    bool pong = true, ack = true;
    std::optional<MqttFrameReader> reader;
    ConnId conn = 0;
    int connections = 0;
    std::vector<Got> got;
    std::vector<std::string> ends;
};

/// The firmware's side: every event with its time.
struct Firmware final : dtu::hal::MqttListener {
    void on_mqtt_connected() override { add("connected"); }
    void on_mqtt_connect_failed(MqttError why, int code) override {
        add(std::string("failed ") + mqtt_error_name(why) + " " + std::to_string(code));
    }
    void on_mqtt_closed(MqttError why) override { add(std::string("closed ") + mqtt_error_name(why)); }
    void on_mqtt_message(std::string_view topic, std::string_view payload) override {
        add("message " + std::string(topic) + " " + std::string(payload));
    }
    void add(const std::string& e) { events.push_back(e + "@" + std::to_string(ms_of(sched->now()))); }
    VirtualScheduler* sched = nullptr;
    std::vector<std::string> events;
};

LinkConfig latency40() {
    LinkConfig c;
    c.upstream.latency_ms = 40;
    c.downstream.latency_ms = 40;
    return c;
}

class VirtualMqttTest : public ::testing::Test {
protected:
    explicit VirtualMqttTest(MqttServiceOptions options = {})
        : link(latency40(), 1), net(sched, link, log), mqtt(sched, net, log, options) {
        broker.net = &net;
        broker.sched = &sched;
        firmware.sched = &sched;
        net.add_server(Proto::Tcp, "broker.example", 1883, broker);
        mqtt.set_listener(&firmware);
    }
    void run_for(std::chrono::milliseconds d) { sched.advance_to(sched.now() + d); }
    void connect(std::uint16_t keepalive = 60, bool clean = true, std::string_view host = "broker.example") {
        dtu::hal::MqttConnect p;
        p.host = host;
        p.port = 1883;
        p.client_id = "dev-1";
        p.keepalive_s = keepalive;
        p.clean_session = clean;
        mqtt.connect(p);
    }
    /// Connected (CONNACK 0) at 160 ms: SYN round trip 80 ms, CONNECT 40 ms, CONNACK 40 ms.
    void connected(std::uint16_t keepalive = 60, bool clean = true) {
        connect(keepalive, clean);
        run_for(200ms);
        ASSERT_EQ(firmware.events, (Events{"connected@160"}));
        firmware.events.clear();
    }
    using Events = std::vector<std::string>;

    VirtualScheduler sched;
    NullLog log;
    LinkImpairment link;
    VirtualNet net;
    VirtualMqtt mqtt;
    ScriptedBroker broker;
    Firmware firmware;
};

TEST_F(VirtualMqttTest, ConnectSendsTheParametersAndReportsConnackZeroFromTheScheduler) {
    dtu::hal::MqttConnect p;
    p.host = "broker.example";
    p.port = 1883;
    p.client_id = "dev-1";
    p.username = "usr.cn";
    p.password = "secret";
    p.protocol_level = 3;
    p.keepalive_s = 2; // below libmosquitto's minimum: 5 s sent, as in real time
    p.clean_session = false;
    const dtu::hal::MqttWill w{"/will", "offline", 1, true};
    p.will = &w;
    mqtt.connect(p);
    EXPECT_TRUE(firmware.events.empty()); // never inside the call
    EXPECT_EQ(mqtt.snapshot().state, MqttServiceState::Connecting);
    run_for(200ms);
    EXPECT_EQ(firmware.events, (Events{"connected@160"}));
    const MqttConnectPacket& c = broker.last_connect();
    EXPECT_EQ(c.protocol_level, 3);
    EXPECT_EQ(c.client_id, "dev-1");
    EXPECT_EQ(c.username, std::optional<std::string>("usr.cn"));
    EXPECT_EQ(c.password, std::optional<std::string>("secret"));
    EXPECT_EQ(c.keepalive_s, 5);
    EXPECT_FALSE(c.clean_session);
    ASSERT_TRUE(c.will);
    EXPECT_EQ(c.will->topic, "/will");
    EXPECT_EQ(c.will->payload, "offline");
    EXPECT_EQ(c.will->qos, 1);
    EXPECT_TRUE(c.will->retain);
    const MqttServiceSnapshot s = mqtt.snapshot();
    EXPECT_EQ(s.state, MqttServiceState::Connected);
    EXPECT_EQ(s.broker, "broker.example:1883");
    EXPECT_EQ(s.client_id, "dev-1");
    EXPECT_EQ(s.protocol_level, 3);
    EXPECT_EQ(s.counters.connects, 1u);
    EXPECT_EQ(s.counters.sessions, 1u);
}

TEST_F(VirtualMqttTest, APasswordWithoutUserNameIsNotSent) {
    dtu::hal::MqttConnect p;
    p.host = "broker.example";
    p.client_id = "dev-1";
    p.password = "secret";
    mqtt.connect(p);
    run_for(200ms);
    EXPECT_FALSE(broker.last_connect().password);
    EXPECT_FALSE(broker.last_connect().username);
}

TEST_F(VirtualMqttTest, EveryNonZeroConnackCodeIsRejectedWithItsCode) {
    for (std::uint8_t code = 1; code <= 5; ++code) {
        broker.connack = code;
        connect();
        run_for(1s);
        EXPECT_EQ(firmware.events, (Events{"failed rejected " + std::to_string(code) + "@" +
                                           std::to_string(ms_of(sched.now()) - 1000 + 160)}));
        firmware.events.clear();
        EXPECT_EQ(mqtt.snapshot().state, MqttServiceState::Idle);
        EXPECT_NE(mqtt.snapshot().last_error.find("rejected (CONNACK " + std::to_string(code) + ")"),
                  std::string::npos)
            << mqtt.snapshot().last_error;
    }
    EXPECT_EQ(mqtt.snapshot().counters.connect_failures, 5u);
    EXPECT_EQ(broker.ends.size(), 5u); // the client closed each connection
}

TEST_F(VirtualMqttTest, NoConnackIsATimeoutAtTheConnectTimeout) {
    broker.connack.reset();
    connect(60);
    run_for(31s);
    EXPECT_EQ(firmware.events, (Events{"failed timeout 0@30000"}));
    EXPECT_EQ(broker.ends, (Events{"fin@30040"}));
}

TEST_F(VirtualMqttTest, NoConnackWithinAShorterKeepAliveIsATimeoutThen) {
    broker.connack.reset();
    connect(10); // libmosquitto applies the keep-alive to the CONNACK wait too
    run_for(31s);
    EXPECT_EQ(firmware.events, (Events{"failed timeout 0@10000"}));
}

TEST_F(VirtualMqttTest, AnIdleSessionSendsAPingreqEveryKeepAlive) {
    connected(60);
    run_for(10min);
    // One keep-alive after the last packet out (CONNECT at 80 ms, then each PINGREQ), 40 ms on the way.
    std::vector<long long> want;
    for (long long k = 0; k < 10; ++k)
        want.push_back(60120 + k * 60000);
    EXPECT_EQ(broker.times(MqttPacketType::Pingreq), want);
    EXPECT_TRUE(firmware.events.empty());
    EXPECT_EQ(mqtt.snapshot().state, MqttServiceState::Connected);
}

TEST_F(VirtualMqttTest, QosZeroPublishesDoNotHoldTheKeepAliveBack) {
    connected(60);
    for (int i = 0; i < 18; ++i) { // a publish every 10 s: nothing comes back from the broker
        ASSERT_TRUE(mqtt.publish("t", "frame", 0, false));
        run_for(10s);
    }
    // Nothing was received for a keep-alive: a PINGREQ at 60.16 s, then 60 s after its PINGRESP.
    EXPECT_EQ(broker.times(MqttPacketType::Pingreq), (std::vector<long long>{60200, 120280}));
    EXPECT_EQ(broker.of(MqttPacketType::Publish).size(), 18u);
    EXPECT_EQ(mqtt.snapshot().pending_messages, 0u);
}

TEST_F(VirtualMqttTest, AMissingPingrespEndsTheSessionAsKeepAlive) {
    connected(60);
    broker.pong = false;
    run_for(3min);
    // PINGREQ at 60.08 s; the broker has one more keep-alive to answer.
    EXPECT_EQ(firmware.events, (Events{"closed keep-alive@120080"}));
    EXPECT_EQ(broker.ends, (Events{"fin@120120"}));
    EXPECT_EQ(mqtt.snapshot().counters.sessions_lost, 1u);
    EXPECT_NE(mqtt.snapshot().last_error.find("keep-alive: no PINGRESP"), std::string::npos);
}

TEST_F(VirtualMqttTest, QosOneAndTwoPublishesArePendingUntilAcknowledged) {
    connected();
    broker.ack = false;
    ASSERT_TRUE(mqtt.publish("a", "one", 1, false));
    ASSERT_TRUE(mqtt.publish("b", "two", 2, true));
    run_for(1s);
    EXPECT_EQ(mqtt.snapshot().pending_messages, 2u);
    EXPECT_EQ(mqtt.snapshot().pending_bytes, 8u);
    const auto pubs = broker.of(MqttPacketType::Publish);
    ASSERT_EQ(pubs.size(), 2u);
    const auto& one = std::get<MqttPublishPacket>(pubs[0]->packet);
    const auto& two = std::get<MqttPublishPacket>(pubs[1]->packet);
    EXPECT_EQ(one.qos, 1);
    EXPECT_EQ(two.qos, 2);
    EXPECT_TRUE(two.retain);
    EXPECT_NE(one.packet_id, two.packet_id);
    broker.send(MqttAckPacket{MqttPacketType::Puback, one.packet_id});
    broker.send(MqttAckPacket{MqttPacketType::Pubrec, two.packet_id});
    run_for(1s);
    EXPECT_EQ(mqtt.snapshot().pending_messages, 1u); // QoS 2 waits for PUBCOMP
    ASSERT_EQ(broker.of(MqttPacketType::Pubrel).size(), 1u);
    EXPECT_EQ(std::get<MqttAckPacket>(broker.of(MqttPacketType::Pubrel)[0]->packet).packet_id, two.packet_id);
    broker.send(MqttAckPacket{MqttPacketType::Pubcomp, two.packet_id});
    run_for(1s);
    EXPECT_EQ(mqtt.snapshot().pending_messages, 0u);
    EXPECT_EQ(mqtt.snapshot().counters.messages_out, 2u);
}

TEST_F(VirtualMqttTest, SubscribeAndUnsubscribeArePendingUntilTheirAcks) {
    connected();
    ASSERT_TRUE(mqtt.subscribe("cmd/#", 1));
    EXPECT_EQ(mqtt.snapshot().pending_messages, 1u);
    run_for(1s);
    EXPECT_EQ(mqtt.snapshot().pending_messages, 0u);
    ASSERT_TRUE(mqtt.unsubscribe("cmd/#"));
    run_for(1s);
    EXPECT_EQ(mqtt.snapshot().pending_messages, 0u);
    ASSERT_EQ(broker.of(MqttPacketType::Subscribe).size(), 1u);
    EXPECT_EQ(std::get<MqttSubscribePacket>(broker.of(MqttPacketType::Subscribe)[0]->packet).filters.at(0),
              (std::pair<std::string, std::uint8_t>{"cmd/#", 1}));
    EXPECT_EQ(broker.of(MqttPacketType::Unsubscribe).size(), 1u);
}

TEST_F(VirtualMqttTest, IncomingQosOneIsAcknowledgedAndQosTwoDeliveredOnceOnPubrel) {
    connected();
    broker.send(MqttPublishPacket{"cmd/1", "hello", 1, false, false, 7});
    broker.send(MqttPublishPacket{"cmd/2", "twice", 2, false, false, 8});
    broker.send(MqttPublishPacket{"cmd/2", "twice", 2, false, true, 8}); // resent with DUP: the same message
    run_for(1s);
    EXPECT_EQ(firmware.events, (Events{"message cmd/1 hello@240"})); // QoS 2 waits for PUBREL
    ASSERT_EQ(broker.of(MqttPacketType::Puback).size(), 1u);
    EXPECT_EQ(std::get<MqttAckPacket>(broker.of(MqttPacketType::Puback)[0]->packet).packet_id, 7);
    EXPECT_EQ(broker.of(MqttPacketType::Pubrec).size(), 2u);
    broker.send(MqttAckPacket{MqttPacketType::Pubrel, 8});
    run_for(1s);
    EXPECT_EQ(firmware.events, (Events{"message cmd/1 hello@240", "message cmd/2 twice@1240"}));
    ASSERT_EQ(broker.of(MqttPacketType::Pubcomp).size(), 1u);
    EXPECT_EQ(mqtt.snapshot().counters.messages_in, 2u);
}

TEST_F(VirtualMqttTest, APersistentSessionResendsUnacknowledgedMessagesWithDup) {
    connected(60, false);
    broker.ack = false;
    ASSERT_TRUE(mqtt.publish("a", "one", 1, false));
    run_for(1s);
    const std::uint16_t id =
        std::get<MqttPublishPacket>(broker.of(MqttPacketType::Publish)[0]->packet).packet_id;
    net.server_close(broker.conn, false);
    run_for(1s);
    EXPECT_EQ(firmware.events, (Events{"closed connection-lost@1240"}));
    broker.ack = true;
    connect(60, false);
    run_for(1s);
    const auto pubs = broker.of(MqttPacketType::Publish);
    ASSERT_EQ(pubs.size(), 2u);
    const auto& again = std::get<MqttPublishPacket>(pubs[1]->packet);
    EXPECT_TRUE(again.dup);
    EXPECT_EQ(again.packet_id, id);
    EXPECT_EQ(again.payload, "one");
    EXPECT_EQ(mqtt.snapshot().pending_messages, 0u); // PUBACK came this time
}

TEST_F(VirtualMqttTest, ACleanSessionForgetsUnacknowledgedMessages) {
    connected(60, true);
    broker.ack = false;
    ASSERT_TRUE(mqtt.publish("a", "one", 1, false));
    run_for(1s);
    connect(60, true);
    run_for(1s);
    EXPECT_EQ(broker.of(MqttPacketType::Publish).size(), 1u);
    EXPECT_EQ(mqtt.snapshot().pending_messages, 0u);
}

TEST_F(VirtualMqttTest, AMalformedPacketBeforeConnackFailsTheConnectAsProtocol) {
    broker.connack.reset();
    connect();
    run_for(200ms);
    broker.raw(std::string("\x20\x03\x00\x00\x00", 5)); // CONNACK with remaining length 3
    run_for(1s);
    EXPECT_EQ(firmware.events, (Events{"failed protocol 0@240"}));
    EXPECT_EQ(broker.ends.size(), 1u);
}

TEST_F(VirtualMqttTest, AMalformedPacketInASessionEndsItAsProtocol) {
    connected();
    broker.raw(std::string("\xf0\x00", 2)); // reserved packet type 15
    run_for(1s);
    EXPECT_EQ(firmware.events, (Events{"closed protocol@240"}));
    EXPECT_NE(mqtt.snapshot().last_error.find("protocol"), std::string::npos);
}

TEST_F(VirtualMqttTest, APacketOnlyClientsSendIsAProtocolError) {
    connected();
    broker.send(MqttEmptyPacket{MqttPacketType::Pingreq});
    run_for(1s);
    EXPECT_EQ(firmware.events, (Events{"closed protocol@240"}));
}

TEST_F(VirtualMqttTest, APublishBeforeConnackIsAProtocolError) {
    broker.connack.reset();
    connect();
    run_for(200ms);
    broker.send(MqttPublishPacket{"x", "y", 0, false, false, 0});
    run_for(1s);
    EXPECT_EQ(firmware.events, (Events{"failed protocol 0@240"}));
}

TEST_F(VirtualMqttTest, TheLinkGoingDownEndsTheSessionAsConnectionLost) {
    connected();
    LinkConfig c = link.config();
    c.attached = false;
    link.set_config(c);
    run_for(1s);
    EXPECT_EQ(firmware.events, (Events{"closed connection-lost@200"}));
    EXPECT_EQ(broker.ends, (Events{"rst@200"}));
    EXPECT_FALSE(mqtt.publish("t", "x", 0, false));
    EXPECT_EQ(mqtt.snapshot().counters.publish_no_session, 1u);
}

TEST_F(VirtualMqttTest, ConnectWithoutRegistrationIsNotAttached) {
    LinkConfig c = link.config();
    c.attached = false;
    link.set_config(c);
    connect();
    run_for(1s);
    EXPECT_EQ(firmware.events, (Events{"failed not-attached 0@0"}));
}

TEST_F(VirtualMqttTest, AnUnknownNameIsDnsFailedAndAnEmptyHostInvalid) {
    connect(60, true, "nowhere.example");
    run_for(1s);
    connect(60, true, "");
    EXPECT_EQ(firmware.events.size(), 1u);
    run_for(1s);
    EXPECT_EQ(firmware.events, (Events{"failed dns-failed 0@0", "failed invalid 0@1000"}));
}

TEST_F(VirtualMqttTest, DisconnectSendsDisconnectAndReportsNothing) {
    connected();
    mqtt.disconnect();
    run_for(1s);
    EXPECT_EQ(broker.of(MqttPacketType::Disconnect).size(), 1u);
    EXPECT_EQ(broker.ends, (Events{"fin@240"}));
    EXPECT_TRUE(firmware.events.empty());
    EXPECT_EQ(mqtt.snapshot().state, MqttServiceState::Idle);
}

TEST_F(VirtualMqttTest, ResetDropsTheSessionAndEveryEventNotYetDelivered) {
    connected(60, false);
    broker.ack = false;
    ASSERT_TRUE(mqtt.publish("a", "one", 1, false));
    broker.send(MqttPublishPacket{"cmd", "late", 0, false, false, 0});
    // Up to the task that delivers the message to the service (its event is posted, not yet run).
    sched.run_until(sched.now() + 1s, [&] { return mqtt.snapshot().counters.messages_in == 1; });
    mqtt.reset();
    run_for(1s);
    EXPECT_TRUE(firmware.events.empty());
    EXPECT_TRUE(broker.of(MqttPacketType::Disconnect).empty());
    EXPECT_EQ(broker.ends.size(), 1u);
    EXPECT_EQ(mqtt.snapshot().state, MqttServiceState::Idle);
    EXPECT_EQ(mqtt.snapshot().pending_messages, 0u);
    connect(60, false); // nothing kept for the next session after a module reset
    run_for(1s);
    EXPECT_EQ(broker.of(MqttPacketType::Publish).size(), 1u);
}

TEST_F(VirtualMqttTest, AFirmwareResetOfTheNetLeavesTheModuleSessionAlone) {
    connected();
    net.close_all(); // what a firmware reset does to the firmware's sockets
    run_for(2min);
    EXPECT_TRUE(firmware.events.empty());
    EXPECT_TRUE(broker.ends.empty());
    EXPECT_EQ(broker.of(MqttPacketType::Pingreq).size(), 2u); // the keep-alive goes on
}

class VirtualMqttBoundsTest : public VirtualMqttTest {
protected:
    static MqttServiceOptions options() {
        MqttServiceOptions o;
        o.max_payload = 100;
        o.max_pending_messages = 2;
        return o;
    }
    VirtualMqttBoundsTest() : VirtualMqttTest(options()) {}
};

TEST_F(VirtualMqttBoundsTest, AnOversizeIncomingMessageIsDroppedAcknowledgedAndCounted) {
    connected();
    broker.send(MqttPublishPacket{"big", std::string(200, 'x'), 1, false, false, 3});
    broker.send(MqttPublishPacket{"small", "ok", 0, false, false, 0});
    run_for(1s);
    EXPECT_EQ(firmware.events, (Events{"message small ok@240"}));
    EXPECT_EQ(broker.of(MqttPacketType::Puback).size(), 1u);
    EXPECT_EQ(mqtt.snapshot().counters.incoming_dropped, 1u);
    EXPECT_EQ(mqtt.snapshot().counters.incoming_dropped_bytes, 200u);
    EXPECT_EQ(mqtt.snapshot().state, MqttServiceState::Connected);
}

TEST_F(VirtualMqttBoundsTest, APacketBeyondWhatTheReaderTakesEndsTheSession) {
    connected();
    // Remaining length 1 MiB announced: not buffered, the session ends.
    broker.raw(std::string("\x30\x80\x80\x40", 4));
    run_for(1s);
    EXPECT_EQ(firmware.events, (Events{"closed protocol@240"}));
}

TEST_F(VirtualMqttBoundsTest, PublishIsRefusedOverThePayloadAndPendingBounds) {
    connected();
    broker.ack = false;
    EXPECT_FALSE(mqtt.publish("t", std::string(101, 'x'), 0, false));
    EXPECT_TRUE(mqtt.publish("t", "1", 1, false));
    EXPECT_TRUE(mqtt.publish("t", "2", 1, false));
    EXPECT_FALSE(mqtt.publish("t", "3", 1, false));
    EXPECT_FALSE(mqtt.subscribe("s", 0));
    const MqttServiceCounters c = mqtt.snapshot().counters;
    EXPECT_EQ(c.publish_oversize, 1u);
    EXPECT_EQ(c.queue_full, 2u);
    EXPECT_EQ(c.messages_out, 2u);
}

TEST_F(VirtualMqttBoundsTest, QosTwoMessagesHeldForPubrelAreBounded) {
    connected();
    for (std::uint16_t id = 1; id <= 5; ++id)
        broker.send(MqttPublishPacket{"q2", "m" + std::to_string(id), 2, false, false, id});
    run_for(1s);
    EXPECT_EQ(broker.of(MqttPacketType::Pubrec).size(), 5u); // all acknowledged
    EXPECT_EQ(mqtt.snapshot().counters.incoming_dropped, 3u);
    for (std::uint16_t id = 1; id <= 5; ++id)
        broker.send(MqttAckPacket{MqttPacketType::Pubrel, id});
    run_for(1s);
    EXPECT_EQ(firmware.events, (Events{"message q2 m1@1240", "message q2 m2@1240"}));
    EXPECT_EQ(broker.of(MqttPacketType::Pubcomp).size(), 5u);
}

} // namespace
