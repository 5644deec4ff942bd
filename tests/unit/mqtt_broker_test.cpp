// The broker model (hal_sim/mqtt_broker.hpp): sessions, CONNACK codes, topic filters, QoS 0/1/2
// both ways, retained messages, wills, persistent sessions and resend, in virtual time.
#include "mqtt_broker_fixture.hpp"

namespace mqtt_broker_test {
namespace {

TEST_F(BrokerTest, ConnectIsAcceptedAndPingAnswered) {
    const auto c = open();
    const auto ack = connack(c, connect_packet("dev-1"));
    ASSERT_TRUE(ack);
    EXPECT_EQ(ack->return_code, 0);
    EXPECT_FALSE(ack->session_present);
    send(c, MqttEmptyPacket{MqttPacketType::Pingreq});
    const auto got = take(c);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(packet_type(got[0]), MqttPacketType::Pingresp);
    const auto s = broker->session("dev-1");
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->connected);
    EXPECT_EQ(s->keepalive_s, 60);
    EXPECT_EQ(broker->counters().connects, 1u);
    EXPECT_EQ(recorder.events, (std::vector<std::string>{"connect dev-1 0"}));
}

TEST_F(BrokerTest, TopicFiltersRouteByPlusHashAndDollar) {
    const auto sub = connect("sub");
    subscribe(sub, {{"a/+", 0}, {"b/#", 0}});
    const auto all = connect("all");
    subscribe(all, {{"#", 0}});
    const auto sys = connect("sys");
    subscribe(sys, {{"$SYS/#", 0}});
    const auto pub = connect("pub");
    for (const char* t : {"a/x", "a/x/y", "b", "b/c/d", "c", "$SYS/load"})
        send(pub, MqttPublishPacket{t, "p", 0, false, false, 0});
    EXPECT_EQ(topics(sub), (std::vector<std::string>{"a/x", "b", "b/c/d"}));
    EXPECT_EQ(topics(all), (std::vector<std::string>{"a/x", "a/x/y", "b", "b/c/d", "c"}))
        << "'#' does not match a '$' topic (§4.7.2)";
    EXPECT_EQ(topics(sys), (std::vector<std::string>{"$SYS/load"}));
    EXPECT_TRUE(publishes(pub).empty()) << "the publisher subscribed to nothing";
}

TEST_F(BrokerTest, OverlappingSubscriptionsGiveACopyEach) {
    const auto sub = connect("sub");
    subscribe(sub, {{"a/#", 0}, {"a/b", 1}});
    broker->publish("a/b", "x", 1, false);
    const auto got = publishes(sub);
    ASSERT_EQ(got.size(), 2u) << "mosquitto 2.0 delivers once per matching subscription";
    EXPECT_EQ(got[0].qos, 0);
    EXPECT_EQ(got[1].qos, 1);
}

TEST_F(BrokerTest, Qos1FromAClientIsAcknowledgedAndDeliveredAtTheMinimumQos) {
    const auto sub0 = connect("sub0");
    subscribe(sub0, {{"t", 0}});
    const auto sub2 = connect("sub2");
    subscribe(sub2, {{"t", 2}});
    const auto pub = connect("pub");
    send(pub, MqttPublishPacket{"t", "hello", 1, false, false, 7});
    const auto acks = take(pub);
    ASSERT_EQ(acks.size(), 1u);
    EXPECT_EQ(std::get<MqttAckPacket>(acks[0]).type, MqttPacketType::Puback);
    EXPECT_EQ(std::get<MqttAckPacket>(acks[0]).packet_id, 7);
    const auto p0 = publishes(sub0);
    ASSERT_EQ(p0.size(), 1u);
    EXPECT_EQ(p0[0].qos, 0);
    EXPECT_EQ(p0[0].payload, "hello");
    const auto p2 = publishes(sub2);
    ASSERT_EQ(p2.size(), 1u);
    EXPECT_EQ(p2[0].qos, 1) << "min(published 1, granted 2)";
    EXPECT_NE(p2[0].packet_id, 0);
    ASSERT_EQ(recorder.messages.size(), 1u);
    EXPECT_EQ(recorder.messages[0].client_id, "pub");
    EXPECT_EQ(broker->session("sub2")->queued, 1u) << "in flight until PUBACK";
    send(sub2, MqttAckPacket{MqttPacketType::Puback, p2[0].packet_id});
    EXPECT_EQ(broker->session("sub2")->queued, 0u);
}

TEST_F(BrokerTest, Qos2FromAClientIsDeliveredAtPubrelOnce) {
    const auto sub = connect("sub");
    subscribe(sub, {{"t", 0}});
    const auto pub = connect("pub");
    send(pub, MqttPublishPacket{"t", "once", 2, false, false, 9});
    auto got = take(pub);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(std::get<MqttAckPacket>(got[0]).type, MqttPacketType::Pubrec);
    EXPECT_TRUE(publishes(sub).empty()) << "held until PUBREL (§4.3.3)";
    EXPECT_EQ(recorder.messages.size(), 1u) << "reported at PUBREC time";
    send(pub, MqttPublishPacket{"t", "once", 2, false, true, 9}); // the client resends (DUP)
    got = take(pub);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(std::get<MqttAckPacket>(got[0]).type, MqttPacketType::Pubrec);
    EXPECT_EQ(recorder.messages.size(), 1u) << "a resent QoS 2 PUBLISH is not a new message";
    send(pub, MqttAckPacket{MqttPacketType::Pubrel, 9});
    got = take(pub);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(std::get<MqttAckPacket>(got[0]).type, MqttPacketType::Pubcomp);
    EXPECT_EQ(topics(sub), (std::vector<std::string>{"t"}));
    send(pub, MqttAckPacket{MqttPacketType::Pubrel, 9}); // PUBCOMP lost, PUBREL again
    got = take(pub);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(std::get<MqttAckPacket>(got[0]).type, MqttPacketType::Pubcomp);
    EXPECT_TRUE(publishes(sub).empty()) << "delivered once";
}

TEST_F(BrokerTest, Qos2ToAClientRunsPubrecPubrelPubcomp) {
    const auto sub = connect("sub");
    subscribe(sub, {{"t", 2}});
    broker->publish("t", "x", 2, false);
    const auto p = publishes(sub);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].qos, 2);
    send(sub, MqttAckPacket{MqttPacketType::Puback, p[0].packet_id}); // wrong ack: ignored
    EXPECT_EQ(broker->session("sub")->queued, 1u);
    send(sub, MqttAckPacket{MqttPacketType::Pubrec, p[0].packet_id});
    auto got = take(sub);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(std::get<MqttAckPacket>(got[0]).type, MqttPacketType::Pubrel);
    EXPECT_EQ(std::get<MqttAckPacket>(got[0]).packet_id, p[0].packet_id);
    EXPECT_EQ(broker->session("sub")->queued, 1u) << "until PUBCOMP";
    send(sub, MqttAckPacket{MqttPacketType::Pubcomp, p[0].packet_id});
    EXPECT_EQ(broker->session("sub")->queued, 0u);
}

TEST_F(BrokerTest, InFlightWindowHoldsTheRestInOrder) {
    auto options = MqttBrokerOptions{};
    options.max_inflight = 2;
    make(options);
    const auto sub = connect("sub");
    subscribe(sub, {{"t", 1}});
    for (int i = 0; i < 4; ++i)
        broker->publish("t", std::to_string(i), 1, false);
    auto p = publishes(sub);
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p[0].payload, "0");
    EXPECT_EQ(p[1].payload, "1");
    send(sub, MqttAckPacket{MqttPacketType::Puback, p[0].packet_id});
    p = publishes(sub);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].payload, "2");
}

TEST_F(BrokerTest, RetainedMessagesAreSetReplacedDeletedAndSentOnSubscribe) {
    const auto pub = connect("pub");
    const auto live = connect("live");
    subscribe(live, {{"r/#", 1}});
    send(pub, MqttPublishPacket{"r/1", "first", 0, true, false, 0});
    send(pub, MqttPublishPacket{"r/1", "second", 1, true, false, 3});
    send(pub, MqttPublishPacket{"r/2", "gone soon", 0, true, false, 0});
    send(pub, MqttPublishPacket{"r/2", "", 0, true, false, 0});
    ASSERT_EQ(broker->retained().size(), 1u);
    EXPECT_EQ(broker->retained().at("r/1").payload, "second");
    const auto forwarded = publishes(live);
    ASSERT_EQ(forwarded.size(), 4u) << "the empty retained message is forwarded too";
    for (const auto& f : forwarded)
        EXPECT_FALSE(f.retain) << "live forwarding clears retain (§3.3.1.3)";

    const auto late = connect("late");
    subscribe(late, {{"r/+", 0}});
    const auto got = publishes(late);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].payload, "second");
    EXPECT_TRUE(got[0].retain) << "sent because retained: flag set (§3.3.1.3)";
    EXPECT_EQ(got[0].qos, 0) << "min(stored 1, granted 0)";
    broker->publish("r/3", "by the broker", 0, true);
    EXPECT_EQ(broker->retained().count("r/3"), 1u);
}

TEST_F(BrokerTest, WillOnAbnormalCloseNotAfterDisconnect) {
    const auto watcher = watch("will/#");
    auto c = with_will(connect_packet("dev"), "will/dev", "offline", 0, true);
    const auto dev = connect(c);
    EXPECT_TRUE(broker->session("dev")->has_will);
    broker->on_closed(dev, /*reset=*/true);
    auto got = publishes(watcher);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].payload, "offline");
    EXPECT_EQ(broker->retained().at("will/dev").payload, "offline") << "a retained will is kept";
    EXPECT_EQ(broker->counters().wills, 1u);
    ASSERT_FALSE(recorder.ends.empty());
    EXPECT_EQ(recorder.ends.back(), MqttSessionEnd::Reset);
    EXPECT_TRUE(recorder.messages.back().will);

    c.will->payload = "bye";
    const auto dev2 = connect(c);
    send(dev2, MqttEmptyPacket{MqttPacketType::Disconnect});
    EXPECT_TRUE(publishes(watcher).empty()) << "DISCONNECT discards the will (§3.14.4)";
    EXPECT_TRUE(closed(dev2)) << "the broker closes after DISCONNECT";
    EXPECT_EQ(recorder.ends.back(), MqttSessionEnd::Disconnect);
    EXPECT_FALSE(broker->session("dev")) << "a clean session ends with its connection";
}

TEST_F(BrokerTest, KeepAliveEndsTheConnectionAfterOneAndAHalfPeriods) {
    const auto watcher = watch("lwt");
    auto c = with_will(connect_packet("dev", true, 10), "lwt", "dead", 0, false);
    const auto dev = connect(c);
    run_for(14s);
    send(dev, MqttEmptyPacket{MqttPacketType::Pingreq}); // at 14 s: the deadline moves to 29 s
    run_for(14999ms);
    EXPECT_FALSE(closed(dev)) << "15 s after the last packet is the limit";
    EXPECT_TRUE(publishes(watcher).empty());
    run_for(1ms);
    EXPECT_TRUE(closed(dev));
    EXPECT_EQ(topics(watcher), (std::vector<std::string>{"lwt"}));
    EXPECT_EQ(broker->counters().keepalive_timeouts, 1u);
    EXPECT_EQ(recorder.ends.back(), MqttSessionEnd::KeepAlive);
    EXPECT_FALSE(closed(watcher)) << "no keep-alive: never timed out";
}

TEST_F(BrokerTest, KeepAliveZeroNeverTimesOut) {
    const auto dev = connect(connect_packet("dev", true, 0));
    run_for(24h);
    EXPECT_FALSE(closed(dev));
}

TEST_F(BrokerTest, TakeOverClosesTheOldConnectionWithItsWill) {
    const auto watcher = watch("lwt");
    auto c = with_will(connect_packet("dev"), "lwt", "old", 0, false);
    const auto first = connect(c);
    c.will->payload = "new";
    const auto second = connect(c);
    EXPECT_TRUE(closed(first));
    EXPECT_FALSE(closed(second));
    EXPECT_EQ(recorder.ends.back(), MqttSessionEnd::TakenOver);
    EXPECT_TRUE(log.has("session 'dev' ended (taken-over), will published"));
    const auto got = publishes(watcher);
    ASSERT_EQ(got.size(), 1u) << "a clean session taken over publishes its will (mosquitto 2.0)";
    EXPECT_EQ(got[0].payload, "old");
    EXPECT_EQ(broker->session("dev")->connected, true);
}

TEST_F(BrokerTest, PersistentTakeOverByAPersistentConnectionKeepsQuiet) {
    const auto watcher = watch("lwt");
    auto c = with_will(connect_packet("dev", false), "lwt", "old", 0, false);
    const auto first = connect(c);
    send(first, MqttSubscribePacket{1, {{"cmd", 1}}});
    take(first);
    const auto second = open();
    const auto ack = connack(second, c);
    ASSERT_TRUE(ack);
    EXPECT_TRUE(ack->session_present);
    EXPECT_TRUE(closed(first));
    EXPECT_TRUE(publishes(watcher).empty()) << "mosquitto 2.0: no will when a persistent session is resumed";
    EXPECT_EQ(broker->session("dev")->subscriptions.size(), 1u);
}

TEST_F(BrokerTest, CredentialsAndAnonymous) {
    MqttBrokerOptions options;
    options.users = {{"usr", "pw"}};
    options.allow_anonymous = false;
    make(options);
    auto c = connect_packet("dev");
    EXPECT_EQ(connack(open(), c)->return_code, 5) << "anonymous not allowed";
    c.username = "usr";
    c.password = "wrong";
    EXPECT_EQ(connack(open(), c)->return_code, 5) << "mosquitto 2.0 answers bad credentials with 5";
    c.username = "nobody";
    EXPECT_EQ(connack(open(), c)->return_code, 5);
    EXPECT_TRUE(closed(last_conn)) << "closed after a refusing CONNACK";
    c.username = "usr";
    c.password = "pw";
    EXPECT_EQ(connack(open(), c)->return_code, 0);
    EXPECT_EQ(broker->session("dev")->username, "usr");
    EXPECT_EQ(broker->counters().connacks_refused, 3u);

    options.bad_credentials_code = 4;
    make(options);
    c.password = "wrong";
    EXPECT_EQ(connack(open(), c)->return_code, 4) << "the other reading of §3.2.2.3, by option";
    c.password.reset();
    EXPECT_EQ(connack(open(), c)->return_code, 4) << "a user name without password";
}

TEST_F(BrokerTest, ClientIdsAndProtocolLevels) {
    MqttBrokerOptions options;
    options.refused_client_ids = {"banned"};
    make(options);
    EXPECT_EQ(connack(open(), connect_packet("banned"))->return_code, 2);
    EXPECT_EQ(connack(open(), connect_packet("", false))->return_code, 2) << "empty id needs clean session";
    EXPECT_EQ(connack(open(), connect_packet("", true))->return_code, 0);
    EXPECT_TRUE(broker->session("auto-1")) << "an assigned client id";

    auto v5 = connect_packet("five");
    v5.protocol_level = 5;
    EXPECT_EQ(connack(open(), v5)->return_code, 1);
    auto v31 = connect_packet("old");
    v31.protocol_level = 3; // encoded as MQIsdp
    const auto ack31 = connack(open(), v31);
    EXPECT_EQ(ack31->return_code, 0);
    EXPECT_EQ(broker->session("old")->protocol_level, 3);
    auto mixed = connect_packet("mixed");
    mixed.protocol_level = 3;
    mixed.protocol_name = "MQTT";
    EXPECT_EQ(connack(open(), mixed)->return_code, 1) << "MQTT's name goes with level 4";
    auto empty31 = connect_packet("", true);
    empty31.protocol_level = 3;
    EXPECT_EQ(connack(open(), empty31)->return_code, 2) << "MQTT 3.1 has no empty client ids";
}

TEST_F(BrokerTest, PersistentSessionKeepsSubscriptionsAndQueuedQos1) {
    auto dev = connect("dev", false);
    subscribe(dev, {{"cmd/#", 1}});
    send(dev, MqttEmptyPacket{MqttPacketType::Disconnect});
    ASSERT_TRUE(broker->session("dev"));
    EXPECT_FALSE(broker->session("dev")->connected);
    broker->publish("cmd/a", "1", 1, false);
    broker->publish("cmd/b", "qos0 is not queued", 0, false);
    broker->publish("cmd/c", "2", 2, false);
    EXPECT_EQ(broker->session("dev")->queued, 2u);
    dev = open();
    const auto ack = connack(dev, connect_packet("dev", false));
    ASSERT_TRUE(ack);
    EXPECT_TRUE(ack->session_present);
    const auto p = publishes(dev);
    ASSERT_EQ(p.size(), 2u) << "the QoS 1/2 messages that waited (QoS 0 is not queued, as mosquitto)";
    EXPECT_EQ(p[0].payload, "1");
    EXPECT_EQ(p[1].payload, "2");
    EXPECT_EQ(p[1].qos, 1) << "granted 1";
    EXPECT_EQ(broker->session("dev")->subscriptions.size(), 1u);

    // A clean session of the same id discards it.
    send(dev, MqttEmptyPacket{MqttPacketType::Disconnect});
    const auto ack2 = connack(open(), connect_packet("dev", true));
    EXPECT_FALSE(ack2->session_present);
    EXPECT_TRUE(broker->session("dev")->subscriptions.empty());
}

TEST_F(BrokerTest, UnacknowledgedMessagesAreResentWithDupOnReconnect) {
    auto dev = connect("dev", false);
    subscribe(dev, {{"q1", 1}, {"q2", 2}});
    broker->publish("q1", "a", 1, false);
    broker->publish("q2", "b", 2, false);
    const auto first = publishes(dev);
    ASSERT_EQ(first.size(), 2u);
    send(dev, MqttAckPacket{MqttPacketType::Pubrec, first[1].packet_id});
    ASSERT_EQ(take(dev).size(), 1u); // PUBREL
    broker->on_closed(dev, false);   // no PUBACK, no PUBCOMP
    dev = open();
    ASSERT_TRUE(connack(dev, connect_packet("dev", false))->session_present);
    const auto again = take_all(dev);
    ASSERT_EQ(again.size(), 2u);
    const auto& p = std::get<MqttPublishPacket>(again[0]);
    EXPECT_TRUE(p.dup);
    EXPECT_EQ(p.packet_id, first[0].packet_id);
    EXPECT_EQ(p.payload, "a");
    const auto& rel = std::get<MqttAckPacket>(again[1]);
    EXPECT_EQ(rel.type, MqttPacketType::Pubrel) << "past PUBREC, the PUBREL is what is resent";
    EXPECT_EQ(rel.packet_id, first[1].packet_id);
}

TEST_F(BrokerTest, ResendTimerWhileConnectedWhenConfigured) {
    MqttBrokerOptions options;
    options.resend_after = 5s;
    make(options);
    const auto dev = connect("dev");
    subscribe(dev, {{"t", 1}});
    broker->publish("t", "x", 1, false);
    ASSERT_EQ(publishes(dev).size(), 1u);
    run_for(4999ms);
    EXPECT_TRUE(publishes(dev).empty());
    run_for(1ms);
    const auto again = publishes(dev);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_TRUE(again[0].dup);
}

TEST_F(BrokerTest, AvailabilityDownRefusingSilent) {
    broker->set_availability(MqttBroker::Availability::Down);
    EXPECT_FALSE(broker->on_connect(++last_conn));
    EXPECT_FALSE(link.accepting);
    broker->set_availability(MqttBroker::Availability::Refusing, 3);
    EXPECT_TRUE(link.accepting);
    EXPECT_EQ(connack(open(), connect_packet("dev"))->return_code, 3);
    broker->set_availability(MqttBroker::Availability::Silent);
    const auto c = open();
    EXPECT_FALSE(connack(c, connect_packet("dev")));
    run_for(1h);
    EXPECT_FALSE(closed(c)) << "silent: the client's own timeout decides";
    broker->set_availability(MqttBroker::Availability::Up);
    EXPECT_EQ(connack(open(), connect_packet("dev"))->return_code, 0);
}

TEST_F(BrokerTest, DropAllEndsEveryConnectionWithWills) {
    const auto watcher = connect(connect_packet("w", false));
    subscribe(watcher, {{"lwt", 1}});
    auto c = with_will(connect_packet("dev"), "lwt", "dropped", 1, false);
    const auto dev = connect(c);
    broker->drop_all(true);
    EXPECT_TRUE(link.closed.at(dev)) << "reset";
    EXPECT_TRUE(link.closed.at(watcher));
    EXPECT_EQ(broker->counters().wills, 1u);
    EXPECT_EQ(broker->session("w")->queued, 1u) << "the will waits in the persistent watcher's session";
    EXPECT_EQ(recorder.ends.back(), MqttSessionEnd::BrokerDropped);
}

} // namespace
} // namespace mqtt_broker_test
