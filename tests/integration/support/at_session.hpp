#pragma once
// Talking AT to a G771 over a byte stream, the way the manual's procedures do.
#include <chrono>
#include <initializer_list>
#include <string>

#include <gtest/gtest.h>

#include "serial_client.hpp"

namespace dtu::itest {

inline constexpr std::string_view kStartMessage = "\r\nUSR-G771 V1.3.25\r\n";

/// G771 §3.4: "+++" then 'a', from transparent into command mode. The line must have been idle
/// for T1 (one packing interval, 50 ms) before "+++", and "+++" must stand alone in its frame.
inline void enter_command_mode(ByteStream& port) {
    using namespace std::chrono_literals;
    ASSERT_TRUE(port.expect_silence(100ms)) << "unexpected output: " << port.buffered();
    port.write("+++");
    EXPECT_EQ(port.read_until("a", 2s), "a");
    port.write("a");
    EXPECT_EQ(port.read_until("+ok\r\n", 2s), "+ok\r\n"); // field evidence: "+ok" CR LF
}

/// One command in command mode with echo on: returns what came back up to and including `until`
/// (the end of the answer), without the echoed line. Later output stays buffered in port.
inline std::string at_command(ByteStream& port, const std::string& line, std::string_view until = "OK\r\n") {
    using namespace std::chrono_literals;
    port.write(line + "\r");
    std::string got = port.read_until(until, 2s);
    const std::string echo = line + "\r";
    if (got.rfind(echo, 0) == 0) got.erase(0, echo.size());
    return got;
}

/// The manual's configuration procedure: command mode, each command answered OK, AT+S, and the
/// start message of the restart. The device is then back in transparent mode with them in force.
template <typename Commands> void configure_and_restart(ByteStream& port, const Commands& commands) {
    using namespace std::chrono_literals;
    enter_command_mode(port);
    for (const auto& c : commands)
        EXPECT_EQ(at_command(port, c), "\r\nOK\r\n") << c;
    EXPECT_EQ(at_command(port, "AT+S"), "\r\nOK\r\n");
    EXPECT_EQ(port.read_until(kStartMessage, 3s), kStartMessage);
}
inline void configure_and_restart(ByteStream& port, std::initializer_list<std::string> commands) {
    configure_and_restart<std::initializer_list<std::string>>(port, commands);
}

} // namespace dtu::itest
