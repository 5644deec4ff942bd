// Bad input on the serial port: documented error, unchanged parameters, device keeps answering.
#include <random>

#include "dtu/params/store.hpp"
#include "dut.hpp"

using namespace dtu::test;

namespace {

/// The working parameter set, read through the device's own queries of every stored row.
std::string snapshot(Dut& dut) {
    std::string all;
    for (const auto& slot : dtu::params::slots(*dtu::profile::find("g771"))) {
        if (slot.spec->behavior == dtu::at::Behavior::Login) continue;
        if (slot.spec->behavior == dtu::at::Behavior::Table) continue;
        all += dut.cmd("AT+" + slot.key);
    }
    return all + dut.cmd("AT+MQTTPUBTP") + dut.cmd("AT+MQTTSUBTP");
}

} // namespace

TEST(BadInput, MalformedLinesGetError58AndChangeNothing) {
    Dut dut;
    dut.enter_command();
    const std::string before = snapshot(dut);
    for (const char* line :
         {"hello", "A", "AT+", "AT+=1", "AT+ VER", "AT+VER??", "AT+NOSUCH=1", "ATI", "+++", "++", "a"})
        EXPECT_EQ(dut.cmd(line), err(58)) << line;
    EXPECT_EQ(snapshot(dut), before);
}

TEST(BadInput, ParameterErrorsGetError3AndChangeNothing) {
    Dut dut;
    dut.enter_command();
    const std::string before = snapshot(dut);
    for (const char* line : {"AT+UARTFT=", "AT+UARTFT=9", "AT+UARTFT=501", "AT+UARTFT=1e2", "AT+UARTFT=-50",
                             "AT+UARTFT=50,1", "AT+SOCKA=TCP", "AT+SOCKA=TCP,host", "AT+SOCKA=TCP,host,65536",
                             "AT+SOCKA=TCP,,2317", "AT+REGDT=ABC", "AT+REGDT=XY", "AT+HEARTDT=" /* empty */,
                             "AT+STMSG=123456789012345678901", "AT+WKMOD=NET,NOR", "AT+SIMSWITCH=2,1",
                             "AT+SOCKAEN=\"ON", "AT+E=ON=OFF?x?", "AT+HEARTTM=99999999999999999999"})
        EXPECT_EQ(dut.cmd(line), err(3)) << line;
    EXPECT_EQ(snapshot(dut), before);
}

TEST(BadInput, OverlongLineIsRejectedAndTheNextLineWorks) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+E=OFF"), ok());
    dut.rx(std::string(64 * 1024, 'A'));
    EXPECT_EQ(dut.out(), "") << "no answer before the terminator";
    dut.rx("\rAT\r");
    EXPECT_EQ(dut.out(), err(58) + ok());
    EXPECT_EQ(dut.bench.device->status().counters.line_overflows, 1u);
}

TEST(BadInput, NulAndBinaryBytesAreSurvived) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+E=OFF"), ok());
    std::string garbage;
    std::mt19937 rng(1234);
    for (int i = 0; i < 20000; ++i)
        garbage.push_back(static_cast<char>(rng() & 0xFF));
    dut.rx(garbage);
    dut.rx("\r");
    dut.out();
    if (dut.bench.service_reset()) dut.enter_command(); // a random AT+Z could, in principle, appear
    EXPECT_EQ(dut.cmd("AT+E=OFF"), ok());
    EXPECT_EQ(dut.cmd("AT"), ok());
    EXPECT_EQ(dut.cmd(std::string("AT\0+VER", 7)), err(58));
}

TEST(BadInput, GarbageInTransparentModeIsDataAndCounted) {
    Dut dut;
    dut.out();
    dut.advance(100);
    dut.rx(std::string("\0\xff\x80+++\r\n", 8));
    dut.advance(100);
    EXPECT_EQ(dut.out(), "");
    EXPECT_EQ(dut.bench.device->status().counters.data_bytes, 8u);
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT"), ok());
}

TEST(BadInput, FragmentsOfPlusPlusPlusInCommandModeAreJustBadLines) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("++"), err(58));
    EXPECT_EQ(dut.bench.device->status().serial_mode, dtu::device::SerialMode::Command);
}

TEST(BadInput, PacketLengthSplitsLongFrames) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+UARTFL=5"), ok());
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    dut.reboot();
    dut.advance(100);
    dut.rx("0123456789AB");
    EXPECT_EQ(dut.bench.device->status().counters.data_frames, 2u) << "two full 5-byte frames at once";
    dut.advance(60);
    EXPECT_EQ(dut.bench.device->status().counters.data_frames, 3u) << "the rest after the packing interval";
}
