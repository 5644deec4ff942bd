#pragma once
// A USR-LTE-7S4 on the fake HAL, and its answer and error lines (7S4 §3.1.6.3, §3.1.7 table 15).
#include <initializer_list>
#include <string>

#include "dut.hpp"

namespace dtu::test::s4 {

/// Set / execute success (7S4 §3.1.6.3 table 13 type 0).
inline std::string ok() { return "\r\nOK\r\n"; }
/// Err1..Err4 (7S4 §3.1.7 table 15), framed like OK.
inline std::string err(int n) { return "\r\nErr" + std::to_string(n) + "\r\n"; }
/// A query answer as every 7S4 §3.1.7 section prints it: no OK after it.
inline std::string answer(std::string_view name, std::string_view value) {
    return "\r\n+" + std::string(name) + ":" + std::string(value) + "\r\n\r\n";
}

class Dut7s4 : public Dut {
public:
    Dut7s4() : Dut("lte7s4") {}
    /// Set in command mode, then AT+Z (7S4 §2.1.1: there is no AT+S; every set is kept at once):
    /// the device is freshly started in its work mode with them in force.
    void configure(std::initializer_list<std::string> commands) {
        enter_command();
        for (const auto& c : commands)
            EXPECT_EQ(cmd(c), ok()) << c;
        EXPECT_EQ(cmd("AT+Z"), ok());
        reboot();
    }
};

} // namespace dtu::test::s4
