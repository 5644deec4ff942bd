// Entering and leaving command mode (G771 §3.4; field-evidence §1.1), echo and the start message.
#include "dut.hpp"

using namespace dtu::test;
using dtu::device::SerialMode;

namespace {

SerialMode mode(Dut& d) { return d.bench.device->status().serial_mode; }

} // namespace

TEST(StartMessage, PrintedAtPowerOnFramedByCrLf) {
    Dut dut;
    EXPECT_EQ(dut.out(), "\r\nUSR-G771 V1.3.25\r\n");
}

TEST(PlusPlusPlus, HandshakeEntersCommandMode) {
    Dut dut;
    dut.out();
    dut.advance(100);
    dut.rx("+++");
    EXPECT_EQ(dut.out(), "") << "'a' only after the frame has ended (one packing interval)";
    dut.advance(49);
    EXPECT_EQ(dut.out(), "");
    dut.advance(1);
    EXPECT_EQ(dut.out(), "a");
    EXPECT_EQ(mode(dut), SerialMode::WaitA);
    dut.advance(2999);
    dut.rx("a");
    EXPECT_EQ(dut.out(), "+ok\r\n");
    EXPECT_EQ(mode(dut), SerialMode::Command);
}

TEST(PlusPlusPlus, PlusesTypedSlowlyAreData) {
    Dut dut;
    dut.out();
    dut.advance(100);
    for (int i = 0; i < 3; ++i) {
        dut.rx("+");
        dut.advance(60); // gap longer than the 50 ms packing interval: three separate frames
    }
    EXPECT_EQ(dut.out(), "");
    EXPECT_EQ(mode(dut), SerialMode::Transparent);
    EXPECT_EQ(dut.bench.device->status().counters.data_frames, 3u);
}

TEST(PlusPlusPlus, DataInsideTheGuardTimeMakesItData) {
    Dut dut;
    dut.out();
    dut.advance(100);
    dut.rx("x");
    dut.advance(20); // less than one packing interval of quiet before "+++"
    dut.rx("+++");
    dut.advance(100);
    EXPECT_EQ(dut.out(), "");
    EXPECT_EQ(mode(dut), SerialMode::Transparent);
}

TEST(PlusPlusPlus, PlusPlusPlusAndAInOneWriteIsData) {
    Dut dut;
    dut.out();
    dut.advance(100);
    dut.rx("+++a");
    dut.advance(100);
    EXPECT_EQ(dut.out(), "");
    EXPECT_EQ(mode(dut), SerialMode::Transparent);
}

TEST(PlusPlusPlus, FourPlusesAreData) {
    Dut dut;
    dut.out();
    dut.advance(100);
    dut.rx("++++");
    dut.advance(100);
    EXPECT_EQ(dut.out(), "");
}

TEST(PlusPlusPlus, LateAReturnsToTransparent) {
    Dut dut;
    dut.out();
    dut.advance(100);
    dut.rx("+++");
    dut.advance(60);
    EXPECT_EQ(dut.out(), "a");
    dut.advance(3000);
    EXPECT_EQ(mode(dut), SerialMode::Transparent);
    dut.rx("a");
    dut.advance(100);
    EXPECT_EQ(dut.out(), "") << "a late 'a' is ordinary data";
}

TEST(PlusPlusPlus, WrongAnswerIsData) {
    Dut dut;
    dut.out();
    dut.advance(100);
    dut.rx("+++");
    dut.advance(60);
    EXPECT_EQ(dut.out(), "a");
    dut.rx("A");
    EXPECT_EQ(mode(dut), SerialMode::Transparent) << "only lower-case 'a' completes the sequence";
}

TEST(PlusPlusPlus, GuardTimeFollowsUartft) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+UARTFT=200"), ok());
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    dut.reboot();
    dut.advance(300);
    dut.rx("+++");
    dut.advance(150);
    EXPECT_EQ(dut.out(), "") << "the new 200 ms interval is in effect after save and restart";
    dut.advance(50);
    EXPECT_EQ(dut.out(), "a");
}

TEST(CommandMode, EchoesEveryByteThenAnswers) {
    Dut dut;
    dut.enter_command();
    dut.rx("AT\r\n");
    EXPECT_EQ(dut.out(), "AT\r\n\r\nOK\r\n");
    dut.rx("AT+V");
    EXPECT_EQ(dut.out(), "AT+V") << "echo as the bytes arrive";
    dut.rx("ER\r");
    EXPECT_EQ(dut.out(), "ER\r\r\n+VER:V1.3.25.000000.0000\r\n\r\nOK\r\n");
}

TEST(CommandMode, EchoOffTakesEffectFromTheNextLine) {
    Dut dut;
    dut.enter_command();
    dut.rx("AT+E=OFF\rAT\r");
    EXPECT_EQ(dut.out(), "AT+E=OFF\r\r\nOK\r\n\r\nOK\r\n");
    dut.rx("AT+E?\r");
    EXPECT_EQ(dut.out(), answer("E", "OFF"));
}

TEST(CommandMode, SeveralLinesInOneChunk) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+E=OFF"), ok());
    dut.rx("AT\rAT+FOO\rAT+HEARTTM\r");
    EXPECT_EQ(dut.out(), ok() + err(58) + answer("HEARTTM", "30"));
}

TEST(CommandMode, EntmAnswersPlusOkAndReturnsToTransparent) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+ENTM"), "\r\n+OK\r\n");
    EXPECT_EQ(mode(dut), SerialMode::Transparent);
    dut.rx("AT\r");
    dut.advance(100);
    EXPECT_EQ(dut.out(), "") << "AT lines are data again";
}

TEST(CommandMode, BytesAfterEntmInTheSameWriteAreData) {
    Dut dut;
    dut.enter_command();
    dut.rx("AT+ENTM\r\nhello");
    EXPECT_EQ(dut.out(), "AT+ENTM\r\n\r\n+OK\r\n");
    dut.advance(100);
    EXPECT_EQ(dut.bench.device->status().counters.data_bytes, 5u);
}

TEST(CommandMode, CanBeEnteredAgainAfterEntm) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+ENTM"), "\r\n+OK\r\n");
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT"), ok());
}

TEST(CommandMode, AtZRestartsAndDiscardsUnsavedChanges) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HEARTTM=99"), ok());
    EXPECT_EQ(dut.cmd("AT+Z"), ok());
    ASSERT_EQ(dut.bench.system.resets.size(), 1u);
    EXPECT_EQ(dut.bench.system.resets[0], dtu::hal::ResetCause::AtRestart);
    EXPECT_EQ(dut.reboot(), "\r\nUSR-G771 V1.3.25\r\n");
    EXPECT_EQ(mode(dut), SerialMode::Transparent);
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HEARTTM"), answer("HEARTTM", "30"));
}

TEST(CommandMode, NothingIsProcessedAfterARestartCommand) {
    Dut dut;
    dut.enter_command();
    dut.rx("AT+Z\rAT\r");
    EXPECT_EQ(dut.out(), "AT+Z\r\r\nOK\r\n");
}
