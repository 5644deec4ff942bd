#pragma once
// A G771 on the fake HAL with the manual's procedures as one-line helpers.
#include <initializer_list>
#include <string>

#include <gtest/gtest.h>

#include "fake_hal.hpp"

namespace dtu::test {

class Dut {
public:
    explicit Dut(std::string_view profile = "g771") : bench(profile) { bench.power_on(); }
    explicit Dut(const profile::Profile& profile) : bench(profile) { bench.power_on(); }

    /// Bytes into the serial port.
    void rx(std::string_view bytes) { bench.device->on_uart_rx(bytes); }
    /// Everything the device wrote since the last call.
    std::string out() { return bench.uart.take(); }
    void advance(std::uint64_t ms) { bench.clock.advance(ms); }

    /// G771 §3.4: quiet, "+++", quiet, 'a' -> "+ok", for a packing interval of interval_ms
    /// (plus_ok: the model's answer to 'a'; the K7 prints "+ok" alone, K7 §5.3.1). Leaves the
    /// output empty.
    void enter_command(std::uint64_t interval_ms = 50, std::string_view plus_ok = "+ok\r\n") {
        out();
        advance(2 * interval_ms);
        rx("+++");
        advance(interval_ms + 10);
        EXPECT_EQ(out(), "a");
        rx("a");
        EXPECT_EQ(out(), plus_ok);
    }
    /// Send one command line in command mode; returns the reply without the echo.
    std::string cmd(std::string_view line) {
        const std::string sent = std::string(line) + "\r";
        rx(sent);
        std::string o = out();
        if (o.rfind(sent, 0) == 0) o.erase(0, sent.size()); // echo is on by default
        return o;
    }
    /// Apply AT commands in command mode, AT+S, and reboot: the device is freshly started in
    /// transparent mode with them in force.
    void configure(std::initializer_list<std::string> commands);
    /// A serial frame in transparent mode: quiet before it, and the packing interval ends it.
    void frame(std::string_view bytes) {
        advance(100);
        rx(bytes);
        advance(60);
    }
    /// Handle a reset request like the host; returns the start message printed.
    /// (The reset is forgotten afterwards, so system.resets lists only later ones.)
    std::string reboot() {
        EXPECT_TRUE(bench.service_reset());
        bench.system.resets.clear();
        bench.handled_resets = 0;
        return out();
    }

    Bench bench;
};

inline std::string ok() { return "\r\nOK\r\n"; }
inline std::string err(int code) { return "\r\n+CME ERROR:" + std::to_string(code) + "\r\n"; }
inline void Dut::configure(std::initializer_list<std::string> commands) {
    enter_command();
    for (const auto& c : commands)
        EXPECT_EQ(cmd(c), ok()) << c;
    EXPECT_EQ(cmd("AT+S"), ok());
    reboot();
}

inline std::string answer(std::string_view name, std::string_view value) {
    return "\r\n+" + std::string(name) + ":" + std::string(value) + "\r\n\r\nOK\r\n";
}

} // namespace dtu::test
