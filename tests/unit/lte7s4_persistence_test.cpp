// USR-LTE-7S4 parameters without AT+S (spec modes-and-timing §6.2, GAP-15): a set is kept at once
// and takes effect at the next start; AT+Z restarts the application, AT+REBOOT the whole system;
// AT+CFGTF / AT+RELD / AT+CLEAR (7S4 §3.1.7.3, §3.1.7.4, §3.1.7.13-15; spec §6.3).
#include "lte7s4_dut.hpp"

using namespace dtu::test::s4;
using dtu::hal::ResetCause;

TEST(Lte7s4Persistence, ASetSurvivesAPowerCycleWithoutSave) {
    Dut7s4 dut;
    dut.enter_command();
    const int commits = dut.bench.storage.commits;
    EXPECT_EQ(dut.cmd("AT+SOCKA=UDP,10.1.2.3,9000"), ok());
    EXPECT_EQ(dut.bench.storage.commits, commits + 1) << "written to flash by the set itself";
    EXPECT_EQ(dut.cmd("AT+STMSG=hello 7s4"), ok());
    EXPECT_TRUE(dut.bench.system.resets.empty()) << "a set does not restart";
    dut.bench.power_on(); // power cycle, no AT+S and no AT+Z
    EXPECT_EQ(dut.out(), "\r\nhello 7s4\r\n") << "the start message in effect";
    ASSERT_TRUE(dut.bench.net.links.count(0));
    EXPECT_EQ(dut.bench.net.links[0].proto, dtu::hal::Proto::Udp) << "the socket in effect";
    EXPECT_EQ(dut.bench.net.links[0].host, "10.1.2.3");
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+SOCKA"), answer("SOCKA", "UDP,10.1.2.3,9000"));
}

TEST(Lte7s4Persistence, ASetTakesEffectAtTheNextStartOnly) {
    Dut7s4 dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+SOCKA=TCP,new.example,7000"), ok());
    EXPECT_EQ(dut.cmd("AT+ENTM"), ok());
    EXPECT_EQ(dut.bench.net.links[0].host, "test.usr.cn") << "the running socket keeps its server";
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+Z"), ok());
    dut.reboot();
    EXPECT_EQ(dut.bench.net.links[0].host, "new.example");
}

TEST(Lte7s4Persistence, RejectedSetIsNotWritten) {
    Dut7s4 dut;
    dut.enter_command();
    const int commits = dut.bench.storage.commits;
    EXPECT_EQ(dut.cmd("AT+UARTFT=49"), err(4));
    EXPECT_EQ(dut.bench.storage.commits, commits);
}

TEST(Lte7s4Persistence, FailedCommitIsAnErrorAndChangesNothing) {
    Dut7s4 dut;
    dut.enter_command();
    dut.bench.storage.fail_commits = true;
    EXPECT_EQ(dut.cmd("AT+HEARTTM=77"), err(4));
    EXPECT_EQ(dut.cmd("AT+HEARTTM"), answer("HEARTTM", "30"));
}

TEST(Lte7s4Persistence, ZAndRebootAreCountedApart) {
    Dut7s4 dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+Z"), ok());
    EXPECT_EQ(dut.bench.system.resets, std::vector<ResetCause>{ResetCause::AtRestart});
    dut.reboot();
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+REBOOT"), ok());
    EXPECT_EQ(dut.bench.system.resets, std::vector<ResetCause>{ResetCause::AtReboot});
    EXPECT_EQ(dut.reboot(), "\r\nUSR-LTE-7S4 V1.0.5\r\n");
}

TEST(Lte7s4Persistence, CfgtfThenReldRestoresTheUserDefaults) {
    Dut7s4 dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HEARTTM=77"), ok());
    EXPECT_EQ(dut.cmd("AT+SOCKA=TCP,user.example,1234"), ok());
    EXPECT_EQ(dut.cmd("AT+CFGTF"), ok());
    EXPECT_TRUE(dut.bench.system.resets.empty()) << "AT+CFGTF does not restart";
    EXPECT_EQ(dut.cmd("AT+HEARTTM=5"), ok());
    EXPECT_EQ(dut.cmd("AT+SOCKA=TCP,other.example,1"), ok());
    dut.bench.power_on(); // the user defaults survive power loss
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HEARTTM"), answer("HEARTTM", "5"));
    EXPECT_EQ(dut.cmd("AT+RELD"), ok());
    EXPECT_EQ(dut.bench.system.resets, std::vector<ResetCause>{ResetCause::UserDefaults});
    dut.reboot();
    EXPECT_EQ(dut.bench.net.links[0].host, "user.example") << "restored and in effect";
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HEARTTM"), answer("HEARTTM", "77"));
}

TEST(Lte7s4Persistence, ReldWithoutCfgtfIsTheFactorySet) {
    Dut7s4 dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HEARTTM=77"), ok());
    EXPECT_EQ(dut.cmd("AT+RELD"), ok());
    dut.reboot();
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HEARTTM"), answer("HEARTTM", "30"));
}

TEST(Lte7s4Persistence, ClearRestoresFactoryButKeepsTheUserDefaults) {
    Dut7s4 dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+WKMOD=HTTPD"), ok());
    EXPECT_EQ(dut.cmd("AT+CFGTF"), ok());
    EXPECT_EQ(dut.cmd("AT+CLEAR"), ok());
    EXPECT_EQ(dut.bench.system.resets, std::vector<ResetCause>{ResetCause::FactoryReset});
    dut.reboot();
    EXPECT_EQ(dut.bench.device->status().work_mode, "NET");
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+RELD"), ok());
    dut.reboot();
    EXPECT_EQ(dut.bench.device->status().work_mode, "HTTPD") << "spec §6.3: CLEAR leaves the user set";
}

// Password-prefixed commands persist the same way (7S4 §3.1.3).
TEST(Lte7s4Persistence, SerialAtSetIsKept) {
    Dut7s4 dut;
    dut.out();
    dut.frame("usr.cnAT+HEARTTM=99\r");
    EXPECT_EQ(dut.out(), ok());
    dut.bench.power_on();
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HEARTTM"), answer("HEARTTM", "99"));
}

// Alias rows (HEARTTP = HEARTSND, CLOUDID/CLOUDPA = CLOUD fields) keep nothing of their own: the
// image written at every set holds only real rows, so a restart reads it back without a warning.
TEST(Lte7s4Persistence, TheImageReadsBackWithoutAWarning) {
    Dut7s4 dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HEARTTP=COM"), ok());
    EXPECT_EQ(dut.cmd("AT+CLOUDID=01234567890123456789"), ok());
    EXPECT_EQ(dut.cmd("AT+Z"), ok());
    dut.bench.log.lines.clear();
    dut.reboot();
    for (const auto& [level, line] : dut.bench.log.lines)
        EXPECT_NE(level, dtu::hal::LogLevel::Warn) << line;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HEARTSND"), answer("HEARTSND", "COM"));
    EXPECT_EQ(dut.cmd("AT+CLOUD"), answer("CLOUD", "01234567890123456789,"));
}
