// USR-GPRS232-732 procedures: save and the user-default set (732 §3.1.7.13-16; spec
// modes-and-timing §6.3), the CMD work mode (732 §3.1.7.5), "+++" timing (732 §3.1.2), fixed
// 200 ms packing (732 §2.2.2).
#include "gprs732_dut.hpp"

using namespace dtu::test;
using namespace dtu::test::gprs732;
using dtu::device::SerialMode;

namespace {

SerialMode mode(Dut& d) { return d.bench.device->status().serial_mode; }
std::string stmsg(Dut& d) { return d.cmd("AT+STMSG?"); }

} // namespace

TEST(Gprs732Defaults, CfgtfKeepsTheWorkingCopyAsUserDefaultsWithoutRestart) {
    Dut732 dut;
    EXPECT_EQ(dut.cmd("AT+STMSG=\"user set\""), ok());
    EXPECT_EQ(dut.cmd("AT+CFGTF"), ok());
    EXPECT_TRUE(dut.bench.system.resets.empty()) << "732 §3.1.7.16 does not restart";
    EXPECT_EQ(mode(dut), SerialMode::Command);
    EXPECT_EQ(dut.cmd("AT+STMSG=\"saved\""), ok());
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    EXPECT_EQ(dut.reboot(), "\r\nsaved\r\n");
    enter_command(dut);
    EXPECT_EQ(dut.cmd("AT+RELD"), ok());
    EXPECT_EQ(dut.reboot(), "\r\nuser set\r\n") << "732 §3.1.7.14: user defaults back, then a restart";
    enter_command(dut);
    EXPECT_EQ(stmsg(dut), answer("STMSG", " \"user set\""));
}

TEST(Gprs732Defaults, ClearRestoresFactoryAndKeepsTheUserDefaults) {
    Dut732 dut;
    EXPECT_EQ(dut.cmd("AT+SOCKA=\"UDP\",\"10.1.1.1\",9"), ok());
    EXPECT_EQ(dut.cmd("AT+CFGTF"), ok());
    EXPECT_EQ(dut.cmd("AT+CLEAR"), ok());
    EXPECT_EQ(dut.reboot(), "\r\nUSR-GM3 V3.0.0\r\n");
    enter_command(dut);
    EXPECT_EQ(dut.cmd("AT+SOCKA?"), answer("SOCKA", " TCP,\"test.usr.cn\",2317"));
    EXPECT_EQ(dut.cmd("AT+RELD"), ok());
    dut.reboot();
    enter_command(dut);
    EXPECT_EQ(dut.cmd("AT+SOCKA?"), answer("SOCKA", " UDP,\"10.1.1.1\",9")) << "spec §6.3: CLEAR keeps them";
}

TEST(Gprs732Defaults, ReldWithoutCfgtfIsTheFactorySet) {
    Dut dut("gprs732");
    configure(dut, {"AT+STMSG=\"mine\""});
    enter_command(dut);
    EXPECT_EQ(dut.cmd("AT+RELD"), ok());
    EXPECT_EQ(dut.reboot(), "\r\nUSR-GM3 V3.0.0\r\n");
}

TEST(Gprs732Defaults, SaveKeepsTheUserDefaults) {
    Dut732 dut;
    EXPECT_EQ(dut.cmd("AT+STMSG=\"ud\""), ok());
    EXPECT_EQ(dut.cmd("AT+CFGTF"), ok());
    EXPECT_EQ(dut.cmd("AT+STMSG=\"s1\""), ok());
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    EXPECT_EQ(dut.reboot(), "\r\ns1\r\n");
    enter_command(dut);
    EXPECT_EQ(dut.cmd("AT+RELD"), ok());
    EXPECT_EQ(dut.reboot(), "\r\nud\r\n");
}

TEST(Gprs732Defaults, UnsavedChangesAreLostOnRestart) {
    Dut732 dut;
    EXPECT_EQ(dut.cmd("AT+STMSG=\"lost\""), ok());
    EXPECT_EQ(dut.cmd("AT+Z"), ok());
    EXPECT_EQ(dut.reboot(), "\r\nUSR-GM3 V3.0.0\r\n") << "spec modes-and-timing §6.2: AT+S writes the flash";
}

TEST(Gprs732CommandMode, WkmodCmdStartsInCommandModeAndStaysThere) {
    Dut dut("gprs732");
    configure(dut, {"AT+WKMOD=\"CMD\""});
    EXPECT_EQ(mode(dut), SerialMode::Command) << "732 §3.1.7.5: CMD = AT command mode";
    EXPECT_EQ(dut.cmd("AT+WKMOD"), answer("WKMOD", "CMD"));
    EXPECT_EQ(dut.cmd("AT+ENTM"), ok());
    EXPECT_EQ(mode(dut), SerialMode::Command) << "GAP-50: nothing to go back to";
    EXPECT_EQ(dut.cmd("AT+VER"), answer("VER", "V3.0.0"));
    EXPECT_TRUE(dut.bench.net.links.empty()) << "no transparent transfer: no socket opened";
}

TEST(Gprs732CommandMode, WkmodCmdIsLeftWithAnotherModeAndSave) {
    Dut dut("gprs732");
    configure(dut, {"AT+WKMOD=\"CMD\""});
    EXPECT_EQ(dut.cmd("AT+WKMOD=\"NET\""), ok());
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    dut.reboot();
    EXPECT_EQ(mode(dut), SerialMode::Transparent);
    EXPECT_TRUE(dut.bench.net.links.count(0)) << "NET: socket A connects";
}

TEST(Gprs732PlusPlusPlus, NeedsTwoHundredMillisecondsOfQuietBefore) {
    Dut dut("gprs732");
    dut.bench.net.accept(0);
    dut.out();
    dut.advance(300);
    dut.rx("x");
    dut.advance(190); // less than 200 ms after data: one frame with it
    dut.rx("+++");
    dut.advance(300);
    EXPECT_EQ(dut.out(), "") << "732 §3.1.2: no data in the 200 ms before +++";
    EXPECT_EQ(mode(dut), SerialMode::Transparent);
    EXPECT_EQ(dut.bench.net.stream(0), "x+++");
}

TEST(Gprs732PlusPlusPlus, PlusesMoreThanFiftyMillisecondsApartAreData) {
    Dut dut("gprs732");
    dut.out();
    dut.advance(300);
    dut.rx("+");
    dut.advance(60);
    dut.rx("+");
    dut.advance(10);
    dut.rx("+");
    dut.advance(300);
    EXPECT_EQ(dut.out(), "") << "732 §3.1.2: T2 < 50 ms";
    EXPECT_EQ(mode(dut), SerialMode::Transparent);
}

TEST(Gprs732PlusPlusPlus, PlusesCloseTogetherAfterQuietEnterCommandMode) {
    Dut dut("gprs732");
    dut.out();
    dut.advance(300);
    for (int i = 0; i < 3; ++i) {
        dut.rx("+");
        dut.advance(40);
    }
    dut.advance(300);
    EXPECT_EQ(dut.out(), "a");
    dut.rx("a");
    EXPECT_EQ(dut.out(), "+ok\r\n");
    EXPECT_EQ(mode(dut), SerialMode::Command);
}

TEST(Gprs732Packing, FramesEndAfterTwoHundredMilliseconds) {
    Dut dut("gprs732");
    dut.bench.net.accept(0);
    dut.out();
    dut.advance(300);
    dut.rx("ab");
    dut.advance(150);
    dut.rx("cd");
    dut.advance(199);
    EXPECT_TRUE(dut.bench.net.links[0].sent.empty()) << "732 §2.2.2: gaps under 200 ms stay in one frame";
    dut.advance(1);
    EXPECT_EQ(dut.bench.net.links[0].sent, std::vector<std::string>{"abcd"});
}

TEST(Gprs732Uart, TheSavedSettingsReachTheSerialPortInThe732sFieldOrder) {
    Dut dut("gprs732");
    EXPECT_EQ(dut.bench.uart.settings.baud, 115200u) << "732 §3.1.7.22: 115200,NONE,8,1,RS485";
    EXPECT_EQ(dut.bench.uart.settings.flow, dtu::hal::Flow::Rs485);
    configure(dut, {"AT+UART=9600,\"EVEN\",7,2,\"CRTS\""}); // baud,parity,data,stop,flow
    const auto& s = dut.bench.uart.settings;
    EXPECT_EQ(s.baud, 9600u);
    EXPECT_EQ(s.parity, dtu::hal::Parity::Even);
    EXPECT_EQ(s.data_bits, 7u);
    EXPECT_EQ(s.stop_bits, 2u);
    EXPECT_EQ(s.flow, dtu::hal::Flow::RtsCts) << "CRTS: 732 §2.2.1 table 2";
}
