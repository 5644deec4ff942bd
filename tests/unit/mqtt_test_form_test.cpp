// Table-driven: the "=?" answer of every MQTT, SSL and Aliyun command, byte for byte as the WH-GM5
// manual prints it (GM5 §2.2-§2.21; spec mqtt.md §3-§9, devices.md §4), with the G771's 4 topic
// entries (G771 §2.5.3) in place of the GM5's 10.
#include "dut.hpp"

using namespace dtu::test;

namespace {

struct TestFormCase {
    const char* line;
    const char* reply;
};

const TestFormCase kTestForms[] = {
    {"AT+MQTTCFG=?", "\r\n+MQTTCFG:<0~65535>,<0,1>\r\n\r\nOK\r\n"}, // §2.2
    {"AT+MQTTPUBTP=?",
     "\r\n+MQTTPUBTP:<1~4>[,<0,1>,<1~128 bytes>,<0,1,2>,<0,1>][,<0,1>]\r\n\r\nOK\r\n"},     // §2.3
    {"AT+MQTTSUBTP=?", "\r\n+MQTTSUBTP:<1~4>[,<0,1>,<1~128 bytes>,<0,1,2>]\r\n\r\nOK\r\n"}, // §2.4
    {"AT+MQTTWILL=?",
     "\r\n+MQTTWILL:<0,1>[,<1~128 bytes>,<0,1,2>,<0,1>,<1~128 bytes>]\r\n\r\nOK\r\n"}, // §2.5
    {"AT+MQTTMOD=?", "\r\n+MQTTMOD:<0,1>\r\n\r\nOK\r\n"},                              // §2.6
    {"AT+MQTTVER=?", "\r\n+MQTTVER:<3,4>\r\n\r\nOK\r\n"},                              // §2.7
    {"AT+MQTTSVR=?", "\r\n+MQTTSVR:<1~128 bytes>,<1~65535>\r\n\r\nOK\r\n"},            // §2.8
    {"AT+MQTTCID=?", "\r\n+MQTTCID:<1~128 bytes>\r\n\r\nOK\r\n"},                      // §2.9
    {"AT+MQTTUSER=?", "\r\n+MQTTUSER:<1~128 bytes>\r\n\r\nOK\r\n"},                    // §2.10
    {"AT+MQTTPSW=?", "\r\n+MQTTPSW:<1~128 bytes>\r\n\r\nOK\r\n"},                      // §2.11
    {"AT+MQTTSTA=?", "\r\n+MQTTSTA:<CONNECTION,DISCONNECTION>\r\n\r\nOK\r\n"},         // §2.12
    {"AT+ALIREGION=?", "\r\n+ALIREGION:<1~32 bytes>\r\n\r\nOK\r\n"},                   // §2.13
    {"AT+ALIPRODKEY=?", "\r\n+ALIPRODKEY:<1~20 bytes>\r\n\r\nOK\r\n"},                 // §2.14
    {"AT+ALIDEVSEC=?", "\r\n+ALIDEVSEC:<1~64 bytes>\r\n\r\nOK\r\n"},                   // §2.15
    {"AT+ALIDEVNAME=?", "\r\n+ALIDEVNAME:<1~32 bytes>\r\n\r\nOK\r\n"},                 // §2.16
    {"AT+ALIDEVID=?", "\r\n+ALIDEVID:<1~24 bytes>\r\n\r\nOK\r\n"},                     // §2.17
    {"AT+SSLEN=?", "\r\n+SSLEN:<ON,OFF>\r\n\r\nOK\r\n"},                               // §2.18
    // §2.19 prints the prefix "+HTTPSCRT:", a copy error (spec mqtt.md §9)
    {"AT+SSLCRT=?", "\r\n+SSLCRT:<0~2>,<1~2900 bytes>\r\n\r\nOK\r\n"},
    {"AT+SSLAUTH=?", "\r\n+SSLAUTH:<NONE,PEER,ALL>\r\n\r\nOK\r\n"},                   // §2.20
    {"AT+SSLCFG=?", "\r\n+SSLCFG:<ON,OFF>,<ON,OFF>,<ON,OFF>,<ON,OFF>\r\n\r\nOK\r\n"}, // §2.21
};

class MqttTestForm : public ::testing::TestWithParam<TestFormCase> {};

TEST_P(MqttTestForm, IsTheManualsLine) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd(GetParam().line), GetParam().reply);
}

INSTANTIATE_TEST_SUITE_P(G771, MqttTestForm, ::testing::ValuesIn(kTestForms), [](const auto& info) {
    const std::string line = info.param.line; // "AT+NAME=?" -> "NAME"
    return line.substr(3, line.size() - 5);
});

TEST(MqttTestForm, StatusStaysQueryOnly) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+MQTTSTA=CONNECTION"), err(58)) << "spec mqtt.md §3.7: a set is the operator error";
    EXPECT_EQ(dut.cmd("AT+MQTTSTA?"), answer("MQTTSTA", "\"DISCONNECTION\""));
}

} // namespace
