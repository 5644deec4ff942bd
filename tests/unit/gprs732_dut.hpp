#pragma once
// A USR-GPRS232-732 on the fake HAL (dut.hpp's Dut with the 732's timing and answer forms).
#include <string>
#include <string_view>

#include "dut.hpp"

namespace dtu::test::gprs732 {

/// 732 §3.1.2: T1 > 200 ms quiet, "+++", 'a' back, 'a' within 3 s, "+ok". The packing time is a
/// fixed 200 ms (732 §2.2.2).
inline void enter_command(Dut& dut) {
    dut.out();
    dut.advance(300);
    dut.rx("+++");
    dut.advance(210);
    EXPECT_EQ(dut.out(), "a");
    dut.rx("a");
    EXPECT_EQ(dut.out(), "+ok\r\n");
}

/// A 732 with the factory parameters, in command mode.
struct Dut732 : Dut {
    Dut732() : Dut("gprs732") { gprs732::enter_command(*this); }
};

// Answers: dut.hpp's answer(), ok() and err() are the 732's forms too (732 §3.1.6.3, §3.1.6.4:
// 58 = invalid command or format, 3 = parameter type or missing parameter).

/// Apply commands in command mode, AT+S, reboot: the 732 runs them from a fresh start.
inline void configure(Dut& dut, std::initializer_list<std::string> commands) {
    enter_command(dut);
    for (const auto& c : commands)
        EXPECT_EQ(dut.cmd(c), ok()) << c;
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    dut.reboot();
}

} // namespace dtu::test::gprs732
