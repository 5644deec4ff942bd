// AT+S / AT+Z / AT+CLEAR and the NVRAM image (G771 §4, spec modes-and-timing §6, GAP-15).
#include "dtu/params/nvram_codec.hpp"
#include "dut.hpp"

using namespace dtu::test;

TEST(Persistence, SaveWritesNvramAndRestarts) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+SOCKA=UDP,10.1.2.3,9000"), ok());
    EXPECT_EQ(dut.cmd("AT+STMSG=hello dtu"), ok());
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    EXPECT_EQ(dut.bench.system.resets.back(), dtu::hal::ResetCause::AtSave);
    EXPECT_EQ(dut.reboot(), "\r\nhello dtu\r\n");
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+SOCKA"), answer("SOCKA", "UDP,10.1.2.3,9000"));
}

TEST(Persistence, ClearRestoresFactoryAndRestarts) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+WKMOD=HTTPD"), ok());
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    dut.reboot();
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+WKMOD"), answer("WKMOD", "HTTPD"));
    EXPECT_EQ(dut.cmd("AT+CLEAR"), ok());
    EXPECT_EQ(dut.bench.system.resets.back(), dtu::hal::ResetCause::FactoryReset);
    dut.reboot();
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+WKMOD"), answer("WKMOD", "NET"));
}

TEST(Persistence, FailedCommitAnswersErrorAndDoesNotRestart) {
    Dut dut;
    dut.enter_command();
    dut.bench.storage.fail_commits = true;
    EXPECT_EQ(dut.cmd("AT+S"), err(3));
    EXPECT_TRUE(dut.bench.system.resets.empty());
    EXPECT_EQ(dut.cmd("AT"), ok()) << "the device keeps answering";
}

TEST(Persistence, EveryByteValueSurvivesTheImage) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HTPHD=a[00][1F][5C]\\x41[0D][0A]"), ok());
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    dut.reboot();
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HTPHD"), answer("HTPHD", "a[00][1F]\\\\x41[0D][0A]"));
}

class CorruptImage : public ::testing::TestWithParam<std::string> {};

TEST_P(CorruptImage, BootsFactoryDefaultsWithALogLine) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HEARTTM=77"), ok());
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    std::string blob = *dut.bench.storage.blob;
    const std::string& how = GetParam();
    if (how == "truncated") blob.resize(blob.size() / 2);
    if (how == "bitflip") blob[blob.size() - 5] ^= 0x01;
    if (how == "garbage") blob = std::string("\x00\xff garbage \x01", 13);
    if (how == "other-profile") blob.replace(blob.find("g771"), 4, "k7xx");
    if (how == "future-version") blob.replace(blob.find(" 1\n"), 3, " 9\n");
    dut.bench.storage.blob = blob;
    dut.bench.log.lines.clear();
    EXPECT_EQ(dut.reboot(), "\r\nUSR-G771 V1.3.25\r\n");
    bool warned = false;
    for (const auto& [level, line] : dut.bench.log.lines)
        warned |= level == dtu::hal::LogLevel::Warn && line.find("factory") != std::string::npos;
    EXPECT_TRUE(warned);
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HEARTTM"), answer("HEARTTM", "30"));
}

INSTANTIATE_TEST_SUITE_P(Nvram, CorruptImage,
                         ::testing::Values("truncated", "bitflip", "garbage", "other-profile",
                                           "future-version"));

TEST(Persistence, InvalidValueInAValidImageFallsBackForThatParameterOnly) {
    dtu::params::Store store = dtu::params::factory_store(*dtu::profile::find("g771"));
    store.set("HEARTTM", {"0"});  // out of range
    store.set("UARTFT", {"200"}); // fine
    store.set("NOSUCH", {"1"});   // unknown key
    Dut dut;
    dut.bench.storage.blob = dtu::params::encode_nvram(store, "g771");
    dut.bench.power_on();
    dut.out();
    dut.enter_command(200);
    EXPECT_EQ(dut.cmd("AT+HEARTTM"), answer("HEARTTM", "30"));
    EXPECT_EQ(dut.cmd("AT+UARTFT"), answer("UARTFT", "200"));
}

// The saved AT+UART reaches the serial port at start (spec modes-and-timing §6.2), in the G771's
// field order baud,data,stop,parity,flow (GAP-45); an unsaved change does not.
TEST(Persistence, SavedUartSettingsConfigureTheSerialPortAtStart) {
    Dut dut;
    EXPECT_EQ(dut.bench.uart.settings.baud, 115200u);
    EXPECT_EQ(dut.bench.uart.settings.parity, dtu::hal::Parity::None);
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+UART=9600,8,2,EVEN,NFC"), ok());
    EXPECT_EQ(dut.bench.uart.settings.baud, 115200u);
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    dut.reboot();
    EXPECT_EQ(dut.bench.uart.settings.baud, 9600u);
    EXPECT_EQ(dut.bench.uart.settings.data_bits, 8u);
    EXPECT_EQ(dut.bench.uart.settings.stop_bits, 2u);
    EXPECT_EQ(dut.bench.uart.settings.parity, dtu::hal::Parity::Even);
    EXPECT_EQ(dut.bench.uart.settings.flow, dtu::hal::Flow::None);
}
