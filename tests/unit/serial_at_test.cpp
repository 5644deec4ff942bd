// Serial AT: "<password>AT..." in transparent mode (G771 §3.4.1, spec modes-and-timing §4).
#include "dut.hpp"

using namespace dtu::test;

namespace {

/// Send a frame in transparent mode and let the packing interval end it.
std::string frame(Dut& dut, std::string_view bytes) {
    dut.frame(bytes);
    return dut.out();
}

} // namespace

TEST(SerialAt, ManualExampleQueriesSocketA) {
    Dut dut;
    dut.out();
    EXPECT_EQ(frame(dut, "usr.cn#AT+SOCKA\r\n"), answer("SOCKA", "TCP,socket.usr.cn,2317"));
    EXPECT_EQ(dut.bench.device->status().serial_mode, dtu::device::SerialMode::Transparent);
}

TEST(SerialAt, SetWorksAndIsNotEchoed) {
    Dut dut;
    dut.out();
    EXPECT_EQ(frame(dut, "usr.cn#AT+HEARTTM=45\r"), ok());
    EXPECT_EQ(frame(dut, "usr.cn#at+hearttm?\r"), answer("HEARTTM", "45"));
}

TEST(SerialAt, NotACommandUnlessPasswordAndTerminatorMatch) {
    Dut dut;
    dut.out();
    EXPECT_EQ(frame(dut, "usr.cn#AT+VER"), "") << "no terminator: data";
    EXPECT_EQ(frame(dut, "USR.CN#AT+VER\r"), "") << "the password is case-sensitive";
    EXPECT_EQ(frame(dut, "xusr.cn#AT+VER\r"), "");
    EXPECT_EQ(dut.bench.device->status().counters.data_frames, 3u);
}

TEST(SerialAt, BadCommandGetsTheErrorLine) {
    Dut dut;
    dut.out();
    EXPECT_EQ(frame(dut, "usr.cn#AT+NOPE\r"), err(58));
    EXPECT_EQ(frame(dut, "usr.cn#AT+HEARTTM=0\r"), err(3));
}

TEST(SerialAt, DisabledByUaten) {
    Dut dut;
    dut.out();
    EXPECT_EQ(frame(dut, "usr.cn#AT+UATEN=OFF\r"), ok());
    EXPECT_EQ(frame(dut, "usr.cn#AT+S\r"), ok());
    dut.reboot();
    EXPECT_EQ(frame(dut, "usr.cn#AT+VER\r"), "");
}

TEST(SerialAt, PasswordChangeAppliesAfterRestart) {
    Dut dut;
    dut.out();
    EXPECT_EQ(frame(dut, "usr.cn#AT+CMDPW=secret!\r"), ok());
    EXPECT_EQ(frame(dut, "usr.cn#AT+VER\r"), answer("VER", "V1.3.25.000000.0000"))
        << "old password until restart";
    EXPECT_EQ(frame(dut, "usr.cn#AT+S\r"), ok());
    dut.reboot();
    EXPECT_EQ(frame(dut, "usr.cn#AT+VER\r"), "");
    EXPECT_EQ(frame(dut, "secret!AT+VER\r"), answer("VER", "V1.3.25.000000.0000"));
}

TEST(SerialAt, RestartCommandAnswersFirst) {
    Dut dut;
    dut.out();
    EXPECT_EQ(frame(dut, "usr.cn#AT+Z\r"), ok());
    EXPECT_EQ(dut.reboot(), "\r\nUSR-G771 V1.3.25\r\n");
}
