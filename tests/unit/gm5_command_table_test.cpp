// Table-driven: every row of the WH-GM5 command table through the serial port in command mode.
// The MQTT, SSL and Aliyun rows against the GM5 manual (GM5 §2.1-§2.21; spec devices.md §4,
// mqtt.md §10): factory value, query, set read back, rejected set that changes nothing, and "=?"
// byte for byte as printed. The rows the GM5 takes from the G771 (spec GAP-49) answer exactly as
// the G771's do.
#include <algorithm>
#include <set>

#include "dtu/params/store.hpp"
#include "dut.hpp"
#include "row_coverage.hpp"

using namespace dtu::test;

namespace {

constexpr const char* kSn = "02400122052700000529"; // the fake modem's SN

struct ParamCase {
    const char* name;
    const char* factory;
    const char* set;
    const char* readback;
    const char* bad;     ///< answered +CME ERROR:3, nullptr = every value is accepted
    bool spaced = false; ///< "+SSLEN: OFF" (GM5 §2.18, §2.20, §2.21)
};

const ParamCase kParams[] = {
    {"WKMOD", "NET", "MQTT", "MQTT,NOR", "SMS"}, // §2.1; "MQTT" alone = MQTT,NOR (spec §2)
    {"STMSG", "WH-GM5 V1.0.0", "hello", "hello", "123456789012345678901"},
    {"MQTTCFG", "60,0", "120,0", "120,0", "65536,0"},                                         // §2.2
    {"MQTTWILL", "0,/will,0,0,offline", "1,/w,2,1,gone", "1,/w,2,1,gone", "1,/w,3,1,gone"},   // §2.5
    {"MQTTMOD", "0", "1", "1", "2"},                                                          // §2.6
    {"MQTTVER", "3", "4", "4", "5"},                                                          // §2.7
    {"MQTTSVR", "mqtt.usr.cn,1883", "test.usr.cn,2317", "test.usr.cn,2317", "test.usr.cn,0"}, // §2.8
    {"MQTTCID", kSn, "02401322081900001968", "02401322081900001968", ""},                     // §2.9
    {"MQTTUSER", "usr.cn", "HEHEHE", "HEHEHE", ""},                                           // §2.10
    {"MQTTPSW", "usr.cn", "123456", "123456", ""},                                            // §2.11
    {"ALIREGION", "", "cn-shanghai", "cn-shanghai", "123456789012345678901234567890123"},     // §2.13
    {"ALIPRODKEY", "", "abcd", "abcd", "123456789012345678901"},                              // §2.14
    {"ALIDEVSEC", "", "abcd", "abcd", nullptr},                                               // §2.15
    {"ALIDEVNAME", "", "abcd", "abcd", "123456789012345678901234567890123"},                  // §2.16
    {"ALIDEVID", "", "123", "123", "1234567890123456789012345"},                              // §2.17
    {"SSLEN", "OFF", "ON", "ON", "1", true},                                                  // §2.18
    {"SSLAUTH", "NONE", "PEER", "PEER", "SOME", true},                                        // §2.20
    {"SSLCFG", "OFF,OFF,OFF,OFF", "ON", "ON,OFF,OFF,OFF", "ON,ON,OFF,OFF", true},             // §2.21
};

std::string answer_of(const ParamCase& c, const std::string& value) {
    return answer(c.name, (c.spaced ? " " : "") + value);
}

struct LineCase {
    const char* line;
    std::string reply;
};

// "=?" answers as GM5 §2 prints them, with its 10 topic entries.
const LineCase kLines[] = {
    {"AT+WKMOD=?", answer("WKMOD", "<CMD,NET,HTTPD,MQTT(NOR,ALI)>")},                              // §2.1
    {"AT+MQTTCFG=?", answer("MQTTCFG", "<0~65535>,<0,1>")},                                        // §2.2
    {"AT+MQTTPUBTP=?", answer("MQTTPUBTP", "<1~10>[,<0,1>,<1~128 bytes>,<0,1,2>,<0,1>][,<0,1>]")}, // §2.3
    {"AT+MQTTSUBTP=?", answer("MQTTSUBTP", "<1~10>[,<0,1>,<1~128 bytes>,<0,1,2>]")},               // §2.4
    {"AT+MQTTWILL=?", answer("MQTTWILL", "<0,1>[,<1~128 bytes>,<0,1,2>,<0,1>,<1~128 bytes>]")},    // §2.5
    {"AT+MQTTMOD=?", answer("MQTTMOD", "<0,1>")},                                                  // §2.6
    {"AT+MQTTVER=?", answer("MQTTVER", "<3,4>")},                                                  // §2.7
    {"AT+MQTTSVR=?", answer("MQTTSVR", "<1~128 bytes>,<1~65535>")},                                // §2.8
    {"AT+MQTTCID=?", answer("MQTTCID", "<1~128 bytes>")},                                          // §2.9
    {"AT+MQTTUSER=?", answer("MQTTUSER", "<1~128 bytes>")},                                        // §2.10
    {"AT+MQTTPSW=?", answer("MQTTPSW", "<1~128 bytes>")},                                          // §2.11
    {"AT+MQTTSTA=?", answer("MQTTSTA", "<CONNECTION,DISCONNECTION>")},                             // §2.12
    {"AT+MQTTSTA", answer("MQTTSTA", "\"DISCONNECTION\"")},
    {"AT+MQTTSTA?", answer("MQTTSTA", "\"DISCONNECTION\"")},
    {"AT+ALIREGION=?", answer("ALIREGION", "<1~32 bytes>")},                  // §2.13
    {"AT+ALIPRODKEY=?", answer("ALIPRODKEY", "<1~20 bytes>")},                // §2.14
    {"AT+ALIDEVSEC=?", answer("ALIDEVSEC", "<1~64 bytes>")},                  // §2.15
    {"AT+ALIDEVNAME=?", answer("ALIDEVNAME", "<1~32 bytes>")},                // §2.16
    {"AT+ALIDEVID=?", answer("ALIDEVID", "<1~24 bytes>")},                    // §2.17
    {"AT+SSLEN=?", answer("SSLEN", "<ON,OFF>")},                              // §2.18: no blank in "=?"
    {"AT+SSLCRT=?", answer("HTTPSCRT", "<0~2>,<1~2900 bytes>")},              // §2.19, as printed
    {"AT+SSLCRT=0,ABCD", ok()},                                               // §2.19's example
    {"AT+SSLAUTH=?", answer("SSLAUTH", "<NONE,PEER,ALL>")},                   // §2.20
    {"AT+SSLCFG=?", answer("SSLCFG", "<ON,OFF>,<ON,OFF>,<ON,OFF>,<ON,OFF>")}, // §2.21
    {"AT+MQTTPUBTP?",
     "\r\n+MQTTPUBTP:\r\n1,1,/PubTopic1,0,0,0\r\n2,0,/PubTopic2,0,0,0\r\n3,0,/PubTopic3,0,0,0\r\n"
     "4,0,/PubTopic4,0,0,0\r\n5,0,/PubTopic5,0,0,0\r\n6,0,/PubTopic6,0,0,0\r\n"
     "7,0,/PubTopic7,0,0,0\r\n8,0,/PubTopic8,0,0,0\r\n9,0,/PubTopic9,0,0,0\r\n"
     "10,0,/PubTopic10,0,0,0\r\n\r\nOK\r\n"}, // §2.3
    {"AT+MQTTSUBTP?", "\r\n+MQTTSUBTP:\r\n1,1,/SubTopic1,0\r\n2,0,/SubTopic2,0\r\n3,0,/SubTopic3,0\r\n"
                      "4,0,/SubTopic4,0\r\n5,0,/SubTopic5,0\r\n6,0,/SubTopic6,0\r\n7,0,/SubTopic7,0\r\n"
                      "8,0,/SubTopic8,0\r\n9,0,/SubTopic9,0\r\n10,0,/SubTopic10,0\r\n\r\nOK\r\n"}, // §2.4
    {"AT+VER", answer("VER", "V1.0.0")},
};

/// Rows the GM5 has and the G771 has not, or answers differently (the cases above).
std::set<std::string> gm5_own_rows() {
    std::set<std::string> own;
    for (const auto& c : kParams)
        own.insert(c.name);
    for (const auto& l : kLines)
        own.insert(command_of(l.line));
    own.insert("BUILD"); // the G771's build date; the GM5 seed prints none
    return own;
}

} // namespace

class Gm5ParamRow : public ::testing::TestWithParam<ParamCase> {};

TEST_P(Gm5ParamRow, FactoryQuerySetReadbackAndRejectedSet) {
    const ParamCase& c = GetParam();
    Dut dut("gm5");
    dut.enter_command();
    const std::string name = c.name;
    EXPECT_EQ(dut.cmd("AT+" + name + "?"), answer_of(c, c.factory));
    EXPECT_EQ(dut.cmd("AT+" + name), answer_of(c, c.factory));
    EXPECT_EQ(dut.cmd("AT+" + name + "=" + c.set), ok());
    EXPECT_EQ(dut.cmd("AT+" + name + "?"), answer_of(c, c.readback));
    if (c.bad) {
        EXPECT_EQ(dut.cmd("AT+" + name + "=" + c.bad), err(3));
        EXPECT_EQ(dut.cmd("AT+" + name + "?"), answer_of(c, c.readback)) << "a rejected set changes nothing";
    }
}

INSTANTIATE_TEST_SUITE_P(Gm5, Gm5ParamRow, ::testing::ValuesIn(kParams),
                         [](const auto& info) { return std::string(info.param.name); });

class Gm5Line : public ::testing::TestWithParam<LineCase> {};

TEST_P(Gm5Line, AnswersAsPrinted) {
    Dut dut("gm5");
    dut.enter_command();
    EXPECT_EQ(dut.cmd(GetParam().line), GetParam().reply);
}

INSTANTIATE_TEST_SUITE_P(Gm5, Gm5Line, ::testing::ValuesIn(kLines));

// GAP-49: where the MQTT manual is the only seed, the GM5 answers as the G771: every other row's
// query and "=?" answer is the G771's, byte for byte, and so is a set's answer and read-back.
TEST(Gm5CommandTable, SharedRowsAnswerAsTheG771s) {
    Dut gm5("gm5"), g771("g771");
    gm5.enter_command();
    g771.enter_command();
    const auto own = gm5_own_rows();
    int compared = 0;
    for (const auto& name : command_names("gm5")) {
        if (own.count(name)) continue;
        for (const std::string suffix : {"?", "=?", ""}) {
            const std::string line = name.empty() ? "AT" + suffix : "AT+" + name + suffix;
            if (name == "Z" || name == "S" || name == "CLEAR" || name == "ENTM") break; // below
            EXPECT_EQ(gm5.cmd(line), g771.cmd(line)) << line;
            ++compared;
        }
    }
    EXPECT_GT(compared, 100);
    for (const char* set : {"AT+SOCKB=UDP,10.0.0.1,7", "AT+UART=9600,8,1,EVEN,NFC", "AT+HTPURL=/a.php?x=1",
                            "AT+REGDT=0a0b", "AT+HEARTTM=6", "AT+APN=3gnet", "AT+SOCKA=TCP,h,0"}) {
        EXPECT_EQ(gm5.cmd(set), g771.cmd(set)) << set;
        const std::string query = std::string(set).substr(0, std::string(set).find('=')) + "?";
        EXPECT_EQ(gm5.cmd(query), g771.cmd(query)) << query;
    }
}

TEST(Gm5CommandTable, NoSmsModeNoLoginNoNtpNoSimSwitchNoSslver) {
    Dut dut("gm5");
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+WKMOD=SMS"), err(3)) << "GM5 §2.1 lists no SMS mode";
    for (const char* line : {"AT+DSTNUM?", "AT+SMSFLT?", "AT+SAFEATEN?", "AT+SIGNINAT=usr_cn", "AT+NTPEN?",
                             "AT+NTPSVR?", "AT+SIMSWITCH?", "AT+SSLVER?"})
        EXPECT_EQ(dut.cmd(line), err(58)) << line << ": not a GM5 command";
    EXPECT_EQ(dut.cmd("AT+WKMOD"), answer("WKMOD", "NET")) << "nothing changed";
}

TEST(Gm5CommandTable, EveryWorkModeOfTheManual) {
    Dut dut("gm5");
    dut.enter_command();
    for (const char* mode : {"CMD", "NET", "HTTPD", "MQTT,NOR", "MQTT,ALI"}) {
        EXPECT_EQ(dut.cmd(std::string("AT+WKMOD=") + mode), ok()) << mode;
        EXPECT_EQ(dut.cmd("AT+WKMOD?"), answer("WKMOD", mode));
    }
    EXPECT_EQ(dut.cmd("AT+WKMOD=NET,ALI"), err(3)) << "NOR/ALI only with MQTT";
    EXPECT_EQ(dut.cmd("AT+WKMOD?"), answer("WKMOD", "MQTT,ALI"));
}

TEST(Gm5CommandTable, TenTopicEntries) {
    Dut dut("gm5");
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+MQTTPUBTP=10,1,/PubTopic10,1,1"), ok());
    EXPECT_EQ(dut.cmd("AT+MQTTPUBTP=11,1,/x,0,0"), err(3));
    EXPECT_EQ(dut.cmd("AT+MQTTSUBTP=10,1,/down/#,2"), ok());
    EXPECT_EQ(dut.cmd("AT+MQTTSUBTP=0,1,/x,0"), err(3));
    const std::string pub = dut.cmd("AT+MQTTPUBTP?");
    EXPECT_NE(pub.find("\r\n10,1,/PubTopic10,1,1,0\r\n\r\nOK\r\n"), std::string::npos) << pub;
    EXPECT_NE(dut.cmd("AT+MQTTSUBTP?").find("\r\n10,1,/down/#,2\r\n"), std::string::npos);
}

// GM5 §2.9 (spec mqtt.md §3.2): the factory client id is the device's SN, also after AT+CLEAR.
TEST(Gm5CommandTable, ClientIdIsTheSnAfterAFactoryReset) {
    Dut dut("gm5");
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+SN"), answer("SN", kSn));
    EXPECT_EQ(dut.cmd("AT+MQTTCID=other"), ok());
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    dut.reboot();
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+MQTTCID?"), answer("MQTTCID", "other")) << "saved";
    EXPECT_EQ(dut.cmd("AT+CLEAR"), ok());
    dut.reboot();
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+MQTTCID?"), answer("MQTTCID", kSn));
    EXPECT_EQ(dut.cmd("AT+ENTM"), "\r\n+OK\r\n");
}

TEST(Gm5CommandTable, ASecondDeviceHasItsOwnSnAsClientId) {
    Dut dut("gm5");
    dut.bench.modem.id.sn = "02400122052700000777";
    dut.bench.power_on();
    dut.out();
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+MQTTCID?"), answer("MQTTCID", "02400122052700000777"));
}

TEST(Gm5CommandTable, EveryRowIsCovered) {
    std::set<std::string> covered = gm5_own_rows();
    // SharedRowsAnswerAsTheG771s compares every row the G771 has too; Z, S, CLEAR and ENTM are in
    // ClientIdIsTheSnAfterAFactoryReset.
    for (const auto& name : command_names("g771"))
        covered.insert(name);
    EXPECT_EQ(rows_not_in("gm5", covered), std::vector<std::string>{});
    // ... and every GM5 row named above is in its table (a mistyped name would not be).
    const auto names = command_names("gm5");
    for (const auto& name : gm5_own_rows())
        EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
}

TEST(Gm5CommandTable, EveryFactoryValuePassesItsOwnRow) {
    for (const auto& slot : dtu::params::slots(*dtu::profile::find("gm5")))
        EXPECT_EQ(slot.factory.size(), slot.spec->params.size()) << slot.key;
}
