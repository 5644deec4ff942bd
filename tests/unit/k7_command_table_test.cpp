// The USR-K7's AT commands through the serial port in command mode (K7 §5.3; spec k7-ethernet §3):
// "+OK=<value>" / "+OK" framing, "+ERR=-n" errors, the port suffix 1, no AT+S (a set persists and
// applies after AT+Z), AT+CFGTF "+OK=saved".
#include "dut.hpp"

using namespace dtu::test;

namespace {

std::string k7_ok() { return "\r\n+OK\r\n"; }
std::string k7_value(std::string_view v) { return "\r\n+OK=" + std::string(v) + "\r\n"; }
std::string k7_err(int code) { return "\r\n+ERR=-" + std::to_string(code) + "\r\n"; }

/// K7 §5.3.2: quiet, "+++" -> "a", 'a' -> "+ok" (no line end: K7 §5.3.1 prints "+ok").
void enter_command(Dut& dut) { dut.enter_command(50, "+ok"); }

struct Row {
    const char* name;
    const char* factory;
    const char* set;
    const char* bad; ///< answered +ERR=-4
};

// Factory values: spec k7-ethernet §2; sets and ranges: K7 §5.3.5.
const Row kRows[] = {
    {"UART", "115200,8,1,NONE,NFC", "9600,8,1,EVEN,NFC", "9600,9,1,NONE,NFC"}, // #13
    {"UARTTL", "0,1460", "10,512", "256,512"},                                 // #14, §4.3.3
    {"WEBPORT", "80", "8080", "0"},                                            // #10
    {"WEBSOCKPORT", "6432", "123", "0"},                                       // #17, §4.2.6
    {"MID", "USR-K7", "K7-test", "1234567890123456"},                          // #31: <= 15 bytes
    {"RSTIM", "3600", "60", "65536"},                                          // #36
    {"SOCKTON", "86400", "100", "100000"},                                     // #38: 1~99999
    {"MODTO", "200", "300", "199"},                                            // #41: 200~9999
    {"HEARTTM", "30", "60", "0"},                                              // #28: 1~65535
};

} // namespace

class K7Row : public ::testing::TestWithParam<Row> {};

TEST_P(K7Row, FactoryQuerySetReadbackAndRejectedSet) {
    const Row& r = GetParam();
    Dut dut("k7");
    enter_command(dut);
    const std::string name = r.name;
    EXPECT_EQ(dut.cmd("AT+" + name), k7_value(r.factory)) << "K7 §5.3.3: a query is the bare command";
    EXPECT_EQ(dut.cmd("AT+" + name + "=" + r.set), k7_ok());
    EXPECT_EQ(dut.cmd("AT+" + name), k7_value(r.set));
    EXPECT_EQ(dut.cmd("AT+" + name + "=" + r.bad), k7_err(4));
    EXPECT_EQ(dut.cmd("AT+" + name), k7_value(r.set)) << "a rejected set changes nothing";
}

INSTANTIATE_TEST_SUITE_P(K7, K7Row, ::testing::ValuesIn(kRows),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(K7CommandTable, UnknownCommandAndPortSuffix) {
    Dut dut("k7");
    enter_command(dut);
    EXPECT_EQ(dut.cmd("AT+NOSUCH"), k7_err(2));                      // K7 §5.3.3: invalid command
    EXPECT_EQ(dut.cmd("AT+UART1"), k7_value("115200,8,1,NONE,NFC")); // N = 1: serial port 1
    EXPECT_EQ(dut.cmd("AT+UART2"), k7_err(2));                       // spec §3.1: N != 1
    EXPECT_EQ(dut.cmd("AT+SOCKA1"), dut.cmd("AT+SOCKA"));            // M = A with or without N
    EXPECT_EQ(dut.cmd("AT+S"), k7_err(2)) << "the K7 has no AT+S (spec §3.3)";
}

TEST(K7CommandTable, CfgtfAnswersSavedAndSetsPersistAcrossRestart) {
    Dut dut("k7");
    enter_command(dut);
    EXPECT_EQ(dut.cmd("AT+WEBPORT=8080"), k7_ok());
    EXPECT_EQ(dut.cmd("AT+CFGTF"), k7_value("saved")); // K7 §5.3.5 #44
    EXPECT_EQ(dut.cmd("AT+Z"), k7_ok());
    dut.reboot();
    enter_command(dut);
    EXPECT_EQ(dut.cmd("AT+WEBPORT"), k7_value("8080")) << "no AT+S: the set was stored when made";
}

TEST(K7CommandTable, ReloadRestoresFactoryValues) {
    Dut dut("k7");
    enter_command(dut);
    EXPECT_EQ(dut.cmd("AT+MID=K7-test"), k7_ok());
    EXPECT_EQ(dut.cmd("AT+RELD"), k7_ok()); // K7 §5.3.5 #6; then it restarts (modes-and-timing §6.3)
    dut.reboot();
    enter_command(dut);
    EXPECT_EQ(dut.cmd("AT+MID"), k7_value("USR-K7"));
}
