// The broker model against bad clients: malformed and oversize packets, protocol violations, a
// client that never sends CONNECT, floods of retained messages and of queued messages. Each is
// logged, counted, reported, and ends only the offending connection; memory stays bounded.
#include "mqtt_broker_fixture.hpp"

namespace mqtt_broker_test {
namespace {

std::string bytes(std::initializer_list<int> list) {
    std::string out;
    for (int b : list)
        out.push_back(static_cast<char>(b));
    return out;
}

class BadInputTest : public BrokerTest {
protected:
    /// A connected client with a will on "lwt", watched by "w" (both without keep-alive, so that
    /// only the connection under test is ever timed out).
    void SetUp() override {
        watcher = watch("lwt");
        auto c = with_will(connect_packet("dev", true, 0), "lwt", "dead", 0, false);
        dev = connect(c);
    }
    void expect_closed_for(ConnId conn, std::string_view reason_part) {
        EXPECT_TRUE(closed(conn));
        ASSERT_FALSE(recorder.errors.empty());
        EXPECT_NE(recorder.errors.back().find(reason_part), std::string::npos) << recorder.errors.back();
        EXPECT_TRUE(log.has(reason_part));
        EXPECT_FALSE(closed(watcher)) << "only the offending connection ends";
    }
    ConnId watcher = 0, dev = 0;
};

TEST_F(BadInputTest, MalformedPacketClosesWithTheWill) {
    broker->on_data(dev, bytes({0x40, 2, 0, 0})); // PUBACK with packet id 0
    expect_closed_for(dev, "PUBACK: packet id 0");
    EXPECT_EQ(broker->counters().malformed, 1u);
    EXPECT_EQ(topics(watcher), (std::vector<std::string>{"lwt"}))
        << "a protocol error publishes the will (§4.8)";
    EXPECT_EQ(recorder.ends.back(), MqttSessionEnd::Protocol);
    broker->on_data(dev, encode(MqttEmptyPacket{MqttPacketType::Pingreq}));
    EXPECT_TRUE(take(dev).empty()) << "nothing more is read from a closed connection";
}

TEST_F(BadInputTest, BadRemainingLengthCloses) {
    broker->on_data(dev, bytes({0x30, 0xff, 0xff, 0xff, 0xff, 0x01}));
    expect_closed_for(dev, "remaining length");
}

TEST_F(BadInputTest, FirstPacketNotConnectCloses) {
    const auto c = open();
    send(c, MqttPublishPacket{"t", "x", 0, false, false, 0});
    expect_closed_for(c, "first packet PUBLISH, not CONNECT");
    EXPECT_TRUE(take(c).empty()) << "no CONNACK";
}

TEST_F(BadInputTest, SecondConnectIsAProtocolError) {
    send(dev, connect_packet("dev"));
    expect_closed_for(dev, "second CONNECT");
    EXPECT_EQ(topics(watcher), (std::vector<std::string>{"lwt"}));
}

TEST_F(BadInputTest, OversizePacketClosesWithoutHoldingIt) {
    MqttBrokerOptions options;
    options.max_packet_bytes = 1000;
    make(options);
    SetUp();
    const auto big = encode(MqttPublishPacket{"t", std::string(100000, 'x'), 0, false, false, 0});
    broker->on_data(dev, big.substr(0, 10));
    expect_closed_for(dev, "remaining length 100003 > 1000");
    EXPECT_EQ(broker->counters().oversize, 1u);
    broker->on_data(dev, big.substr(10)); // the rest arrives: ignored
    EXPECT_EQ(broker->counters().oversize, 1u);
}

TEST_F(BadInputTest, InvalidTopicsAndFiltersClose) {
    send(dev, MqttPublishPacket{"a/+", "x", 0, false, false, 0});
    expect_closed_for(dev, "PUBLISH: topic 'a/+' invalid");
    const auto other = connect("other");
    send(other, MqttSubscribePacket{1, {{"a/#/b", 0}}});
    expect_closed_for(other, "SUBSCRIBE: topic filter 'a/#/b' invalid");
    EXPECT_FALSE(broker->session("other"));
    auto c = with_will(connect_packet("willbad"), "lwt/#", "x", 0, false);
    const auto w = open();
    EXPECT_FALSE(connack(w, c)) << "a wildcard will topic: closed without CONNACK (mosquitto will__read)";
    expect_closed_for(w, "will topic 'lwt/#' invalid");
}

TEST_F(BadInputTest, ServerPacketsFromAClientClose) {
    send(dev, MqttConnackPacket{false, 0});
    expect_closed_for(dev, "CONNACK from a client");
}

TEST_F(BadInputTest, NoConnectClosesAfterTheConnectTimeout) {
    const auto c = open();
    run_for(89999ms);
    EXPECT_FALSE(closed(c));
    run_for(1ms);
    expect_closed_for(c, "no CONNECT within 90000 ms");
    EXPECT_FALSE(closed(dev));
}

TEST_F(BadInputTest, RetainedFloodIsBoundedAndCounted) {
    MqttBrokerOptions options;
    options.max_retained = 10;
    make(options);
    SetUp();
    for (int i = 0; i < 50; ++i)
        send(dev, MqttPublishPacket{"r/" + std::to_string(i), "v", 0, true, false, 0});
    EXPECT_EQ(broker->retained().size(), 10u);
    EXPECT_EQ(broker->counters().retained_dropped, 40u);
    send(dev, MqttPublishPacket{"r/0", "replaced", 0, true, false, 0});
    EXPECT_EQ(broker->retained().at("r/0").payload, "replaced") << "a kept topic is still replaced";
    send(dev, MqttPublishPacket{"r/0", "", 0, true, false, 0});
    send(dev, MqttPublishPacket{"r/new", "fits again", 0, true, false, 0});
    EXPECT_EQ(broker->retained().count("r/new"), 1u);
    EXPECT_FALSE(closed(dev)) << "a flood is not an error";
}

TEST_F(BadInputTest, PerSessionQueueIsBounded) {
    MqttBrokerOptions options;
    options.max_queued = 5;
    make(options);
    SetUp();
    auto away = connect("away", false);
    subscribe(away, {{"q", 1}});
    broker->on_closed(away, false);
    for (int i = 0; i < 8; ++i)
        send(dev, MqttPublishPacket{"q", std::to_string(i), 1, false, false, 1});
    EXPECT_EQ(broker->session("away")->queued, 5u);
    EXPECT_EQ(broker->counters().queue_dropped, 3u);
    away = open();
    ASSERT_TRUE(connack(away, connect_packet("away", false)));
    const auto got = publishes(away);
    ASSERT_EQ(got.size(), 5u);
    EXPECT_EQ(got.front().payload, "0") << "the oldest are kept, the newest dropped";
    EXPECT_EQ(got.back().payload, "4");
}

TEST_F(BadInputTest, Qos2WithoutPubrelIsBounded) {
    MqttBrokerOptions options;
    options.max_queued = 3;
    make(options);
    SetUp();
    for (std::uint16_t id = 1; id <= 6; ++id)
        send(dev, MqttPublishPacket{"lwt", "x", 2, false, false, id});
    EXPECT_EQ(take(dev).size(), 6u) << "every one acknowledged (PUBREC)";
    EXPECT_EQ(broker->counters().queue_dropped, 3u);
    EXPECT_EQ(recorder.messages.size(), 3u);
    for (std::uint16_t id = 1; id <= 6; ++id)
        send(dev, MqttAckPacket{MqttPacketType::Pubrel, id});
    EXPECT_EQ(publishes(watcher).size(), 3u) << "only the held ones are delivered";
}

TEST_F(BadInputTest, ALinkThatTakesNoMoreBytesEndsTheConnection) {
    link.full.insert(watcher);
    broker->publish("lwt", "x", 0, false);
    run_for(1ms);
    EXPECT_TRUE(closed(watcher));
    EXPECT_EQ(recorder.ends.back(), MqttSessionEnd::BrokerDropped);
    EXPECT_FALSE(closed(dev));
}

} // namespace
} // namespace mqtt_broker_test
