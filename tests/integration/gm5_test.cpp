// The WH-GM5 (--profile gm5) end to end: the manual's walk-throughs typed into the PTY byte for
// byte, against a real mosquitto broker spawned on a free port (GM5 §3.1.2 transparent, §3.1.4
// distribution with temporary topics; spec mqtt.md §5-§7, §10). The broker's log shows what came
// on the wire: "(p1, ...)" is protocol level 3 with the name "MQIsdp" (MQTT 3.1), "(p2, ...)" 3.1.1.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <QJsonObject>

#include "at_session.hpp"
#include "control_client.hpp"
#include "mosquitto_broker.hpp"
#include "serial_client.hpp"
#include "sim_process.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

constexpr std::string_view kGm5Start = "\r\nWH-GM5 V1.0.0\r\n";
constexpr const char* kSn = "02401322081900001968"; // GM5 §3.1.2's AT+MQTTCID: the device SN

class Gm5Test : public ::testing::Test {
protected:
    void SetUp() override {
        sim_ = std::make_unique<SimProcess>(
            std::vector<std::string>{"--profile", "gm5", "--sn", kSn, "--control", "127.0.0.1:0"});
        ASSERT_TRUE(sim_->start());
        api_ = std::make_unique<Control>(sim_->control());
        port_ = std::make_unique<SerialClient>(sim_->serial());
        ASSERT_EQ(port_->read_until(kGm5Start, 3s), kGm5Start);
    }

    /// GM5 §3.1.2: "+++", "a", "a", "+ok", byte for byte.
    void enter_command() {
        ASSERT_TRUE(port_->expect_silence(100ms)) << port_->buffered();
        port_->write("+++");
        EXPECT_EQ(port_->read_until("a", 2s), "a");
        port_->write("a");
        EXPECT_EQ(port_->read_until("+ok\r\n", 2s), "+ok\r\n");
    }
    /// One line as the manual types it: everything the device sends back, echo included.
    std::string typed(const std::string& line, std::string_view until = "OK\r\n") {
        port_->write(line + "\r");
        return port_->read_until(until, 2s);
    }
    /// Each line answered with the echo and "{CR}{LF}OK{CR}{LF}", then AT+S and the restart.
    void walk_through(const std::vector<std::string>& lines) {
        enter_command();
        for (const auto& line : lines)
            EXPECT_EQ(typed(line), line + "\r\r\nOK\r\n") << line;
        EXPECT_EQ(typed("AT+S"), "AT+S\r\r\nOK\r\n");
        EXPECT_EQ(port_->read_until(kGm5Start, 3s), kGm5Start);
    }
    /// GM5 §3.1.2 with the broker's address in place of 47.93.32.32,1883; `mod` for AT+MQTTMOD.
    std::vector<std::string> manual_lines(const MosquittoBroker& broker, const char* mod) {
        return {"AT+WKMOD=MQTT,NOR",
                "AT+MQTTSVR=127.0.0.1," + std::to_string(broker.port()),
                "AT+MQTTUSER=HEHEHE",
                "AT+MQTTPSW=123456",
                std::string("AT+MQTTCID=") + kSn,
                "AT+MQTTVER=4",
                "AT+MQTTSUBTP=1,1,/SubTopic1,0",
                "AT+MQTTPUBTP=1,1,/PubTopic1,0,0",
                "AT+MQTTSUBTP=1,1,/SubTopic1,0", // the manual sends this line twice
                std::string("AT+MQTTMOD=") + mod};
    }
    static BrokerOptions manual_broker() {
        BrokerOptions o;
        o.allow_anonymous = false;
        o.users = {{"HEHEHE", "123456"}, {"usr.cn", "usr.cn"}, {"peer", "peer"}};
        return o;
    }
    static std::vector<std::string> peer() { return {"-u", "peer", "-P", "peer"}; }

    QJsonObject mqtt() { return api_->get("/api/v1/status").json.value("mqtt").toObject(); }
    bool connected(int connects, std::chrono::milliseconds timeout = 15s) {
        return wait_until(
            [&] {
                const QJsonObject m = mqtt();
                return m.value("state").toString() == "connected" && m.value("connects").toInt() == connects;
            },
            timeout, 20ms);
    }
    bool temporary_topics_are(int n) {
        return wait_until([&] { return mqtt().value("temporary_topics").toInt() == n; }, 10s, 20ms);
    }
    /// Serial output up to and including text; "" when it did not come.
    std::string serial_until(const std::string& text, std::chrono::milliseconds timeout = 10s) {
        const std::string got = port_->read_until(text, timeout);
        return got.size() >= text.size() && got.compare(got.size() - text.size(), text.size(), text) == 0
                   ? got
                   : "";
    }
    /// The broker's line for the device's CONNECT, e.g. "as <id> (p2, c0, k60, u'HEHEHE')".
    static bool broker_saw(const MosquittoBroker& broker, const std::string& text) {
        return wait_until([&] { return broker.log().find(text) != std::string::npos; }, 5s, 20ms);
    }

    std::unique_ptr<SimProcess> sim_;
    std::unique_ptr<Control> api_;
    std::unique_ptr<SerialClient> port_;
};

// GM5 §3.1.2: generic MQTT, transparent mode.
TEST_F(Gm5Test, Walkthrough312Transparent) {
    MosquittoBroker broker(manual_broker());
    MqttSubscriber sub(broker.port(), "/PubTopic1", 0, peer());
    walk_through(manual_lines(broker, "0"));
    ASSERT_TRUE(connected(1)) << text(mqtt()) << broker.log();
    EXPECT_TRUE(broker_saw(broker, std::string("as ") + kSn + " (p2, c0, k60, u'HEHEHE')")) << broker.log();

    port_->write("data send from module");
    EXPECT_TRUE(sub.wait_for("/PubTopic1 data send from module")) << text(mqtt());
    ASSERT_TRUE(mqtt_publish(broker.port(), "/SubTopic1", "data send fromMQTT fx", 0, true, peer()));
    EXPECT_EQ(serial_until("data send fromMQTT fx"), "data send fromMQTT fx") << "the payload alone";

    enter_command();
    EXPECT_EQ(typed("AT+MQTTSTA"), "AT+MQTTSTA\r\r\n+MQTTSTA:\"CONNECTION\"\r\n\r\nOK\r\n");
    EXPECT_EQ(typed("AT+MQTTCID?"), std::string("AT+MQTTCID?\r\r\n+MQTTCID:") + kSn + "\r\n\r\nOK\r\n");
}

// Spec mqtt.md §5 (GAP-23), mode 0: every frame goes to every enabled publish entry, each with its
// own QoS and retain flag; the 10th entry counts (GM5 §2.3 "<1~10>").
TEST_F(Gm5Test, TransparentFramesGoToEveryEnabledEntry) {
    MosquittoBroker broker(manual_broker());
    MqttSubscriber sub(broker.port(), "#", 2, peer());
    std::vector<std::string> lines = manual_lines(broker, "0");
    lines.insert(lines.end(), {"AT+MQTTPUBTP=2,0,/PubTopic2,0,0", "AT+MQTTPUBTP=5,1,/five,1,0",
                               "AT+MQTTPUBTP=10,1,/PubTopic10,2,1", "AT+MQTTSUBTP=10,1,/down/#,1"});
    walk_through(lines);
    ASSERT_TRUE(connected(1)) << text(mqtt()) << broker.log();

    port_->write("one frame");
    EXPECT_TRUE(sub.wait_for("/PubTopic1 one frame"));
    EXPECT_TRUE(sub.wait_for("/five one frame"));
    EXPECT_TRUE(sub.wait_for("/PubTopic10 one frame"));
    EXPECT_FALSE(sub.has("/PubTopic2 one frame")) << "entry 2 is disabled";
    ASSERT_TRUE(wait_until([&] { return mqtt().value("published").toInt() == 3; }, 5s, 20ms)) << text(mqtt());
    // Entry 10 publishes retained: a late subscriber still gets it.
    MqttSubscriber late(broker.port(), "/PubTopic10", 0, peer());
    EXPECT_TRUE(late.wait_for("/PubTopic10 one frame"));

    ASSERT_TRUE(mqtt_publish(broker.port(), "/down/ten", "on entry ten", 1, false, peer()));
    EXPECT_EQ(serial_until("on entry ten"), "on entry ten");
}

// GM5 §3.1.4, as captured with MQTT.fx: distribution mode, fixed and temporary topics both ways.
TEST_F(Gm5Test, Walkthrough314DistributionWithTemporaryTopics) {
    MosquittoBroker broker(manual_broker());
    MqttSubscriber sub(broker.port(), "#", 0, peer());
    std::vector<std::string> lines = manual_lines(broker, "1");
    lines.push_back("AT+MQTTPUBTP=2,1,/PubTopic2,0,0"); // the second entry §3.1.4 describes
    walk_through(lines);
    ASSERT_TRUE(connected(1)) << text(mqtt()) << broker.log();

    port_->write("1,data send from module");
    EXPECT_TRUE(sub.wait_for("/PubTopic1 data send from module"));
    port_->write("2,data send from module");
    EXPECT_TRUE(sub.wait_for("/PubTopic2 data send from module"));
    ASSERT_TRUE(mqtt_publish(broker.port(), "/SubTopic1", "data send fromMQTT fx", 0, true, peer()));
    EXPECT_EQ(serial_until("1,data send fromMQTT fx"), "1,data send fromMQTT fx");

    // Temporary publish: "0,0,<topic>,<qos>,<retain>,<payload>".
    port_->write("0,0,linshifabu1,0,0,data send from module");
    EXPECT_TRUE(sub.wait_for("linshifabu1 data send from module"));
    // Temporary subscribe "0,1,<topic>,<qos>"; its messages come as "0,<topic>,<payload>".
    port_->write("0,1,linshidingyue1,0");
    ASSERT_TRUE(temporary_topics_are(1));
    ASSERT_TRUE(mqtt_publish(broker.port(), "linshidingyue1", "data send fromMQTT fx", 0, false, peer()));
    EXPECT_EQ(serial_until("0,linshidingyue1,data send fromMQTT fx"),
              "0,linshidingyue1,data send fromMQTT fx");
    // Temporary unsubscribe "0,2,<topic>": nothing more from it.
    port_->write("0,2,linshidingyue1");
    ASSERT_TRUE(temporary_topics_are(0));
    ASSERT_TRUE(mqtt_publish(broker.port(), "linshidingyue1", "after unsubscribe", 0, false, peer()));
    ASSERT_TRUE(mqtt_publish(broker.port(), "/SubTopic1", "still subscribed", 0, false, peer()));
    EXPECT_EQ(serial_until("1,still subscribed"), "1,still subscribed") << "no temporary message before it";
    EXPECT_FALSE(sub.has("/PubTopic3 x"));
    port_->write("3,x"); // entry 3 is not enabled: dropped, nothing answered
    ASSERT_TRUE(wait_until([&] { return mqtt().value("bad_frames").toInt() == 1; }, 5s, 20ms))
        << text(mqtt());
    EXPECT_TRUE(port_->expect_silence(200ms)) << port_->buffered();
}

// Spec mqtt.md §10, GM5 column: a factory-fresh GM5 put in MQTT mode connects with MQTT 3.1
// ("MQIsdp", level 3), client id = the SN, user and password usr.cn, keep-alive 60, clean session 0,
// no will; the query answers show the same values.
TEST_F(Gm5Test, FactoryValuesOnTheWire) {
    MosquittoBroker broker(manual_broker());
    enter_command();
    EXPECT_EQ(typed("AT+MQTTVER?"), "AT+MQTTVER?\r\r\n+MQTTVER:3\r\n\r\nOK\r\n");
    EXPECT_EQ(typed("AT+MQTTSVR?"), "AT+MQTTSVR?\r\r\n+MQTTSVR:mqtt.usr.cn,1883\r\n\r\nOK\r\n");
    EXPECT_EQ(typed("AT+MQTTWILL?"), "AT+MQTTWILL?\r\r\n+MQTTWILL:0,/will,0,0,offline\r\n\r\nOK\r\n");
    EXPECT_EQ(typed("AT+SSLEN?"), "AT+SSLEN?\r\r\n+SSLEN: OFF\r\n\r\nOK\r\n");
    EXPECT_EQ(typed("AT+WKMOD=MQTT"), "AT+WKMOD=MQTT\r\r\nOK\r\n");
    EXPECT_EQ(typed("AT+MQTTSVR=127.0.0.1," + std::to_string(broker.port())),
              "AT+MQTTSVR=127.0.0.1," + std::to_string(broker.port()) + "\r\r\nOK\r\n");
    EXPECT_EQ(typed("AT+S"), "AT+S\r\r\nOK\r\n");
    EXPECT_EQ(port_->read_until(kGm5Start, 3s), kGm5Start);
    ASSERT_TRUE(connected(1)) << text(mqtt()) << broker.log();
    EXPECT_TRUE(broker_saw(broker, std::string("as ") + kSn + " (p1, c0, k60, u'usr.cn')")) << broker.log();
    EXPECT_EQ(mqtt().value("client_id").toString().toStdString(), kSn);
    enter_command();
    EXPECT_EQ(typed("AT+WKMOD?"), "AT+WKMOD?\r\r\n+WKMOD:MQTT,NOR\r\n\r\nOK\r\n");
}

} // namespace
} // namespace dtu::itest
