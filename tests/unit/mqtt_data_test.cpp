// MQTT work mode, the data: transparent mode (AT+MQTTMOD=0) and distribution mode (AT+MQTTMOD=1)
// with temporary topics, both ways, and what is dropped and counted (G771 §2.5.3; GM5 §3.1.3-§3.1.4;
// spec mqtt.md §5, GAP-23).
#include "mqtt_support.hpp"

using namespace dtu::test;
using dtu::hal::LogLevel;

namespace {

using Subscriptions = std::vector<std::pair<std::string, std::uint8_t>>;

void expect_published(Dut& dut, std::size_t i, const std::string& topic, const std::string& payload,
                      std::uint8_t qos = 0, bool retain = false) {
    ASSERT_LT(i, broker(dut).published.size());
    const auto& p = broker(dut).published[i];
    EXPECT_EQ(p.topic, topic);
    EXPECT_EQ(p.payload, payload);
    EXPECT_EQ(p.qos, qos);
    EXPECT_EQ(p.retain, retain);
}

} // namespace

TEST(MqttTransparent, EachFrameGoesToEveryEnabledPublishTopic) {
    Dut dut;
    connected_mqtt(dut,
                   {"AT+MQTTPUBTP=1,1,/up,1,1", "AT+MQTTPUBTP=3,1,/up3,2,0", "AT+MQTTPUBTP=4,0,/off,0,0"});
    dut.frame("temp=21.5,hum=40");
    ASSERT_EQ(broker(dut).published.size(), 2u);
    expect_published(dut, 0, "/up", "temp=21.5,hum=40", 1, true);
    expect_published(dut, 1, "/up3", "temp=21.5,hum=40", 2, false);
    EXPECT_EQ(mqtt_status(dut).published, 2u);
    dut.frame(std::string("\x00\xff\r\n", 4));
    expect_published(dut, 2, "/up", std::string("\x00\xff\r\n", 4), 1, true);
}

TEST(MqttTransparent, SubscribedMessagesGoOutRaw) {
    Dut dut;
    connected_mqtt(dut, {"AT+MQTTSUBTP=2,1,dev/+/cmd,1"});
    broker(dut).deliver("/SubTopic1", "hello device");
    EXPECT_EQ(dut.out(), "hello device");
    broker(dut).deliver("dev/7/cmd", std::string("on\0off", 6));
    EXPECT_EQ(dut.out(), std::string("on\0off", 6));
    broker(dut).deliver("elsewhere", "not ours");
    EXPECT_EQ(dut.out(), "");
    const auto s = mqtt_status(dut);
    EXPECT_EQ(s.received, 3u);
    EXPECT_EQ(s.to_serial, 2u);
    EXPECT_EQ(s.unmatched_dropped, 1u);
}

TEST(MqttTransparent, NoEnabledPublishTopicDropsFrames) {
    Dut dut;
    connected_mqtt(dut, {"AT+MQTTPUBTP=1,0,/PubTopic1,0,0"});
    dut.frame("nowhere to go");
    EXPECT_TRUE(broker(dut).published.empty());
    EXPECT_EQ(mqtt_status(dut).frames_dropped, 1u);
    EXPECT_EQ(dut.bench.device->status().counters.data_bytes_dropped, 13u);
}

TEST(MqttTransparent, DistributionSyntaxIsJustData) {
    Dut dut;
    connected_mqtt(dut, {});
    dut.frame("0,1,linshidingyue1,0");
    expect_published(dut, 0, "/PubTopic1", "0,1,linshidingyue1,0");
    EXPECT_TRUE(broker(dut).subscribed.size() == 1u) << "no temporary topics in mode 0";
}

TEST(MqttTransparent, SerialAtStillWorks) {
    Dut dut;
    connected_mqtt(dut, {});
    dut.frame("usr.cn#AT+MQTTSTA\r");
    EXPECT_EQ(dut.out(), answer("MQTTSTA", "\"CONNECTION\""));
    EXPECT_TRUE(broker(dut).published.empty());
}

TEST(MqttDistribution, FixedEntriesBothWays) {
    Dut dut;
    // GM5 §3.1.4's walk-through: entry 1 and a second publish entry.
    connected_mqtt(dut, {"AT+MQTTMOD=1", "AT+MQTTPUBTP=2,1,/PubTopic2,1,1", "AT+MQTTSUBTP=2,1,/SubTopic2,0"});
    dut.frame("1,data send from module");
    dut.frame("2,a,b");
    ASSERT_EQ(broker(dut).published.size(), 2u);
    expect_published(dut, 0, "/PubTopic1", "data send from module");
    expect_published(dut, 1, "/PubTopic2", "a,b", 1, true);
    broker(dut).deliver("/SubTopic1", "data send fromMQTT fx");
    EXPECT_EQ(dut.out(), "1,data send fromMQTT fx");
    broker(dut).deliver("/SubTopic2", "x,y");
    EXPECT_EQ(dut.out(), "2,x,y");
}

TEST(MqttDistribution, TemporaryPublish) {
    Dut dut;
    connected_mqtt(dut, {"AT+MQTTMOD=1"});
    dut.frame("0,0,linshifabu1,0,0,data send from module");
    dut.frame("0,0,a/b,2,1,x,y");
    ASSERT_EQ(broker(dut).published.size(), 2u);
    expect_published(dut, 0, "linshifabu1", "data send from module");
    expect_published(dut, 1, "a/b", "x,y", 2, true);
}

TEST(MqttDistribution, TemporarySubscribeAndUnsubscribe) {
    Dut dut;
    connected_mqtt(dut, {"AT+MQTTMOD=1"});
    dut.frame("0,1,linshidingyue1,1");
    EXPECT_EQ(broker(dut).subscribed, (Subscriptions{{"/SubTopic1", 0}, {"linshidingyue1", 1}}));
    EXPECT_EQ(mqtt_status(dut).temporary_topics, 1u);
    broker(dut).deliver("linshidingyue1", "data send fromMQTT fx");
    EXPECT_EQ(dut.out(), "0,linshidingyue1,data send fromMQTT fx");
    dut.frame("0,1,sensors/+/alarm,0\r\n");
    broker(dut).deliver("sensors/9/alarm", "fire");
    EXPECT_EQ(dut.out(), "0,sensors/9/alarm,fire") << "the topic the message came on, not the filter";
    dut.frame("0,2,linshidingyue1");
    EXPECT_EQ(broker(dut).unsubscribed, std::vector<std::string>{"linshidingyue1"});
    EXPECT_EQ(mqtt_status(dut).temporary_topics, 1u);
    broker(dut).deliver("linshidingyue1", "late");
    EXPECT_EQ(dut.out(), "");
    EXPECT_EQ(mqtt_status(dut).unmatched_dropped, 1u);
}

TEST(MqttDistribution, FixedFormWinsOverTemporary) {
    Dut dut;
    connected_mqtt(dut, {"AT+MQTTMOD=1", "AT+MQTTSUBTP=3,1,/SubTopic1/#,0"});
    dut.frame("0,1,#,0");
    broker(dut).deliver("/SubTopic1", "p");
    EXPECT_EQ(dut.out(), "1,p") << "matches fixed 1 and 3 and the temporary '#': output once, lowest entry";
    broker(dut).deliver("/SubTopic1/x", "q");
    EXPECT_EQ(dut.out(), "3,q");
    broker(dut).deliver("other", "r");
    EXPECT_EQ(dut.out(), "0,other,r");
    EXPECT_EQ(mqtt_status(dut).to_serial, 3u);
}

TEST(MqttDistribution, UnsubscribingAFixedFilterKeepsTheFixedSubscription) {
    Dut dut;
    connected_mqtt(dut, {"AT+MQTTMOD=1"});
    dut.frame("0,1,/SubTopic1,1");
    dut.frame("0,2,/SubTopic1");
    EXPECT_TRUE(broker(dut).unsubscribed.empty()) << "the broker has one subscription per filter";
    broker(dut).deliver("/SubTopic1", "still");
    EXPECT_EQ(dut.out(), "1,still");
}

TEST(MqttDistribution, TemporaryTopicsEndWithTheSession) {
    Dut dut;
    connected_mqtt(dut, {"AT+MQTTMOD=1"});
    dut.frame("0,1,tmp/a,0");
    broker(dut).drop();
    EXPECT_EQ(mqtt_status(dut).temporary_topics, 0u);
    dut.advance(5000);
    broker(dut).subscribed.clear();
    broker(dut).accept();
    EXPECT_EQ(broker(dut).subscribed, (Subscriptions{{"/SubTopic1", 0}})) << "not restored on reconnect";
    broker(dut).deliver("tmp/a", "gone");
    EXPECT_EQ(dut.out(), "");
}

TEST(MqttDistribution, BadFramesAreDroppedCountedAndLogged) {
    Dut dut;
    connected_mqtt(dut, {"AT+MQTTMOD=1"});
    for (const char* bad : {"3,entry 3 is disabled", "9,no entry 9", "no number", "0,7,t,0", "0,0,a/#,0,0,p",
                            "0,1,t", "0,0,t,0,0"})
        dut.frame(bad);
    EXPECT_TRUE(broker(dut).published.empty());
    EXPECT_EQ(broker(dut).subscribed.size(), 1u);
    EXPECT_EQ(mqtt_status(dut).bad_frames, 7u);
    EXPECT_EQ(dut.out(), "") << "no answer on the serial port";
    EXPECT_TRUE(
        logged(dut, LogLevel::Debug, "MQTT distribution: frame dropped: publish topic 3 is not enabled"));
    EXPECT_TRUE(logged(dut, LogLevel::Debug, "frame dropped: temporary topic: unknown flag"));
    dut.frame("1,fine");
    expect_published(dut, 0, "/PubTopic1", "fine");
}

TEST(MqttDistribution, TemporaryTopicsAreBounded) {
    Dut dut;
    connected_mqtt(dut, {"AT+MQTTMOD=1"});
    const std::size_t limit = dut.bench.profile.mqtt.temporary_topics;
    for (std::size_t i = 0; i < limit; ++i)
        dut.frame("0,1,t/" + std::to_string(i) + ",0");
    EXPECT_EQ(mqtt_status(dut).temporary_topics, limit);
    dut.frame("0,1,one/too/many,0");
    EXPECT_EQ(mqtt_status(dut).bad_frames, 1u);
    EXPECT_EQ(broker(dut).subscribed.size(), 1 + limit);
    dut.frame("0,1,t/0,2");
    EXPECT_EQ(broker(dut).subscribed.back(), std::make_pair(std::string("t/0"), std::uint8_t(2)))
        << "an existing one may be subscribed again (new QoS)";
    dut.frame("0,2,t/1");
    dut.frame("0,1,one/too/many,0");
    EXPECT_EQ(mqtt_status(dut).temporary_topics, limit);
    EXPECT_EQ(mqtt_status(dut).bad_frames, 1u);
}

TEST(MqttData, OversizeMessagesFromTheBrokerAreDropped) {
    Dut dut;
    connected_mqtt(dut, {});
    const std::size_t cap = dut.bench.profile.mqtt.payload_max;
    broker(dut).deliver("/SubTopic1", std::string(cap + 1, 'x'));
    EXPECT_EQ(dut.out(), "");
    EXPECT_EQ(mqtt_status(dut).oversize_dropped, 1u);
    EXPECT_TRUE(logged(dut, LogLevel::Debug, "-byte limit: dropped"));
    broker(dut).deliver("/SubTopic1", std::string(cap, 'y'));
    EXPECT_EQ(dut.out(), std::string(cap, 'y'));
}

TEST(MqttData, FramesThePublishRefusesAreCounted) {
    Dut dut;
    connected_mqtt(dut, {"AT+MQTTPUBTP=2,1,/two,0,0"});
    broker(dut).max_payload = 8;
    dut.frame("123456789");
    EXPECT_TRUE(broker(dut).published.empty());
    EXPECT_EQ(mqtt_status(dut).publish_failed, 2u) << "one per topic";
    dut.frame("12345678");
    EXPECT_EQ(mqtt_status(dut).published, 2u);
}

TEST(MqttData, LongestFrameGoesOutWhole) {
    Dut dut;
    connected_mqtt(dut, {"AT+UARTFL=4096"});
    const std::string big(4096, 'z');
    dut.frame(big);
    ASSERT_EQ(broker(dut).published.size(), 1u);
    EXPECT_EQ(broker(dut).published[0].payload, big);
}

TEST(MqttData, CommandModeDiscardsBrokerMessages) {
    Dut dut;
    connected_mqtt(dut, {});
    dut.enter_command();
    broker(dut).deliver("/SubTopic1", "while configuring");
    EXPECT_EQ(dut.out(), "");
    EXPECT_EQ(mqtt_status(dut).command_mode_dropped, 1u);
    EXPECT_EQ(dut.cmd("AT+ENTM"), "\r\n+OK\r\n");
    broker(dut).deliver("/SubTopic1", "back");
    EXPECT_EQ(dut.out(), "back");
}
