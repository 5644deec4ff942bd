// mosquitto's log lines (2.0.11, log_type all) as the real-time broker reads them: sessions, their
// subscriptions, and which ends owe a will (sim/scenario/mosquitto_log.hpp).
#include "sim/scenario/mosquitto_log.hpp"

#include <gtest/gtest.h>

namespace dtu::sim::scenario {
namespace {

void feed(MosquittoLog& log, std::initializer_list<const char*> lines) {
    for (const char* l : lines)
        log.add_line(l);
}

/// A session of dev1 with a will on /will and one subscription, as mosquitto logs it.
void connect_dev1(MosquittoLog& log) {
    feed(log, {"1796188160: New connection from 127.0.0.1:40144 on port 18831.",
               "1796188160: New client connected from 127.0.0.1:40144 as dev1 (p2, c0, k30, u'dtu').",
               "1796188160: Will message specified (7 bytes) (r0, q1).", "1796188160: \t/will",
               "1796188160: Sending CONNACK to dev1 (0, 0)", "1796188160: Received SUBSCRIBE from dev1",
               "1796188160: \t/SubTopic1 (QoS 0)", "1796188160: \tsensors/+/t (QoS 1)",
               "1796188160: dev1 0 /SubTopic1", "1796188160: Sending SUBACK to dev1"});
}

TEST(MosquittoLog, TheConnectLineGivesTheSession) {
    MosquittoLog log("observer");
    EXPECT_FALSE(log.session("dev1"));
    connect_dev1(log);
    const auto s = log.session("dev1");
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->connected);
    EXPECT_EQ(s->client_id, "dev1");
    EXPECT_EQ(s->username, "dtu");
    EXPECT_EQ(s->protocol_level, 4); // p2: MQTT 3.1.1
    EXPECT_EQ(s->keepalive_s, 30);
    EXPECT_FALSE(s->clean_session);
    EXPECT_EQ(s->subscriptions, (std::vector<std::string>{"/SubTopic1", "sensors/+/t"}));
    feed(log, {"New client connected from 127.0.0.1:1 as v31 (p1, c1, k0)."});
    EXPECT_EQ(log.session("v31")->protocol_level, 3);
    EXPECT_EQ(log.session("v31")->username, "") << "no u'' field: no user name";
    EXPECT_EQ(log.session("")->client_id, "v31") << "the last client";
    feed(log, {"New client connected from 127.0.0.1:2 as observer (p5, c1, k60)."});
    EXPECT_EQ(log.session("")->client_id, "v31") << "the broker's own client is never the last";
}

TEST(MosquittoLog, ConnacksAndEndsAreReported) {
    MosquittoLog log("observer");
    feed(log, {"New client connected from 127.0.0.1:40144 as dev1 (p2, c1, k30).",
               "Will message specified (7 bytes) (r0, q1).", "\t/will"});
    auto events = log.add_line("Sending CONNACK to dev1 (0, 0)");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, MosquittoLogEvent::Kind::Connack);
    EXPECT_EQ(events[0].client_id, "dev1");
    EXPECT_EQ(events[0].code, 0);
    EXPECT_TRUE(events[0].will);
    events = log.add_line("Sending CONNACK to 127.0.0.1 (0, 5)");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].client_id, "") << "a refused CONNECT is named by its address only";
    EXPECT_EQ(events[0].code, 5);
    feed(log, {"New client connected from 127.0.0.1:2 as observer (p5, c1, k60)."});
    EXPECT_TRUE(log.add_line("Sending CONNACK to observer (0, 0)").empty()) << "the broker's own client";
    events = log.add_line("1796188163: mosquitto version 2.0.11 terminating");
    ASSERT_EQ(events.size(), 1u) << "dev1 ended; the observer is not reported";
    EXPECT_EQ(events[0].kind, MosquittoLogEvent::Kind::Ended);
    EXPECT_EQ(events[0].client_id, "dev1");
    EXPECT_EQ(events[0].why, hal_sim::MqttSessionEnd::BrokerDropped);
    EXPECT_TRUE(log.add_line("Client dev1 closed its connection.").empty()) << "already ended";
}

TEST(MosquittoLog, PublishersAreTakenInOrderPerTopic) {
    MosquittoLog log("observer");
    feed(log, {"Received PUBLISH from dev1 (d0, q1, r1, m1, '/x', ... (2 bytes))",
               "Received PUBLISH from observer (d0, q0, r0, m0, '/x', ... (1 bytes))",
               "Received PUBLISH from dev2 (d0, q0, r0, m0, 'it's/x', ... (0 bytes))",
               "Received PUBLISH from dev3 (d0, q0, r0, m0, '/x', ... (2 bytes))"});
    EXPECT_EQ(log.take_publisher("/x"), "dev1");
    EXPECT_EQ(log.take_publisher("/x"), "dev3") << "the observer's own publish is not seen";
    EXPECT_EQ(log.take_publisher("/x"), "");
    EXPECT_EQ(log.take_publisher("it's/x"), "dev2");
}

TEST(MosquittoLog, UnsubscribeRemovesAFilter) {
    MosquittoLog log("observer");
    connect_dev1(log);
    feed(log, {"Received UNSUBSCRIBE from dev1", "\tsensors/+/t", "Sending UNSUBACK to dev1"});
    EXPECT_EQ(log.session("dev1")->subscriptions, std::vector<std::string>{"/SubTopic1"});
}

TEST(MosquittoLog, AbnormalEndsOweTheWillOnce) {
    for (const char* end :
         {"Client dev1 closed its connection.", "Socket error on client dev1, disconnecting.",
          "Client dev1 has exceeded timeout, disconnecting.",
          "Client dev1 disconnected due to protocol error.",
          "Client dev1 already connected, closing old connection.", "mosquitto version 2.0.11 terminating"}) {
        MosquittoLog log("observer");
        connect_dev1(log);
        EXPECT_FALSE(log.take_will("/will")) << "connected: a message on /will is not its will";
        log.add_line(end);
        EXPECT_FALSE(log.session("dev1")->connected) << end;
        EXPECT_FALSE(log.take_will("/other")) << end;
        EXPECT_EQ(log.take_will("/will"), "dev1") << end;
        EXPECT_FALSE(log.take_will("/will")) << "one will per end: " << end;
    }
}

TEST(MosquittoLog, DisconnectAndRefusalsOweNothing) {
    MosquittoLog log("observer");
    connect_dev1(log);
    feed(log, {"Received DISCONNECT from dev1", "Client dev1 disconnected."});
    EXPECT_FALSE(log.session("dev1")->connected);
    EXPECT_FALSE(log.take_will("/will")) << "DISCONNECT drops the will (MQTT 3.1.1 §3.14.4)";
    feed(log, {"New connection from 127.0.0.1:40156 on port 18831.", "Sending CONNACK to 127.0.0.1 (0, 5)",
               "Client <unknown> disconnected, not authorised."});
    EXPECT_FALSE(log.session("<unknown>"));
    connect_dev1(log);
    feed(log, {"New client connected from 127.0.0.1:40144 as dev1 (p2, c1, k30).",
               "No will message specified.", "Client dev1 closed its connection."});
    EXPECT_FALSE(log.take_will("/will")) << "the second session had no will";
    EXPECT_TRUE(log.session("dev1")->subscriptions.empty()) << "clean session: subscriptions gone";
}

} // namespace
} // namespace dtu::sim::scenario
