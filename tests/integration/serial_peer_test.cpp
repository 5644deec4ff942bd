// The serial port with real peers: socat as an external program on the PTY, and AT sessions.
// Assertions marked [AT engine] depend on the real firmware core (not the early echo stub).
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "at_session.hpp"
#include "child_process.hpp"
#include "serial_client.hpp"
#include "sim_process.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;

/// Full path of program in $PATH, or empty.
std::string find_program(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        const std::string candidate = dir + "/" + program;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return {};
}

TEST(SerialPeer, SocatCarriesAnAtSessionAndARestart) {
    const std::string socat = find_program("socat");
    if (socat.empty()) GTEST_SKIP() << "socat is not installed";
    SimProcess sim({"--wait-serial"});
    ASSERT_TRUE(sim.start());

    // socat joins the PTY to its stdin/stdout, which are pipes to this test.
    SpawnOptions spawn;
    spawn.argv = {socat, "-d", "-d", "STDIO", "FILE:" + sim.serial() + ",raw,echo=0"};
    spawn.pipe_stdin = true;
    spawn.pipe_stdout = true;
    spawn.stderr_file = sim.dir() / "socat.log";
    ChildProcess peer_process(spawn);
    ByteStream peer(peer_process.stdout_fd(), peer_process.stdin_fd());

    // Booted when socat opened the port, so socat saw the start message from the first byte.
    EXPECT_EQ(peer.read_until(kStartMessage, 5s), kStartMessage) << read_text(sim.dir() / "socat.log");
    enter_command_mode(peer);
    // [AT engine] command mode echoes every byte, then answers.
    peer.write("AT\r");
    EXPECT_EQ(peer.read_until("OK\r\n", 2s), "AT\r\r\nOK\r\n");
    peer.write("AT+VER\r");
    EXPECT_EQ(peer.read_until("OK\r\n", 2s), "AT+VER\r\r\n+VER:V1.3.25.000000.0000\r\n\r\nOK\r\n");
    peer.write("AT+NOSUCHCMD\r");
    EXPECT_EQ(peer.read_until("ERROR:58\r\n", 2s), "AT+NOSUCHCMD\r\r\n+CME ERROR:58\r\n");
    // [AT engine] AT+Z answers OK, then the device restarts and prints its start message again:
    // the PTY (and socat on it) survives the firmware reset.
    peer.write("AT+Z\r");
    EXPECT_EQ(peer.read_until("OK\r\n", 2s), "AT+Z\r\r\nOK\r\n");
    EXPECT_EQ(peer.read_until(kStartMessage, 3s), kStartMessage);
    enter_command_mode(peer); // after the restart the device is back in transparent mode
}

TEST(SerialAt, EntmLeavesCommandMode) {
    SimProcess sim;
    ASSERT_TRUE(sim.start());
    SerialClient port(sim.serial());
    ASSERT_EQ(port.read_until(kStartMessage, 3s), kStartMessage);
    enter_command_mode(port);
    port.write("AT+ENTM\r\n");
    // [AT engine] G771: "+OK" framed by CR LF, after the echo of the whole line.
    EXPECT_EQ(port.read_until("+OK\r\n", 2s), "AT+ENTM\r\n\r\n+OK\r\n");
    // Back in transparent mode: "AT\r" is data now, so no echo and no answer.
    port.write("AT\r");
    EXPECT_TRUE(port.expect_silence(200ms)) << port.buffered();
}

TEST(SerialAt, SavedStartMessageSurvivesAProcessRestart) {
    SimProcess sim;
    ASSERT_TRUE(sim.start());
    {
        SerialClient port(sim.serial());
        ASSERT_EQ(port.read_until(kStartMessage, 3s), kStartMessage);
        enter_command_mode(port);
        // [AT engine] AT+STMSG sets the start message; AT+S saves to NVRAM and restarts.
        port.write("AT+STMSG=HELLO DTU\r");
        EXPECT_EQ(port.read_until("OK\r\n", 2s), "AT+STMSG=HELLO DTU\r\r\nOK\r\n");
        port.write("AT+S\r");
        EXPECT_EQ(port.read_until("OK\r\n", 2s), "AT+S\r\r\nOK\r\n");
        EXPECT_EQ(port.read_until("\r\nHELLO DTU\r\n", 3s), "\r\nHELLO DTU\r\n");
    }
    EXPECT_TRUE(std::filesystem::exists(sim.state_dir() / "nvram.bin"));
    ASSERT_TRUE(sim.restart()); // a new process on the same --state-dir
    SerialClient port(sim.serial());
    EXPECT_EQ(port.read_until("\r\nHELLO DTU\r\n", 3s), "\r\nHELLO DTU\r\n"); // [AT engine]
}

} // namespace
} // namespace dtu::itest
