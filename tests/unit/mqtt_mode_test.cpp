// MQTT work mode, the session: CONNECT parameters (generic and Aliyun), subscribe after connect,
// AT+MQTTSTA, reconnect interval and the AT+RSTIM no-connection restart (G771 §2.5, §2.6.8;
// spec mqtt.md §3, §6, §8, §9).
#include "dtu/mqtt/aliyun.hpp"
#include "mqtt_support.hpp"

using namespace dtu::test;
using dtu::device::MqttState;
using dtu::hal::LogLevel;
using dtu::hal::MqttError;

TEST(MqttMode, FactoryG771IsNotInMqttMode) {
    Dut dut;
    EXPECT_EQ(broker(dut).connects, 0);
    EXPECT_EQ(mqtt_status(dut).state, MqttState::Off);
}

TEST(MqttMode, FactoryParametersInConnect) {
    Dut dut;
    configure_mqtt(dut, {});
    EXPECT_EQ(broker(dut).connects, 1);
    EXPECT_EQ(broker(dut).host, "cloudmqtt.usr.cn"); // G771 §2.5.1 table 5
    EXPECT_EQ(broker(dut).port, 1883);
    EXPECT_EQ(broker(dut).client_id, "123456");
    EXPECT_EQ(broker(dut).username, "admin");
    EXPECT_EQ(broker(dut).password, "admin");
    EXPECT_EQ(broker(dut).protocol_level, 4) << "V3.1.1";
    EXPECT_EQ(broker(dut).keepalive_s, 60);
    EXPECT_TRUE(broker(dut).clean_session);
    EXPECT_FALSE(broker(dut).tls);
    ASSERT_TRUE(broker(dut).will) << "will on, /will, QoS 0, retained, offline";
    EXPECT_EQ(broker(dut).will_msg.topic, "/will");
    EXPECT_EQ(broker(dut).will_msg.payload, "offline");
    EXPECT_EQ(broker(dut).will_msg.qos, 0);
    EXPECT_TRUE(broker(dut).will_msg.retain);
    EXPECT_EQ(mqtt_status(dut).state, MqttState::Connecting);
    EXPECT_EQ(mqtt_status(dut).host, "cloudmqtt.usr.cn");
    EXPECT_EQ(dut.bench.device->status().work_mode, "MQTT,NOR");
}

TEST(MqttMode, GenericParametersInConnect) {
    Dut dut;
    configure_mqtt(dut,
                   {"AT+MQTTSVR=47.93.32.32,1884", "AT+MQTTUSER=HEHEHE", "AT+MQTTPSW=123456",
                    "AT+MQTTCID=02401322081900001968", "AT+MQTTCFG=120,0",
                    "AT+MQTTWILL=1,dev/state,2,0,gone"},
                   "AT+WKMOD=MQTT,NOR");
    EXPECT_EQ(broker(dut).host, "47.93.32.32");
    EXPECT_EQ(broker(dut).port, 1884);
    EXPECT_EQ(broker(dut).client_id, "02401322081900001968");
    EXPECT_EQ(broker(dut).username, "HEHEHE");
    EXPECT_EQ(broker(dut).password, "123456");
    EXPECT_EQ(broker(dut).keepalive_s, 120);
    EXPECT_FALSE(broker(dut).clean_session);
    ASSERT_TRUE(broker(dut).will);
    EXPECT_EQ(broker(dut).will_msg.topic, "dev/state");
    EXPECT_EQ(broker(dut).will_msg.payload, "gone");
    EXPECT_EQ(broker(dut).will_msg.qos, 2);
    EXPECT_FALSE(broker(dut).will_msg.retain);
    EXPECT_EQ(mqtt_status(dut).client_id, "02401322081900001968");
}

TEST(MqttMode, VersionPicksTheProtocolLevel) {
    Dut dut;
    configure_mqtt(dut, {"AT+MQTTVER=3"});
    EXPECT_EQ(broker(dut).protocol_level, 3) << "MQTT 3.1, MQIsdp";
    configure_mqtt(dut, {"AT+MQTTVER=4"});
    EXPECT_EQ(broker(dut).protocol_level, 4);
}

TEST(MqttMode, WillOffOrUnusable) {
    Dut dut;
    configure_mqtt(dut, {"AT+MQTTWILL=0"});
    EXPECT_FALSE(broker(dut).will);
    configure_mqtt(dut, {"AT+MQTTWILL=1,dev/+/state,0,0,gone"});
    EXPECT_FALSE(broker(dut).will) << "a broker closes the connection on a will topic with a wildcard";
    EXPECT_TRUE(logged(dut, LogLevel::Warn, "will topic 'dev/+/state' is not a valid topic name"));
    EXPECT_EQ(broker(dut).connects, 2) << "it connects all the same";
}

TEST(MqttMode, TlsParametersWhenSslIsOn) {
    Dut dut;
    configure_mqtt(dut, {"AT+SSLEN=ON", "AT+SSLAUTH=PEER",
                         "AT+SSLCRT=0,-----BEGIN CERTIFICATE-----[0A]MIIB[0A]-----END CERTIFICATE-----[0A]"});
    EXPECT_TRUE(broker(dut).tls);
    EXPECT_EQ(broker(dut).tls_auth, dtu::hal::TlsAuth::Peer);
    EXPECT_EQ(broker(dut).tls_ca_pem, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    configure_mqtt(dut, {"AT+SSLEN=OFF"});
    EXPECT_FALSE(broker(dut).tls);
}

TEST(MqttMode, SubscribesEnabledEntriesAfterConnect) {
    Dut dut;
    configure_mqtt(dut, {"AT+MQTTSUBTP=3,1,dev/+/cmd,2", "AT+MQTTSUBTP=4,0,off/topic,1"});
    EXPECT_TRUE(broker(dut).subscribed.empty()) << "nothing before CONNACK";
    broker(dut).accept();
    const std::vector<std::pair<std::string, std::uint8_t>> want{{"/SubTopic1", 0}, {"dev/+/cmd", 2}};
    EXPECT_EQ(broker(dut).subscribed, want) << "enabled entries, in entry order";
}

TEST(MqttMode, InvalidTopicEntriesAreLeftOut) {
    Dut dut;
    configure_mqtt(dut, {"AT+MQTTSUBTP=2,1,a/#/b,0", "AT+MQTTPUBTP=2,1,up/+,0,0"});
    broker(dut).accept();
    const std::vector<std::pair<std::string, std::uint8_t>> want{{"/SubTopic1", 0}};
    EXPECT_EQ(broker(dut).subscribed, want);
    EXPECT_TRUE(logged(dut, LogLevel::Warn, "subscribe topic 2 'a/#/b' is not a valid topic filter"));
    EXPECT_TRUE(logged(dut, LogLevel::Warn, "publish topic 2 'up/+' is not a valid topic name"));
    dut.frame("x");
    ASSERT_EQ(broker(dut).published.size(), 1u);
    EXPECT_EQ(broker(dut).published[0].topic, "/PubTopic1");
}

TEST(MqttMode, MqttstaFollowsTheSession) {
    Dut dut;
    configure_mqtt(dut, {});
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+MQTTSTA"), answer("MQTTSTA", "\"DISCONNECTION\"")); // GM5 §2.12, quoted
    broker(dut).accept();
    EXPECT_EQ(dut.cmd("AT+MQTTSTA"), answer("MQTTSTA", "\"CONNECTION\""));
    EXPECT_EQ(dut.cmd("AT+MQTTSTA?"), answer("MQTTSTA", "\"CONNECTION\""));
    broker(dut).drop();
    EXPECT_EQ(dut.cmd("AT+MQTTSTA"), answer("MQTTSTA", "\"DISCONNECTION\""));
    EXPECT_EQ(dut.cmd("AT+MQTTSTA=1"), err(58)) << "query only";
}

TEST(MqttMode, FailedConnectRetriesEveryFiveSecondsForever) {
    Dut dut;
    configure_mqtt(dut, {"AT+RSTIM=0"});
    for (int attempt = 1; attempt <= 20; ++attempt) {
        ASSERT_EQ(broker(dut).connects, attempt);
        broker(dut).refuse(MqttError::Refused);
        EXPECT_EQ(mqtt_status(dut).state, MqttState::Waiting);
        dut.advance(4999);
        EXPECT_EQ(broker(dut).connects, attempt) << "G771 §2.5.1: reconnect interval 5 s";
        dut.advance(1);
    }
    EXPECT_EQ(mqtt_status(dut).connect_failures, 20u);
    EXPECT_EQ(mqtt_status(dut).last_error, "connect failed: connection refused");
    EXPECT_EQ(mqtt_status(dut).state, MqttState::Connecting);
    broker(dut).accept();
    EXPECT_EQ(mqtt_status(dut).state, MqttState::Connected);
    EXPECT_EQ(mqtt_status(dut).connects, 1u);
    EXPECT_TRUE(dut.bench.system.resets.empty());
}

TEST(MqttMode, LostSessionReconnectsAfterTheInterval) {
    Dut dut;
    configure_mqtt(dut, {});
    broker(dut).accept();
    broker(dut).drop(MqttError::KeepAlive);
    EXPECT_EQ(mqtt_status(dut).state, MqttState::Waiting);
    EXPECT_EQ(mqtt_status(dut).connection_losses, 1u);
    EXPECT_EQ(mqtt_status(dut).last_error, "session ended: no PINGRESP within the keep-alive");
    dut.advance(4999);
    EXPECT_EQ(broker(dut).connects, 1);
    dut.advance(1);
    EXPECT_EQ(broker(dut).connects, 2);
    broker(dut).accept();
    EXPECT_EQ(mqtt_status(dut).connects, 2u);
}

TEST(MqttMode, RejectedConnectShowsTheReturnCode) {
    Dut dut;
    configure_mqtt(dut, {});
    broker(dut).refuse(MqttError::Rejected, 5);
    EXPECT_EQ(mqtt_status(dut).last_error, "connect failed: CONNACK return code 5");
    EXPECT_TRUE(logged(dut, LogLevel::Warn, "CONNACK return code 5; reconnecting in 5 s"));
}

TEST(MqttMode, NoConnectionRestartAfterRstim) {
    Dut dut;
    configure_mqtt(dut, {"AT+RSTIM=60"});
    // The broker never answers (a black hole): still "no connection" (G771 §2.6.8).
    dut.advance(59999);
    EXPECT_TRUE(dut.bench.system.resets.empty());
    dut.advance(1);
    ASSERT_EQ(dut.bench.system.resets.size(), 1u);
    EXPECT_EQ(dut.bench.system.resets[0], dtu::hal::ResetCause::NoData);
    EXPECT_TRUE(logged(dut, LogLevel::Warn, "no MQTT connection for AT+RSTIM seconds: restarting"));
}

TEST(MqttMode, SessionStopsTheNoConnectionCountdown) {
    Dut dut;
    configure_mqtt(dut, {"AT+RSTIM=60"});
    dut.advance(50000);
    broker(dut).refuse();
    dut.advance(5000);
    broker(dut).accept(); // at 55 s
    dut.advance(3600 * 1000);
    EXPECT_TRUE(dut.bench.system.resets.empty()) << "connected, however long and however quiet";
    broker(dut).drop();
    dut.advance(59999); // reconnect attempts are not answered
    EXPECT_TRUE(dut.bench.system.resets.empty()) << "the countdown starts again at the loss";
    dut.advance(1);
    EXPECT_EQ(dut.bench.system.resets.size(), 1u);
}

TEST(MqttMode, RstimZeroNeverRestarts) {
    Dut dut;
    configure_mqtt(dut, {"AT+RSTIM=0"});
    dut.advance(24ull * 3600 * 1000);
    EXPECT_TRUE(dut.bench.system.resets.empty());
}

TEST(MqttMode, SerialDataWhileDisconnectedIsDiscardedAndCounted) {
    Dut dut;
    configure_mqtt(dut, {});
    dut.frame("early");
    EXPECT_TRUE(broker(dut).published.empty());
    EXPECT_EQ(mqtt_status(dut).frames_dropped, 1u);
    EXPECT_EQ(dut.bench.device->status().counters.data_bytes_dropped, 5u);
    broker(dut).accept();
    dut.frame("on time");
    ASSERT_EQ(broker(dut).published.size(), 1u);
    EXPECT_EQ(broker(dut).published[0].payload, "on time") << "the early frame is not replayed";
    broker(dut).drop();
    dut.frame("late");
    EXPECT_EQ(broker(dut).published.size(), 1u);
    EXPECT_EQ(mqtt_status(dut).frames_dropped, 2u);
}

TEST(MqttMode, AliyunDerivesBrokerAndCredentials) {
    Dut dut;
    configure_mqtt(dut,
                   {"AT+ALIPRODKEY=a1BtHkUDKT", "AT+ALIDEVNAME=GM5_TEST", "AT+ALIDEVSEC=s3cr3t",
                    "AT+ALIDEVID=12345", "AT+MQTTCFG=300,1"},
                   "AT+WKMOD=MQTT,ALI");
    ASSERT_EQ(broker(dut).connects, 1);
    EXPECT_EQ(broker(dut).host, "a1BtHkUDKT.iot-as-mqtt.cn-shanghai.aliyuncs.com"); // region: factory
    EXPECT_EQ(broker(dut).port, 1883);
    EXPECT_EQ(broker(dut).client_id, "12345|securemode=3,signmethod=hmacsha1|");
    EXPECT_EQ(broker(dut).username, "GM5_TEST&a1BtHkUDKT");
    EXPECT_EQ(dut.bench.crypto.last_key, "s3cr3t");
    EXPECT_EQ(dut.bench.crypto.last_data, "clientId12345deviceNameGM5_TESTproductKeya1BtHkUDKT");
    dtu::hal::Sha1Digest mac{};
    FakeCrypto reference;
    reference.hmac_sha1("s3cr3t", dut.bench.crypto.last_data, mac);
    EXPECT_EQ(broker(dut).password, dtu::mqtt::upper_hex(mac));
    EXPECT_EQ(broker(dut).keepalive_s, 300) << "other settings as generic MQTT (G771 §2.5.2)";
    EXPECT_EQ(mqtt_status(dut).host, "a1BtHkUDKT.iot-as-mqtt.cn-shanghai.aliyuncs.com");
    EXPECT_EQ(dut.bench.device->status().work_mode, "MQTT,ALI");
    EXPECT_FALSE(logged(dut, LogLevel::Warn, "keep-alive"));
}

TEST(MqttMode, AliyunOverTls) {
    Dut dut;
    configure_mqtt(dut,
                   {"AT+ALIREGION=cn-beijing", "AT+ALIPRODKEY=pk", "AT+ALIDEVNAME=dn", "AT+ALIDEVSEC=ds",
                    "AT+ALIDEVID=id", "AT+SSLEN=ON"},
                   "AT+WKMOD=MQTT,ALI");
    EXPECT_EQ(broker(dut).host, "pk.iot-as-mqtt.cn-beijing.aliyuncs.com");
    EXPECT_EQ(broker(dut).client_id, "id|securemode=2,signmethod=hmacsha1|");
    EXPECT_TRUE(broker(dut).tls);
    EXPECT_EQ(broker(dut).tls_auth, dtu::hal::TlsAuth::Mutual) << "G771 §2.5.2 table 6: X.509 mutual";
    EXPECT_FALSE(logged(dut, LogLevel::Warn, "Aliyun accepts a keep-alive")) << "60 s is in its range";
}

TEST(MqttMode, AliyunKeepAliveOutsideItsRangeIsWarned) {
    Dut dut;
    configure_mqtt(
        dut, {"AT+ALIPRODKEY=pk", "AT+ALIDEVNAME=dn", "AT+ALIDEVSEC=ds", "AT+ALIDEVID=id", "AT+MQTTCFG=10,1"},
        "AT+WKMOD=MQTT,ALI");
    EXPECT_TRUE(logged(dut, LogLevel::Warn, "Aliyun accepts a keep-alive of 30-1200 s only"));
    EXPECT_EQ(broker(dut).keepalive_s, 10) << "sent as configured: the cloud decides";
}

TEST(MqttMode, AliyunWithoutTheTripleDoesNotConnect) {
    Dut dut;
    configure_mqtt(dut, {"AT+ALIDEVNAME=dn", "AT+ALIDEVSEC=ds", "AT+ALIDEVID=id"}, "AT+WKMOD=MQTT,ALI");
    EXPECT_EQ(broker(dut).connects, 0);
    EXPECT_EQ(dut.bench.crypto.calls, 0);
    EXPECT_EQ(mqtt_status(dut).state, MqttState::Unconfigured);
    EXPECT_EQ(mqtt_status(dut).last_error, "MQTT,ALI: AT+ALIPRODKEY is empty: not connecting");
    EXPECT_TRUE(logged(dut, LogLevel::Error, "MQTT,ALI: AT+ALIPRODKEY is empty: not connecting"));
    dut.advance(60000);
    EXPECT_EQ(broker(dut).connects, 0) << "no retry: nothing changes until the parameters do";
    dut.frame("data");
    EXPECT_EQ(mqtt_status(dut).frames_dropped, 1u);
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+MQTTSTA"), answer("MQTTSTA", "\"DISCONNECTION\""));
}

TEST(MqttMode, NoConnectionRestartAlsoWhenUnconfigured) {
    Dut dut;
    configure_mqtt(dut, {"AT+RSTIM=60"}, "AT+WKMOD=MQTT,ALI");
    dut.advance(60000);
    EXPECT_EQ(dut.bench.system.resets.size(), 1u) << "G771 §2.6.8 counts any time without a connection";
}
