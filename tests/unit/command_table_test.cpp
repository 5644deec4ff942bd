// Table-driven: every row of the G771 command table, through the serial port in command mode.
#include <set>

#include "dtu/at/answer.hpp"
#include "dtu/params/store.hpp"
#include "dut.hpp"
#include "row_coverage.hpp"

using namespace dtu::test;

namespace {

/// One stored-parameter row: factory answer, a good set and its read-back, a bad set.
struct ParamCase {
    const char* name;
    const char* factory;
    const char* set;
    const char* readback;
    const char* bad;
};

// Factory values: G771 manual where given, otherwise the spec's RECOMMENDED values (devices.md §3).
const ParamCase kParams[] = {
    {"E", "ON", "off", "OFF", "MAYBE"},
    {"WKMOD", "NET", "MQTT", "MQTT,NOR", "NET,ALI"},
    {"CMDPW", "usr.cn#", "\"abc#\"", "abc#", "01234567890"},
    {"STMSG", "USR-G771 V1.3.25", "hello, world", "hello, world", ""},
    {"RSTIM", "1800", "0", "0", "59"},
    {"SDPEN", "OFF", "ON", "ON", "1"},
    {"NATEN", "ON", "OFF", "OFF", ""},
    {"UATEN", "ON", "OFF", "OFF", "ONN"},
    {"CACHEN", "ON", "OFF", "OFF", "of"},
    {"SAFEATEN", "OFF", "ON", "ON", "YES"},
    {"UART", "115200,8,1,NONE,NFC", "9600,8,2,even,nfc", "9600,8,2,EVEN,NFC", "9600,7,1,NONE,NFC"},
    {"UARTFL", "1024", "4096", "4096", "4097"},
    {"UARTFT", "50", "10", "10", "9"},
    {"APN", "CMNET,,,0", "3gnet", "3gnet,,,0", "a,b,c,3"},
    {"SOCKA", "TCP,socket.usr.cn,2317", "udp,10.0.0.1,7", "UDP,10.0.0.1,7", "TCP,host,0"},
    {"SOCKB", "TCP,socket.usr.cn,2317", "TCP,\"b.example\",65535", "TCP,b.example,65535", "TCP,,80"},
    {"SOCKC", "TCP,socket.usr.cn,2317", "TCP,c,1", "TCP,c,1", "SCTP,c,1"},
    {"SOCKD", "TCP,socket.usr.cn,2317", "UDP,d,2", "UDP,d,2", "UDP,d"},
    {"SOCKAEN", "ON", "OFF", "OFF", ""},
    {"SOCKBEN", "OFF", "ON", "ON", "2"},
    {"SOCKCEN", "OFF", "ON", "ON", "2"},
    {"SOCKDEN", "OFF", "ON", "ON", "2"},
    {"SOCKASL", "LONG", "short", "SHORT", "MEDIUM"},
    {"KEEPALIVEA", "", "60,5,3", "60,5,3", nullptr},
    {"KEEPALIVEB", "", "x", "x", nullptr},
    {"KEEPALIVEC", "", "y", "y", nullptr},
    {"KEEPALIVED", "", "z", "z", nullptr},
    {"SHORTATM", "10", "255", "255", "1"},
    {"SOCKRSNUM", "60", "65535", "65535", "0"},
    {"SOCKRSTIM", "5", "1", "1", "65536"},
    {"SOCKABK", "TCP,socket.usr.cn,2317", "TCP,backup.example,9000", "TCP,backup.example,9000", "TCP,x,-1"},
    {"SOCKBBK", "TCP,socket.usr.cn,2317", "UDP,b,1", "UDP,b,1", "UDP,b,x"},
    {"SOCKCBK", "TCP,socket.usr.cn,2317", "UDP,c,1", "UDP,c,1", "UDP"},
    {"SOCKDBK", "TCP,socket.usr.cn,2317", "UDP,d,1", "UDP,d,1", ","},
    {"SOCKABKEN", "OFF", "ON", "ON", "Y"},
    {"SOCKBBKEN", "OFF", "ON", "ON", "Y"},
    {"SOCKCBKEN", "OFF", "ON", "ON", "Y"},
    {"SOCKDBKEN", "OFF", "ON", "ON", "Y"},
    {"REGEN", "OFF", "ON", "ON", "TRUE"},
    {"REGTP", "USER", "iccid", "ICCID", "MAC"},
    {"REGDT", "7777772E7573722E636E", "0a0b", "0A0B", "777772E7573722E636E"},
    {"REGSND", "LINK", "link&data", "LINK&DATA", "BOTH"},
    {"CLOUD", ",", "00001234567890123456,12345678", "00001234567890123456,12345678", "1,123456789"},
    {"HEARTEN", "ON", "OFF", "OFF", "0"},
    {"HEARTTP", "NET", "COM", "COM", "UART"},
    {"HEARTDT", "7777772E7573722E636E", "41", "41", "4G"},
    {"HEARTTM", "30", "65535", "65535", "0"},
    {"HEARTSORT", "USER", "LBS", "LBS", "GPS"},
    {"HEART", "", "anything", "anything", nullptr},
    {"HTPTP", "GET", "post", "POST", "PUT"},
    {"HTPURL", "/1.php?", "/a.php[3F]x=1", "/a.php?x=1", ""},
    {"HTPHD", "Accept:text/html[0D][0A]", "Connection: close[0D][0A]", "Connection: close[0D][0A]", nullptr},
    {"HTPSV", "socket.usr.cn,80", "example.com,8080", "example.com,8080", "example.com,0"},
    {"HTPPK", "ON", "OFF", "OFF", "NO"},
    {"HTPTIM", "10", "600", "600", "0"},
    {"DSTNUM", "1008610010", "+8613800000000", "+8613800000000", "1380-0000"},
    {"SMSFLT", "OFF", "ON", "ON", "1"},
    {"MQTTSVR", "cloudmqtt.usr.cn,1883", "broker.local", "broker.local,1883", "broker,70000"},
    {"MQTTUSER", "admin", "u", "u", ""},
    {"MQTTPSW", "admin", "p", "p", ""},
    {"MQTTCID", "123456", "dev-1", "dev-1", ""},
    {"MQTTVER", "4", "3", "3", "5"},
    {"MQTTMOD", "0", "1", "1", "2"},
    {"MQTTCFG", "60,1", "120,0", "120,0", "60,2"},
    {"MQTTWILL", "1,/will,0,1,offline", "0", "0,/will,0,1,offline", "1,/w,3,0,bye"},
    {"SSLEN", "OFF", "ON", "ON", "TLS"},
    {"SSLVER", "ALL", "tls1.2", "TLS1.2", "TLS1.3"},
    {"SSLAUTH", "NONE", "peer", "PEER", "SOME"},
    {"SSLCFG", "OFF,OFF,OFF,OFF", "ON", "ON,OFF,OFF,OFF", "ON,ON,ON,ON,ON"},
    {"ALIREGION", "cn-shanghai", "cn-beijing", "cn-beijing", nullptr},
    {"ALIPRODKEY", "", "a1b2c3", "a1b2c3", "123456789012345678901"},
    {"ALIDEVNAME", "", "dev", "dev", nullptr},
    {"ALIDEVSEC", "", "secret", "secret", nullptr},
    {"ALIDEVID", "", "42", "42", "1234567890123456789012345"},
    {"NTPSVR", "cn.ntp.org.cn,us.ntp.org.cn", "pool.ntp.org", "pool.ntp.org", "a,,b"},
    {"NTPEN", "OFF", "ON", "ON", "1"},
    {"NTPTM", "60", "1", "1", "0"},
    {"SIMSWITCH", "1", "0,1", "0,1", "0"},
};

/// Rows that are not stored parameters, with the answer their query gives on the fake modem.
struct QueryCase {
    const char* line;
    std::string reply;
};

const QueryCase kQueries[] = {
    {"AT", ok()},
    {"AT+VER", answer("VER", "V1.3.25.000000.0000")},
    {"AT+BUILD?", answer("BUILD", "2022-08-14 12:00:00")},
    {"AT+SN", answer("SN", "02400122052700000529")},
    {"AT+IMEI", answer("IMEI", "868000000000001")},
    {"AT+ICCID?", answer("ICCID", "89860000000000000001")},
    {"AT+CSQ", answer("CSQ", " 27,99")},
    {"AT+SYSINFO", answer("SYSINFO", "4,LTE")},
    {"AT+CIP", answer("CIP", "")},
    {"AT+CNUM", answer("CNUM", "")},
    {"AT+LBS", answer("LBS", "0,0")},
    {"AT+LBSN", ok()},
    {"AT+CCLK", answer("CCLK", "\"00/01/01,00:00:00+00\"")},
    {"AT+SOCKALK", answer("SOCKALK", "Disconnected")},
    {"AT+SOCKBLK?", answer("SOCKBLK", "Disconnected")},
    {"AT+SOCKCLK", answer("SOCKCLK", "Disconnected")},
    {"AT+SOCKDLK", answer("SOCKDLK", "Disconnected")},
    {"AT+MQTTSTA", answer("MQTTSTA", "\"DISCONNECTION\"")},
    {"AT+MQTTPUBTP?",
     "\r\n+MQTTPUBTP:\r\n1,1,/PubTopic1,0,0,0\r\n2,0,/PubTopic2,0,0,0\r\n3,0,/PubTopic3,0,0,0\r\n"
     "4,0,/PubTopic4,0,0,0\r\n\r\nOK\r\n"},
    {"AT+MQTTSUBTP", "\r\n+MQTTSUBTP:\r\n1,1,/SubTopic1,0\r\n2,0,/SubTopic2,0\r\n3,0,/SubTopic3,0\r\n"
                     "4,0,/SubTopic4,0\r\n\r\nOK\r\n"},
    {"AT+SSLCRT=?", answer("SSLCRT", "<0~2>,<1~2900 bytes>")}, // GM5 §2.19
    {"AT+UARTFT=?", answer("UARTFT", "<10~500>")},
    {"AT+RSTIM=?", answer("RSTIM", "<0,60~65535>")},
    {"AT+SOCKA=?", answer("SOCKA", "<TCP,UDP>,<1~100 bytes>,<1~65535>")},
    {"AT+NTPSVR=?", answer("NTPSVR", "<1~64 bytes>[,<1~64 bytes>][,<1~64 bytes>][,<1~64 bytes>]")},
};

class ParamRow : public ::testing::TestWithParam<ParamCase> {};

TEST_P(ParamRow, FactoryQuerySetReadbackAndRejectedSet) {
    const ParamCase& c = GetParam();
    Dut dut;
    dut.enter_command();
    const std::string name = c.name;
    EXPECT_EQ(dut.cmd("AT+" + name), answer(name, c.factory));
    EXPECT_EQ(dut.cmd("at+" + name + "?"), answer(name, c.factory)) << "query form is case-insensitive";
    EXPECT_EQ(dut.cmd("AT+" + name + "=" + c.set), ok());
    EXPECT_EQ(dut.cmd("AT+" + name + "?"), answer(name, c.readback));
    if (c.bad) {
        EXPECT_EQ(dut.cmd("AT+" + name + "=" + c.bad), err(3));
        EXPECT_EQ(dut.cmd("AT+" + name + "?"), answer(name, c.readback)) << "a rejected set changes nothing";
    }
    const std::string test = dut.cmd("AT+" + name + "=?");
    EXPECT_EQ(test.rfind("\r\n+" + name + ":<", 0), 0u) << test;
}

INSTANTIATE_TEST_SUITE_P(G771, ParamRow, ::testing::ValuesIn(kParams),
                         [](const auto& info) { return std::string(info.param.name); });

class QueryRow : public ::testing::TestWithParam<QueryCase> {};

TEST_P(QueryRow, Answers) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd(GetParam().line), GetParam().reply);
}

INSTANTIATE_TEST_SUITE_P(G771, QueryRow, ::testing::ValuesIn(kQueries));

TEST(CommandTable, EveryRowIsCovered) {
    std::set<std::string> covered;
    for (const auto& c : kParams)
        covered.insert(c.name);
    for (const auto& q : kQueries)
        covered.insert(command_of(q.line));
    // Rows exercised by their own procedure tests (command_mode, persistence, security_login).
    for (const char* n : {"Z", "S", "CLEAR", "ENTM", "SIGNINAT"})
        covered.insert(n);
    EXPECT_EQ(rows_not_in("g771", covered), std::vector<std::string>{});
}

TEST(CommandTable, EveryFactoryValuePassesItsOwnRow) {
    for (const auto& slot : dtu::params::slots(*dtu::profile::find("g771")))
        EXPECT_EQ(slot.factory.size(), slot.spec->params.size()) << slot.key;
}

TEST(CommandTable, OperatorsARowDoesNotTakeAreFormatErrors) {
    Dut dut;
    dut.enter_command();
    for (const char* line :
         {"AT+VER=1", "AT+VER=?", "AT+Z?", "AT+S=1", "AT+SIGNINAT?", "AT+SIGNINAT=?", "AT+SSLCRT?",
          "AT+SOCKALK=Connected", "AT+MQTTSTA=1", "AT+ENTM?", "AT+RELD", "AT+CFGTF", "AT+H"})
        EXPECT_EQ(dut.cmd(line), err(58)) << line;
}

TEST(CommandTable, TopicTablesSetByEntry) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+MQTTPUBTP=2,1,/up,1,1"), ok());
    EXPECT_EQ(dut.cmd("AT+MQTTPUBTP=3,1,/x,0,0,1"), ok()) << "GAP-22: six fields accepted";
    EXPECT_EQ(dut.cmd("AT+MQTTPUBTP=5,1,/x,0,0"), err(3)) << "G771 has 4 entries";
    EXPECT_EQ(dut.cmd("AT+MQTTPUBTP=2"), err(3));
    EXPECT_EQ(dut.cmd("AT+MQTTPUBTP?"), "\r\n+MQTTPUBTP:\r\n1,1,/PubTopic1,0,0,0\r\n2,1,/up,1,1,0\r\n"
                                        "3,1,/x,0,0,1\r\n4,0,/PubTopic4,0,0,0\r\n\r\nOK\r\n");
    EXPECT_EQ(dut.cmd("AT+MQTTSUBTP=4,1,/down/#,2"), ok());
    EXPECT_NE(dut.cmd("AT+MQTTSUBTP").find("\r\n4,1,/down/#,2\r\n"), std::string::npos);
}

TEST(CommandTable, SubscribeQosMayBeLeftOut) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+MQTTSUBTP=2,1,/d,2"), ok());
    EXPECT_EQ(dut.cmd("AT+MQTTSUBTP=2,1,TEST01"), ok()) << "GM5 §2.4's example";
    EXPECT_NE(dut.cmd("AT+MQTTSUBTP").find("\r\n2,1,TEST01,2\r\n"), std::string::npos) << "qos kept";
    EXPECT_EQ(dut.cmd("AT+MQTTSUBTP=2,1"), err(3)) << "the topic is needed";
}

TEST(CommandTable, SslcfgReservedFieldsStayOff) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+SSLCFG=ON,OFF,OFF,OFF"), ok());
    EXPECT_EQ(dut.cmd("AT+SSLCFG=OFF,ON"), err(3)) << "spec mqtt.md §9: fields 2-4 are reserved";
    EXPECT_EQ(dut.cmd("AT+SSLCFG=OFF,OFF,OFF,ON"), err(3));
    EXPECT_EQ(dut.cmd("AT+SSLCFG?"), answer("SSLCFG", "ON,OFF,OFF,OFF")) << "unchanged after the errors";
    EXPECT_EQ(dut.cmd("AT+SSLCFG=?"), answer("SSLCFG", "<ON,OFF>,<ON,OFF>,<ON,OFF>,<ON,OFF>")) << "GM5 §2.21";
}

// G771 §2.6.4: "最多支持设置 4 个 NTP 服务器" — a fifth is a parameter error and changes nothing.
TEST(CommandTable, NtpsvrTakesAtMostFourServers) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+NTPSVR=n1,n2,n3,n4"), "\r\nOK\r\n");
    EXPECT_EQ(dut.cmd("AT+NTPSVR=m1,m2,m3,m4,m5"), "\r\n+CME ERROR:3\r\n");
    EXPECT_EQ(dut.cmd("AT+NTPSVR=m1,m2,m3,m4,"), "\r\n+CME ERROR:3\r\n") << "an empty fifth is a fifth";
    EXPECT_EQ(dut.cmd("AT+NTPSVR=m1,m2,m3,m4[2C]m5"), "\r\n+CME ERROR:3\r\n") << "escaped comma";
    EXPECT_EQ(dut.cmd("AT+NTPSVR?"), "\r\n+NTPSVR:n1,n2,n3,n4\r\n\r\nOK\r\n");
}

TEST(CommandTable, CertificatesAreWriteOnly) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+SSLCRT=0,-----BEGIN CERTIFICATE-----[0A]MIIB[0A]-----END CERTIFICATE-----[0A]"),
              ok());
    EXPECT_EQ(dut.cmd("AT+SSLCRT=3,abc"), err(3));
    EXPECT_EQ(dut.cmd("AT+SSLCRT=1,"), err(3));
    EXPECT_EQ(dut.cmd("AT+SSLCRT=2," + std::string(2901, 'k')), err(3));
}

TEST(CommandTable, LiveQueriesFollowTheModem) {
    Dut dut;
    dut.bench.modem.radio_state.rssi = 12;
    dut.bench.modem.radio_state.serving = {21269, 30321};
    dut.bench.modem.radio_state.neighbours = {{1, 2}, {3, 4}};
    dut.bench.modem.time = {true, 1700000000, 32};
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+CSQ"), answer("CSQ", " 12,99"));
    EXPECT_EQ(dut.cmd("AT+LBS"), answer("LBS", "21269,30321"));
    EXPECT_EQ(dut.cmd("AT+LBSN"), "\r\n+LBSN:1,2\r\n+LBSN:3,4\r\n\r\nOK\r\n");
    EXPECT_EQ(dut.cmd("AT+CCLK?"), answer("CCLK", "\"23/11/15,06:13:20+32\""));
}

} // namespace
