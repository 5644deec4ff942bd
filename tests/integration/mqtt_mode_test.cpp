// MQTT mode end to end: the real dtu-sim, its PTY, a real mosquitto broker with mosquitto_sub /
// mosquitto_pub as the other clients, the traffic through the simulated cellular link (G771 §2.5;
// GM5 §3.1.2-§3.1.4; spec mqtt.md §5-§6).
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
#include "test_pki.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

class MqttModeTest : public ::testing::Test {
protected:
    void SetUp() override {
        sim_ = std::make_unique<SimProcess>(std::vector<std::string>{"--control", "127.0.0.1:0"});
        ASSERT_TRUE(sim_->start());
        api_ = std::make_unique<Control>(sim_->control());
        port_ = std::make_unique<SerialClient>(sim_->serial());
        ASSERT_EQ(port_->read_until(kStartMessage, 3s), kStartMessage);
    }

    /// The GM5 §3.1.2 walk-through against `broker`, plus `extra`; then wait for the session.
    void mqtt_mode(const MosquittoBroker& broker, const std::string& client_id,
                   std::vector<std::string> extra = {}) {
        std::vector<std::string> commands{"AT+WKMOD=MQTT,NOR",
                                          "AT+MQTTSVR=127.0.0.1," + std::to_string(broker.port()),
                                          "AT+MQTTCID=" + client_id, "AT+MQTTVER=4"};
        commands.insert(commands.end(), extra.begin(), extra.end());
        configure_and_restart(*port_, commands);
    }
    QJsonObject mqtt() { return api_->get("/api/v1/status").json.value("mqtt").toObject(); }
    bool mqtt_is(const char* state, int connects, std::chrono::milliseconds timeout = 15s) {
        return wait_until(
            [&] {
                const QJsonObject m = mqtt();
                return m.value("state").toString() == state && m.value("connects").toInt() == connects;
            },
            timeout, 20ms);
    }
    bool temporary_topics_are(int n) {
        return wait_until([&] { return mqtt().value("temporary_topics").toInt() == n; }, 10s, 20ms);
    }
    void link(const std::string& body) { ASSERT_EQ(api_->put("/api/v1/link", body).status, 200) << body; }
    /// One serial frame: the packing interval (50 ms of quiet) ends it.
    void frame(const std::string& bytes) { port_->write(bytes); }
    /// Serial output up to and including `text` (empty after the timeout).
    std::string serial_until(const std::string& text, std::chrono::milliseconds timeout = 10s) {
        const std::string got = port_->read_until(text, timeout);
        return got.size() >= text.size() && got.compare(got.size() - text.size(), text.size(), text) == 0
                   ? got
                   : "";
    }

    std::unique_ptr<SimProcess> sim_;
    std::unique_ptr<Control> api_;
    std::unique_ptr<SerialClient> port_;
};

TEST_F(MqttModeTest, TransparentBothWays) {
    MosquittoBroker broker;
    MqttSubscriber sub(broker.port(), "/PubTopic1");
    mqtt_mode(broker, "dtu-e2e-transparent");
    ASSERT_TRUE(mqtt_is("connected", 1)) << text(mqtt()) << broker.log();

    frame("hello broker");
    EXPECT_TRUE(sub.wait_for("/PubTopic1 hello broker")) << text(mqtt());
    // Retained, so it reaches the device whether its SUBSCRIBE is already acknowledged or not.
    ASSERT_TRUE(mqtt_publish(broker.port(), "/SubTopic1", "hello device", 0, true));
    EXPECT_EQ(serial_until("hello device"), "hello device") << "the payload alone, nothing around it";
    ASSERT_TRUE(mqtt_publish(broker.port(), "/SubTopic1", std::string("bin\0\xff\r\n", 7), 1));
    EXPECT_EQ(serial_until(std::string("bin\0\xff\r\n", 7)), std::string("bin\0\xff\r\n", 7));
    ASSERT_TRUE(mqtt_publish(broker.port(), "/elsewhere", "not subscribed"));

    enter_command_mode(*port_);
    EXPECT_EQ(at_command(*port_, "AT+MQTTSTA"), "\r\n+MQTTSTA:\"CONNECTION\"\r\n\r\nOK\r\n");
    const QJsonObject m = mqtt();
    EXPECT_EQ(m.value("published").toInt(), 1);
    EXPECT_EQ(m.value("to_serial").toInt(), 2);
    EXPECT_EQ(m.value("client_id").toString(), "dtu-e2e-transparent");
}

TEST_F(MqttModeTest, DistributionBothWaysWithTemporaryTopics) {
    MosquittoBroker broker;
    MqttSubscriber sub(broker.port(), "#");
    mqtt_mode(broker, "dtu-e2e-distribution", {"AT+MQTTMOD=1", "AT+MQTTPUBTP=2,1,/PubTopic2,1,0"});
    ASSERT_TRUE(mqtt_is("connected", 1)) << text(mqtt()) << broker.log();

    // GM5 §3.1.4, as captured with MQTT.fx.
    frame("1,data send from module");
    EXPECT_TRUE(sub.wait_for("/PubTopic1 data send from module"));
    frame("2,second,with,commas");
    EXPECT_TRUE(sub.wait_for("/PubTopic2 second,with,commas"));
    frame("0,0,linshifabu1,0,0,data send from module");
    EXPECT_TRUE(sub.wait_for("linshifabu1 data send from module"));

    ASSERT_TRUE(mqtt_publish(broker.port(), "/SubTopic1", "data send fromMQTT fx", 0, true));
    EXPECT_EQ(serial_until("1,data send fromMQTT fx"), "1,data send fromMQTT fx");

    frame("0,1,linshidingyue1,0");
    ASSERT_TRUE(temporary_topics_are(1));
    ASSERT_TRUE(mqtt_publish(broker.port(), "linshidingyue1", "to a temporary topic", 0, true));
    EXPECT_EQ(serial_until("0,linshidingyue1,to a temporary topic"), "0,linshidingyue1,to a temporary topic");

    frame("0,2,linshidingyue1");
    ASSERT_TRUE(temporary_topics_are(0));
    frame("9,no such entry"); // dropped and counted, no answer
    ASSERT_TRUE(wait_until([&] { return mqtt().value("bad_frames").toInt() == 1; }, 5s, 20ms));
    EXPECT_TRUE(port_->expect_silence(200ms)) << port_->buffered();
}

TEST_F(MqttModeTest, WillOnLinkDownAndReconnectAfterTheFlap) {
    MosquittoBroker broker;
    MqttSubscriber will(broker.port(), "/will");
    MqttSubscriber up(broker.port(), "/PubTopic1");
    mqtt_mode(broker, "dtu-e2e-flap", {"AT+MQTTWILL=1,/will,1,0,offline"});
    ASSERT_TRUE(mqtt_is("connected", 1)) << text(mqtt()) << broker.log();

    link(R"({"attached": false})"); // registration lost: the TCP connection goes without DISCONNECT
    EXPECT_TRUE(will.wait_for("/will offline")) << broker.log();
    ASSERT_TRUE(wait_until([&] { return mqtt().value("connection_losses").toInt() == 1; }, 10s, 20ms));
    frame("while down");
    ASSERT_TRUE(wait_until([&] { return mqtt().value("frames_dropped").toInt() == 1; }, 5s, 20ms));

    link(R"({"attached": true})");
    ASSERT_TRUE(mqtt_is("connected", 2, 20s)) << text(mqtt()); // after the 5 s reconnect interval
    frame("after the flap");
    EXPECT_TRUE(up.wait_for("/PubTopic1 after the flap"));
    EXPECT_FALSE(up.has("/PubTopic1 while down")) << "discarded, not cached";
    ASSERT_TRUE(mqtt_publish(broker.port(), "/SubTopic1", "subscribed again", 0, true));
    EXPECT_EQ(serial_until("subscribed again"), "subscribed again");
}

TEST_F(MqttModeTest, RestartDropsTheSessionLikeAPowerCut) {
    MosquittoBroker broker;
    MqttSubscriber will(broker.port(), "/will");
    mqtt_mode(broker, "dtu-e2e-restart", {"AT+MQTTWILL=1,/will,0,0,offline"});
    ASSERT_TRUE(mqtt_is("connected", 1)) << text(mqtt()) << broker.log();
    enter_command_mode(*port_);
    EXPECT_EQ(at_command(*port_, "AT+Z"), "\r\nOK\r\n");
    EXPECT_EQ(port_->read_until(kStartMessage, 3s), kStartMessage);
    EXPECT_TRUE(will.wait_for("/will offline")) << "no DISCONNECT before the reset" << broker.log();
    EXPECT_TRUE(mqtt_is("connected", 1)) << "connected again after the restart: " << text(mqtt());
}

TEST_F(MqttModeTest, WorksOverASlowLink) {
    MosquittoBroker broker;
    MqttSubscriber sub(broker.port(), "/PubTopic1");
    link(R"({"upstream": {"latency_ms": 300}, "downstream": {"latency_ms": 300}})");
    mqtt_mode(broker, "dtu-e2e-slow", {"AT+MQTTCFG=30,1"});
    ASSERT_TRUE(mqtt_is("connected", 1, 20s)) << text(mqtt()) << broker.log();
    frame("over 300 ms each way");
    EXPECT_TRUE(sub.wait_for("/PubTopic1 over 300 ms each way", 15s));
    ASSERT_TRUE(mqtt_publish(broker.port(), "/SubTopic1", "slowly back", 1, true));
    EXPECT_EQ(serial_until("slowly back", 15s), "slowly back");
    EXPECT_EQ(mqtt().value("connection_losses").toInt(), 0);
}

TEST_F(MqttModeTest, CredentialsAndVersion3) {
    BrokerOptions options;
    options.allow_anonymous = false;
    options.users = {{"HEHEHE", "123456"}};
    MosquittoBroker broker(options);
    MqttSubscriber sub(broker.port(), "/PubTopic1", 0, {"-u", "HEHEHE", "-P", "123456"});
    // MQTT 3.1 limits the client id to 23 bytes.
    mqtt_mode(broker, "dtu-e2e-v3", {"AT+MQTTUSER=HEHEHE", "AT+MQTTPSW=123456", "AT+MQTTVER=3"});
    ASSERT_TRUE(mqtt_is("connected", 1)) << text(mqtt()) << broker.log();
    frame("MQIsdp works");
    EXPECT_TRUE(sub.wait_for("/PubTopic1 MQIsdp works"));
}

TEST_F(MqttModeTest, WrongPasswordIsRejectedAndRetried) {
    BrokerOptions options;
    options.allow_anonymous = false;
    options.users = {{"HEHEHE", "123456"}};
    MosquittoBroker broker(options);
    mqtt_mode(broker, "dtu-e2e-badpw", {"AT+MQTTUSER=HEHEHE", "AT+MQTTPSW=wrong"});
    QJsonObject m;
    ASSERT_TRUE(wait_until([&] { return (m = mqtt()).value("connect_failures").toInt() >= 2; }, 20s, 20ms))
        << text(m);
    EXPECT_EQ(m.value("last_error").toString(), "connect failed: CONNACK return code 5") << text(m);
    EXPECT_EQ(m.value("connects").toInt(), 0);
}

BrokerOptions tls_broker(bool require_certificate) {
    const TestPki& pki = test_pki();
    BrokerOptions options;
    BrokerListener l;
    l.tls = true;
    l.cafile = pki.ca.cert_file;
    l.certfile = pki.server.cert_file;
    l.keyfile = pki.server.key_file;
    l.require_certificate = require_certificate;
    options.listeners = {l};
    return options;
}

TEST_F(MqttModeTest, MqttsVerifyingTheBroker) {
    MosquittoBroker broker(tls_broker(false));
    mqtt_mode(broker, "dtu-e2e-tls",
              {"AT+SSLEN=ON", "AT+SSLAUTH=PEER", "AT+SSLCRT=0," + at_escaped(test_pki().ca.cert_pem)});
    ASSERT_TRUE(mqtt_is("connected", 1)) << text(mqtt()) << broker.log() << sim_->err();
    ASSERT_TRUE(mqtt_publish(broker.port(), "/SubTopic1", "over TLS", 0, true,
                             {"--cafile", test_pki().ca.cert_file.string()}));
    EXPECT_EQ(serial_until("over TLS"), "over TLS");
}

TEST_F(MqttModeTest, MqttsMutualAuthentication) {
    MosquittoBroker broker(tls_broker(true));
    const TestPki& pki = test_pki();
    mqtt_mode(broker, "dtu-e2e-mtls",
              {"AT+SSLEN=ON", "AT+SSLAUTH=ALL", "AT+SSLCRT=0," + at_escaped(pki.ca.cert_pem),
               "AT+SSLCRT=1," + at_escaped(pki.client.cert_pem),
               "AT+SSLCRT=2," + at_escaped(pki.client.key_pem)});
    ASSERT_TRUE(mqtt_is("connected", 1)) << text(mqtt()) << broker.log();
}

TEST_F(MqttModeTest, MqttsWithTheWrongCaFailsAndRetries) {
    MosquittoBroker broker(tls_broker(false));
    mqtt_mode(broker, "dtu-e2e-badca",
              {"AT+SSLEN=ON", "AT+SSLAUTH=PEER", "AT+SSLCRT=0," + at_escaped(test_pki().other_ca.cert_pem)});
    QJsonObject m;
    ASSERT_TRUE(wait_until([&] { return (m = mqtt()).value("connect_failures").toInt() >= 1; }, 10s, 20ms))
        << text(m) << sim_->err();
    EXPECT_EQ(m.value("last_error").toString(), "connect failed: TLS handshake failed");
    EXPECT_EQ(m.value("connects").toInt(), 0);
    // The firmware tries again after the reconnect interval: a second connect reaches the module.
    const auto service_connects = [&] {
        return api_->get("/api/v1/status").json.value("mqtt_service").toObject().value("connects").toInt();
    };
    EXPECT_TRUE(wait_until([&] { return service_connects() >= 2; }, 15s, 20ms)) << sim_->err();
    // Every retry fails the same way, in its handshake: none stalls in the SOCKS exchange (a
    // libmosquitto object reused after a failed handshake did, until the relay's timeout).
    ASSERT_TRUE(wait_until([&] { return (m = mqtt()).value("connect_failures").toInt() >= 3; }, 20s, 20ms))
        << text(m) << sim_->err();
    EXPECT_EQ(m.value("last_error").toString(), "connect failed: TLS handshake failed");
    EXPECT_EQ(sim_->err().find("SOCKS handshake timed out"), std::string::npos) << sim_->err();
}

} // namespace
} // namespace dtu::itest
