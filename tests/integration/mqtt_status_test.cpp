// MQTT mode's state end to end through the real dtu-sim: AT+MQTTSTA on the PTY and the control
// API's "mqtt" status while the broker refuses (spec mqtt.md §3.7, §6; docs/mqtt.md).
// Sessions with a real mosquitto broker: mqtt_mode_test.cpp.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <QJsonObject>

#include "at_session.hpp"
#include "control_client.hpp"
#include "net_peer.hpp"
#include "serial_client.hpp"
#include "sim_process.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

QJsonObject mqtt_of(Control& api) { return api.get("/api/v1/status").json.value("mqtt").toObject(); }

TEST(MqttStatus, RefusedBrokerIsRetriedAndShown) {
    SimProcess sim({"--control", "127.0.0.1:0"});
    ASSERT_TRUE(sim.start());
    Control api(sim.control());
    SerialClient port(sim.serial());
    ASSERT_EQ(port.read_until(kStartMessage, 3s), kStartMessage);
    EXPECT_EQ(mqtt_of(api).value("state").toString(), "off") << "factory work mode NET";

    const std::uint16_t closed = unused_tcp_port();
    configure_and_restart(
        port, {"AT+WKMOD=MQTT,NOR", "AT+MQTTSVR=127.0.0.1," + std::to_string(closed), "AT+MQTTCID=dtu-it-1"});
    QJsonObject mqtt;
    ASSERT_TRUE(wait_until([&] { return (mqtt = mqtt_of(api)).value("connect_failures").toInt() >= 2; }, 20s))
        << "retried every 5 s; status now: " << text(mqtt);
    EXPECT_EQ(mqtt.value("host").toString(), "127.0.0.1");
    EXPECT_EQ(mqtt.value("port").toInt(), closed);
    EXPECT_EQ(mqtt.value("client_id").toString(), "dtu-it-1");
    EXPECT_EQ(mqtt.value("connects").toInt(), 0);
    EXPECT_TRUE(mqtt.value("last_error").toString().startsWith("connect failed: ")) << text(mqtt);
    const QString state = mqtt.value("state").toString();
    EXPECT_TRUE(state == "waiting" || state == "connecting") << state.toStdString();
    EXPECT_EQ(api.get("/api/v1/status").json.value("work_mode").toString(), "MQTT,NOR");

    port.write("nobody hears this"); // discarded while disconnected (spec §6), and counted
    ASSERT_TRUE(wait_until([&] { return mqtt_of(api).value("frames_dropped").toInt() == 1; }, 5s));

    enter_command_mode(port);
    EXPECT_EQ(at_command(port, "AT+MQTTSTA"), "\r\n+MQTTSTA:\"DISCONNECTION\"\r\n\r\nOK\r\n");
}

TEST(MqttStatus, AliyunWithoutTripleSaysWhy) {
    SimProcess sim({"--control", "127.0.0.1:0"});
    ASSERT_TRUE(sim.start());
    Control api(sim.control());
    SerialClient port(sim.serial());
    ASSERT_EQ(port.read_until(kStartMessage, 3s), kStartMessage);
    configure_and_restart(port, {"AT+WKMOD=MQTT,ALI", "AT+ALIPRODKEY=a1BtHkUDKT"});
    const QJsonObject mqtt = mqtt_of(api);
    EXPECT_EQ(mqtt.value("state").toString(), "unconfigured");
    EXPECT_EQ(mqtt.value("last_error").toString(), "MQTT,ALI: AT+ALIDEVNAME is empty: not connecting");
    EXPECT_EQ(mqtt.value("connect_failures").toInt(), 0);
}

} // namespace
} // namespace dtu::itest
