// Bad input to the USR-LTE-7S4: its own error for each cause (7S4 §3.1.7 table 15), every parameter
// unchanged, and the device keeps answering (random bytes: every_profile_bad_input_test).
#include "dtu/params/store.hpp"
#include "lte7s4_dut.hpp"

using namespace dtu::test::s4;

namespace {

/// Every stored parameter, read through the device's own queries.
std::string snapshot(Dut7s4& dut) {
    std::string all;
    for (const auto& slot : dtu::params::slots(*dtu::profile::find("lte7s4")))
        all += dut.cmd("AT+" + slot.key);
    return all;
}

} // namespace

TEST(Lte7s4BadInput, EachCauseHasItsErrorAndNothingChanges) {
    Dut7s4 dut;
    dut.enter_command();
    const std::string before = snapshot(dut);
    for (const char* line : {"hello", "A", "ATI", "+++", "a", "AT+", "AT+=1"})
        EXPECT_EQ(dut.cmd(line), err(1)) << line;
    for (const char* line :
         {"AT+NOSUCH=1", "AT+ VER", "AT+V ER?", "AT+S", "AT+SAFEATEN=ON", "AT+MQTTSVR=a,1", "AT+SOCKEEN=ON"})
        EXPECT_EQ(dut.cmd(line), err(2)) << line;
    // Table 15 Err3 "不符合查询或设置格式": a known command in a form it does not take, "AT+VER??" too.
    for (const char* line : {"AT+SOCKALK=ON", "AT+CSQ=?", "AT+Z?", "AT+H=1", "AT+VER??"})
        EXPECT_EQ(dut.cmd(line), err(3)) << line;
    for (const char* line : {"AT+UARTFT=",
                             "AT+UARTFT=49",
                             "AT+UARTFT=60001",
                             "AT+UARTFT=1e2",
                             "AT+UARTFL=0",
                             "AT+SOCKA=TCP",
                             "AT+SOCKA=TCP,host,65536",
                             "AT+SOCKA=TCP,,2317",
                             "AT+SOCKATO=101",
                             "AT+SHORBTO=0",
                             "AT+REGDT=ABC",
                             "AT+HEARTDT=",
                             "AT+HEARTTM=99999999999999999999",
                             "AT+STMSG=123456789012345678901",
                             "AT+WKMOD=MQTT",
                             "AT+WKMOD=NET,NOR",
                             "AT+UART=115200,8,1,NONE,RS485",
                             "AT+REGSND=LINK&DATA",
                             "AT+HEARTSND=NET,COM",
                             "AT+SOCKAEN=\"ON",
                             "AT+E=ON=OFF?x?",
                             "AT+HTPSV=host,80,1"})
        EXPECT_EQ(dut.cmd(line), err(4)) << line;
    EXPECT_EQ(snapshot(dut), before);
}

TEST(Lte7s4BadInput, OverlongLineIsErr1AndTheNextLineWorks) {
    Dut7s4 dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+E=OFF"), ok());
    dut.rx(std::string(64 * 1024, 'A'));
    EXPECT_EQ(dut.out(), "") << "no answer before the terminator";
    dut.rx("\rAT\r");
    EXPECT_EQ(dut.out(), err(1) + "\r\nOK\r\n\r\n");
    EXPECT_EQ(dut.bench.device->status().counters.line_overflows, 1u);
}
