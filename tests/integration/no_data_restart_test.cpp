// AT+RSTIM end to end (G771 §2.6.8): its smallest setting is 60 s of real time, so this test lives
// in its own executable with a longer ctest timeout (the unit tests prove the rule on a fake clock).
#include <gtest/gtest.h>

#include "at_session.hpp"
#include "net_peer.hpp"
#include "serial_client.hpp"
#include "sim_process.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;

TEST(NoDataRestart, SixtySecondsWithoutServerDataRestartTheDevice) {
    TcpServer server;
    SimProcess sim;
    ASSERT_TRUE(sim.start());
    SerialClient port(sim.serial());
    ASSERT_EQ(port.read_until(kStartMessage, 3s), kStartMessage);
    enter_command_mode(port);
    for (const std::string c : {"AT+SOCKA=TCP,127.0.0.1," + std::to_string(server.port()),
                                std::string("AT+RSTIM=60"), std::string("AT+HEARTTM=20")})
        EXPECT_EQ(at_command(port, c), "\r\nOK\r\n") << c;
    EXPECT_EQ(at_command(port, "AT+S"), "\r\nOK\r\n");
    ASSERT_EQ(port.read_until(kStartMessage, 3s), kStartMessage);
    ASSERT_TRUE(server.accept(5s));
    // Heartbeats go out every 20 s (data sent does not count), nothing comes back: after 60 s the
    // device restarts, which the serial port shows as a new start message and the server as a
    // closed connection followed by a new one.
    EXPECT_EQ(port.read_until(kStartMessage, 75s), kStartMessage);
    server.read_until("never", 2s);
    EXPECT_TRUE(server.peer_closed());
    EXPECT_TRUE(server.accept(5s));
}

} // namespace
} // namespace dtu::itest
