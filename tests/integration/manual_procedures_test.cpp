// The G771 manual's own procedures, run against the real dtu-sim process through its PTY.
#include <csignal>
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "at_session.hpp"
#include "serial_client.hpp"
#include "sim_process.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;

std::string answer(std::string_view name, std::string_view value) {
    return "\r\n+" + std::string(name) + ":" + std::string(value) + "\r\n\r\nOK\r\n";
}

const std::string kOk = "\r\nOK\r\n";

/// Start a simulator and open its port, past the start message.
void open_device(SimProcess& sim, std::unique_ptr<SerialClient>& port) {
    ASSERT_TRUE(sim.start());
    port = std::make_unique<SerialClient>(sim.serial());
    ASSERT_EQ(port->read_until(kStartMessage, 3s), kStartMessage);
}

// G771 §2.2 "指令设置": NET mode with socket A, saved with AT+S; then the process is killed with
// SIGKILL (power loss) and started again on the same state dir: the parameters are still there.
TEST(ManualProcedure, NetModeSetupSurvivesSaveRestartAndPowerLoss) {
    SimProcess sim;
    std::unique_ptr<SerialClient> port;
    open_device(sim, port);
    enter_command_mode(*port);
    EXPECT_EQ(at_command(*port, "AT+WKMOD=NET"), kOk);
    EXPECT_EQ(at_command(*port, "AT+SOCKAEN=ON"), kOk);
    EXPECT_EQ(at_command(*port, "AT+SOCKA=TCP,test.example.com,2317"), kOk);
    EXPECT_EQ(at_command(*port, "AT+HEARTTM=45"), kOk);
    EXPECT_EQ(at_command(*port, "AT+S"), kOk);
    ASSERT_EQ(port->read_until(kStartMessage, 3s), kStartMessage) << "AT+S restarts the device";
    enter_command_mode(*port);
    EXPECT_EQ(at_command(*port, "AT+SOCKA?"), answer("SOCKA", "TCP,test.example.com,2317"));

    port.reset();
    sim.signal(SIGKILL);
    ASSERT_TRUE(sim.wait_exit(5s));
    open_device(sim, port);
    enter_command_mode(*port);
    EXPECT_EQ(at_command(*port, "AT+SOCKA"), answer("SOCKA", "TCP,test.example.com,2317"));
    EXPECT_EQ(at_command(*port, "AT+HEARTTM"), answer("HEARTTM", "45"));
    EXPECT_EQ(at_command(*port, "AT+CLEAR"), kOk);
    ASSERT_EQ(port->read_until(kStartMessage, 3s), kStartMessage);
    enter_command_mode(*port);
    EXPECT_EQ(at_command(*port, "AT+SOCKA"), answer("SOCKA", "TCP,socket.usr.cn,2317")) << "factory again";
}

// AT+Z discards what was not saved.
TEST(ManualProcedure, UnsavedChangesAreLostOnRestart) {
    SimProcess sim;
    std::unique_ptr<SerialClient> port;
    open_device(sim, port);
    enter_command_mode(*port);
    EXPECT_EQ(at_command(*port, "AT+UARTFT=200"), kOk);
    EXPECT_EQ(at_command(*port, "AT+UARTFT"), answer("UARTFT", "200"));
    EXPECT_EQ(at_command(*port, "AT+Z"), kOk);
    ASSERT_EQ(port->read_until(kStartMessage, 3s), kStartMessage);
    enter_command_mode(*port);
    EXPECT_EQ(at_command(*port, "AT+UARTFT"), answer("UARTFT", "50"));
}

// G771 §3.4.1: "usr.cn#AT+SOCKA[0D][0A]" in transparent mode answers without +++.
TEST(ManualProcedure, SerialAtQueriesSocketA) {
    SimProcess sim;
    std::unique_ptr<SerialClient> port;
    open_device(sim, port);
    ASSERT_TRUE(port->expect_silence(100ms));
    port->write("usr.cn#AT+SOCKA\r\n");
    const std::string want = answer("SOCKA", "TCP,socket.usr.cn,2317");
    EXPECT_EQ(port->read_until(want, 2s), want);
}

// Bad input through the real PTY: binary garbage, a 64 KiB line, then the device still answers
// and its parameters are unchanged.
TEST(BadInput, GarbageAndAHugeLineAreSurvived) {
    SimProcess sim;
    std::unique_ptr<SerialClient> port;
    open_device(sim, port);
    enter_command_mode(*port);
    EXPECT_EQ(at_command(*port, "AT+E=OFF"), kOk);
    std::string garbage;
    std::mt19937 rng(7);
    for (int i = 0; i < 4096; ++i) {
        char c = static_cast<char>(rng() & 0xFF);
        garbage.push_back(c == 'Z' || c == 'S' ? 'x' : c); // no accidental AT+Z / AT+S
    }
    port->write(garbage + "\r");
    port->write(std::string(64 * 1024, 'A') + "\r");
    port->write("AT+HEARTTM\r");
    const std::string want = answer("HEARTTM", "30");
    const std::string got = port->read_until(want, 5s);
    EXPECT_EQ(got.substr(got.size() >= want.size() ? got.size() - want.size() : 0), want);
    EXPECT_NE(got.find("\r\n+CME ERROR:58\r\n"), std::string::npos)
        << "the 64 KiB line is answered as an error";
}

} // namespace
} // namespace dtu::itest
