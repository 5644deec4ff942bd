// hal_sim::MosquittoMqtt's traffic crosses the device's impaired link (SOCKS5 relay -> AsioNet link
// kMqttServiceLink): registration loss, DNS failure, refusal, latency, stall (keep-alive), reset
// injection and a broker that dies, each with a real mosquitto broker.
#include <string>

#include "mqtt_harness.hpp"

namespace dtu::itest {
namespace {

using hal::MqttError;
using hal_sim::Direction;

class MqttLinkTest : public MqttHarness {
protected:
    ConnectSpec to(const MosquittoBroker& broker, const std::string& client_id = "dtu-link") {
        ConnectSpec s;
        s.port = broker.port();
        s.client_id = client_id;
        return s;
    }
    ConnectSpec with_will(const MosquittoBroker& broker, const std::string& client_id,
                          const std::string& payload) {
        ConnectSpec s = to(broker, client_id);
        s.will_topic = "test/will";
        s.will_payload = payload;
        return s;
    }
    bool closed_with(MqttError why) {
        return run([&] { return ev.count(MKind::Closed) == 1; }) && ev.last(MKind::Closed)->why == why;
    }
};

TEST_F(MqttLinkTest, RegistrationLossEndsTheSessionAndTheBrokerPublishesTheWill) {
    MosquittoBroker broker;
    MqttSubscriber sub(broker.port(), "test/will");
    ASSERT_TRUE(connect_and_wait(with_will(broker, "dtu-detach", "offline")));
    configure([](hal_sim::LinkConfig& c) { c.attached = false; });
    EXPECT_TRUE(closed_with(MqttError::ConnectionLost));
    EXPECT_TRUE(run([&] { return sub.has("test/will offline"); })) << broker.log();
    EXPECT_EQ(failure_of(to(broker)), MqttError::NotAttached);
    configure([](hal_sim::LinkConfig& c) { c.attached = true; });
    EXPECT_TRUE(connect_and_wait(to(broker)));
}

TEST_F(MqttLinkTest, TheRadioGoingOfflineIsLinkDownToo) {
    MosquittoBroker broker;
    MqttSubscriber sub(broker.port(), "test/will");
    ASSERT_TRUE(connect_and_wait(with_will(broker, "dtu-radio", "no radio")));
    net->set_radio_attached(false);
    EXPECT_TRUE(closed_with(MqttError::ConnectionLost));
    EXPECT_TRUE(run([&] { return sub.has("test/will no radio"); })) << broker.log();
}

TEST_F(MqttLinkTest, NamesAreResolvedByTheLinkAndDnsFailureAndRefusalComeFromIt) {
    MosquittoBroker broker;
    ConnectSpec by_name = to(broker);
    by_name.host = "localhost";
    ASSERT_TRUE(connect_and_wait(by_name));
    ASSERT_TRUE(relay_link());
    EXPECT_EQ(relay_link()->host, "localhost") << "the name went through SOCKS to the link";

    configure([](hal_sim::LinkConfig& c) { c.dns_failure = true; });
    EXPECT_EQ(failure_of(by_name), MqttError::DnsFailed);
    configure([](hal_sim::LinkConfig& c) {
        c.dns_failure = false;
        c.refuse_connections = true;
    });
    EXPECT_EQ(failure_of(to(broker)), MqttError::Refused) << "the broker runs, the network refuses";
    EXPECT_NE(mqtt->snapshot().last_error.find("refused"), std::string::npos) << mqtt->snapshot().last_error;
}

TEST_F(MqttLinkTest, ThreeHundredMillisecondsOfLatencyStillWorksAndTheTrafficCrossesTheLink) {
    MosquittoBroker broker;
    MqttSubscriber sub(broker.port(), "/PubTopic1");
    configure([](hal_sim::LinkConfig& c) {
        c.upstream.latency_ms = 300;
        c.downstream.latency_ms = 300;
    });
    ASSERT_TRUE(connect_and_wait(to(broker)));
    ASSERT_TRUE(subscribe("/SubTopic1", 1));
    ASSERT_TRUE(settled());
    ASSERT_TRUE(publish("/PubTopic1", "slow but sure", 1));
    EXPECT_TRUE(run([&] { return sub.has("/PubTopic1 slow but sure"); }));
    ASSERT_TRUE(mqtt_publish(broker.port(), "/SubTopic1", "down the slow link", 1));
    EXPECT_TRUE(run([&] { return ev.got_message("/SubTopic1", "down the slow link"); }));
    EXPECT_TRUE(settled());

    // Every MQTT packet went through the impairment stage, delayed, on the relay's link.
    const auto& up = link.counters(Direction::Upstream);
    const auto& down = link.counters(Direction::Downstream);
    EXPECT_GE(up.delayed, 3u) << "CONNECT, SUBSCRIBE, PUBLISH at least";
    EXPECT_GE(down.delayed, 4u) << "CONNACK, SUBACK, PUBACK, PUBLISH at least";
    EXPECT_EQ(mqtt->relay().counters().up_bytes, up.bytes);
    EXPECT_TRUE(run([&] {
        const auto l = relay_link(); // the last PUBACK may still be on its way
        return l && l->tx_bytes == up.bytes && l->rx_bytes == down.bytes;
    })) << "the relay link carried all of it";
}

TEST_F(MqttLinkTest, ABrokerKilledMidSessionIsConnectionLostAndTheServiceConnectsAgainLater) {
    MosquittoBroker broker;
    ASSERT_TRUE(connect_and_wait(to(broker)));
    broker.kill();
    EXPECT_TRUE(closed_with(MqttError::ConnectionLost));
    EXPECT_EQ(failure_of(to(broker)), MqttError::Refused);
    broker.start();
    EXPECT_TRUE(connect_and_wait(to(broker)));
}

TEST_F(MqttLinkTest, ResetInjectionEndsTheSession) {
    MosquittoBroker broker;
    MqttSubscriber sub(broker.port(), "test/will");
    ASSERT_TRUE(connect_and_wait(with_will(broker, "dtu-rst", "reset")));
    EXPECT_EQ(net->reset_connections(), 1u) << "the relay's link is one of the device's connections";
    EXPECT_TRUE(closed_with(MqttError::ConnectionLost));
    EXPECT_TRUE(run([&] { return sub.has("test/will reset"); })) << broker.log();
}

TEST_F(MqttLinkTest, AMissingPingrespEndsTheSessionWithKeepAlive) {
    MosquittoBroker broker;
    ConnectSpec s = to(broker);
    s.keepalive = 5;
    ASSERT_TRUE(connect_and_wait(s));
    configure([](hal_sim::LinkConfig& c) { c.downstream.stall = true; }); // PINGREQ goes, PINGRESP is held
    EXPECT_TRUE(run([&] { return ev.count(MKind::Closed) == 1; }, 20s));
    ASSERT_EQ(ev.count(MKind::Closed), 1u);
    EXPECT_EQ(ev.last(MKind::Closed)->why, MqttError::KeepAlive);
}

TEST_F(MqttLinkTest, CloseAllLeavesTheServiceLinkToItsOwner) {
    MosquittoBroker broker;
    ASSERT_TRUE(connect_and_wait(to(broker)));
    net->close_all(); // what a firmware reset does to the firmware's own links
    ASSERT_TRUE(relay_link());
    EXPECT_EQ(relay_link()->state, hal_sim::NetLinkState::Connected);
    ASSERT_TRUE(subscribe("/still", 0));
    EXPECT_TRUE(settled());
}

} // namespace
} // namespace dtu::itest
