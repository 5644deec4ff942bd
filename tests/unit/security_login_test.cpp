// Security login (G771 §2.6.3; spec modes-and-timing §5).
#include "dut.hpp"

using namespace dtu::test;
using dtu::device::SerialMode;

namespace {

const std::string kLogin = "\r\nplease log in at command first\r\n";

/// Save AT+SAFEATEN=ON, restart and enter command mode (login pending).
void secure(Dut& dut) {
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+SAFEATEN=ON"), ok());
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    dut.reboot();
    dut.enter_command();
}

} // namespace

TEST(SecurityLogin, ManualProcedure) {
    Dut dut;
    secure(dut);
    EXPECT_EQ(dut.cmd("AT+VER"), kLogin);
    EXPECT_EQ(dut.cmd("AT+SIGNINAT=wrong"), err(73));
    EXPECT_EQ(dut.cmd("AT+SIGNINAT=usr_cn"), ok());
    EXPECT_EQ(dut.cmd("AT+VER"), answer("VER", "V1.3.25.000000.0000"));
    EXPECT_EQ(dut.cmd("AT+SIGNINAT=usr_cn#"), ok()) << "second login = change password";
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    dut.reboot();
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+SIGNINAT=usr_cn"), err(73));
    EXPECT_EQ(dut.cmd("AT+SIGNINAT=usr_cn#"), ok());
}

TEST(SecurityLogin, EntmIsRefusedBeforeLogin) {
    Dut dut;
    secure(dut);
    EXPECT_EQ(dut.cmd("AT+ENTM"), kLogin);
    EXPECT_EQ(dut.bench.device->status().serial_mode, SerialMode::Command);
}

TEST(SecurityLogin, ThirtySecondsWithoutLoginLeavesCommandModeSilently) {
    Dut dut;
    secure(dut);
    dut.advance(29999);
    EXPECT_EQ(dut.bench.device->status().serial_mode, SerialMode::Command);
    dut.advance(1);
    EXPECT_EQ(dut.bench.device->status().serial_mode, SerialMode::Transparent);
    EXPECT_EQ(dut.out(), "");
}

TEST(SecurityLogin, LoginStopsTheTimer) {
    Dut dut;
    secure(dut);
    EXPECT_EQ(dut.cmd("AT+SIGNINAT=usr_cn"), ok());
    dut.advance(60000);
    EXPECT_EQ(dut.bench.device->status().serial_mode, SerialMode::Command);
}

TEST(SecurityLogin, PasswordIsNeverShown) {
    Dut dut;
    secure(dut);
    EXPECT_EQ(dut.cmd("AT+SIGNINAT?"), err(58)) << "the login row has no query form";
    EXPECT_EQ(dut.cmd("AT+SIGNINAT=usr_cn"), ok());
    EXPECT_EQ(dut.cmd("AT+SIGNINAT?"), err(58));
    EXPECT_EQ(dut.cmd("AT+SIGNINAT=?"), err(58));
}

TEST(SecurityLogin, PrefixedAtIsNotRestricted) {
    Dut dut;
    secure(dut);
    EXPECT_EQ(dut.cmd("AT+SIGNINAT=usr_cn"), ok());
    EXPECT_EQ(dut.cmd("AT+ENTM"), "\r\n+OK\r\n");
    dut.advance(100);
    dut.rx("usr.cn#AT+VER\r");
    dut.advance(60);
    EXPECT_EQ(dut.out(), answer("VER", "V1.3.25.000000.0000"));
}
