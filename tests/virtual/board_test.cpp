// A G771 on a scenario Board in virtual time: boot, command mode (G771 §3.4), save and restart with
// the NVRAM kept, power cycle, a NET-mode socket to an in-process server, and a day of heartbeats.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dtu/profile/profile.hpp"
#include "hal_sim/virtual_scheduler.hpp"
#include "sim/identity.hpp"
#include "sim/scenario/board.hpp"
#include "virtual_board.hpp"

namespace {

using namespace dtu::test::virtual_board;
using namespace std::chrono_literals;
using dtu::hal::Proto;
using dtu::hal_sim::ConnId;
using dtu::sim::scenario::Board;
using dtu::sim::scenario::BoardConfig;
using TimePoint = dtu::hal_sim::Scheduler::TimePoint;

class VirtualBoardTest : public ::testing::Test, protected Bench {};

TEST_F(VirtualBoardTest, BootsAndPrintsItsStartMessage) {
    EXPECT_FALSE(board.booted());
    board.boot();
    run_for(1s);
    EXPECT_TRUE(board.booted());
    EXPECT_EQ(board.boots(), 1u);
    EXPECT_NE(rec.serial.find("USR-G771"), std::string::npos) << rec.serial;
}

TEST_F(VirtualBoardTest, CommandModeSaveRestartAndPowerCycleKeepTheParameters) {
    board.boot();
    run_for(1s);
    enter_command();
    EXPECT_EQ(cmd("AT+SOCKA=TCP,peer.example,9000"), "\r\nOK\r\n");
    save_and_restart();
    ASSERT_EQ(rec.reboots.size(), 1u);
    EXPECT_EQ(board.boots(), 2u);
    EXPECT_EQ(board.system().resets(rec.reboots[0]), 1u);
    EXPECT_GE(board.storage().commits(), 1u);

    board.power_off();
    EXPECT_FALSE(board.booted());
    board.serial_write("lost");
    run_for(10ms); // the four bytes cross the line (baud pacing) and find no firmware
    EXPECT_EQ(board.snapshot().serial_rx_without_firmware, 4u);
    board.boot();
    run_for(1s);
    EXPECT_EQ(board.boots(), 3u);
    EXPECT_EQ(rec.reboots.size(), 1u) << "a power cycle is not a firmware reset";
    enter_command();
    EXPECT_EQ(cmd("AT+SOCKA?"), "\r\n+SOCKA:TCP,peer.example,9000\r\n\r\nOK\r\n");
}

TEST_F(VirtualBoardTest, NetModeSocketTalksToAnInProcessServer) {
    board.boot();
    run_for(1s);
    enter_command();
    ASSERT_EQ(cmd("AT+SOCKA=TCP,peer.example,9000"), "\r\nOK\r\n");
    ASSERT_EQ(cmd("AT+HEARTEN=OFF"), "\r\nOK\r\n");
    save_and_restart();
    run_for(5s);
    ASSERT_EQ(peer.conns.size(), 1u);
    rec.take();
    board.serial_write("hello server");
    run_for(1s);
    EXPECT_EQ(peer.got, std::vector<std::string>{"hello server"});
    ASSERT_TRUE(board.net().in_process()->server_send(peer.conns[0], "hello device"));
    run_for(1s);
    EXPECT_EQ(rec.take(), "hello device");
    const auto snap = board.snapshot();
    ASSERT_EQ(snap.net_links.size(), 1u);
    EXPECT_EQ(snap.net_links[0].tx_bytes, 12u);
    EXPECT_EQ(snap.net.connects, 1u);
}

TEST_F(VirtualBoardTest, ADayOfHeartbeatsRunsAtOnce) {
    board.boot();
    run_for(1s);
    enter_command();
    ASSERT_EQ(cmd("AT+SOCKA=TCP,peer.example,9000"), "\r\nOK\r\n");
    ASSERT_EQ(cmd("AT+HEARTDT=7573"), "\r\nOK\r\n"); // "us" in hex
    save_and_restart();
    // The server answers each heartbeat, so the device hears from the network (no AT+RSTIM restart).
    peer.echo_to = board.net().in_process();
    run_for(24h);
    EXPECT_EQ(rec.reboots.size(), 1u) << "only the AT+S";
    ASSERT_EQ(peer.conns.size(), 1u);
    EXPECT_EQ(peer.got.size(), 2880u) << "one heartbeat per idle 30 s";
    EXPECT_EQ(peer.got.front(), "us");
}

/// Boot, then AT+CCLK now and after 20 min 3 s of virtual time. The factory socket A reaches its
/// server (else AT+SOCKRSNUM restarts the device within minutes); 20 min is below AT+RSTIM 1800 s.
std::vector<std::string> cclk_twice(Bench& b) {
    b.board.net().in_process()->add_server(Proto::Tcp, "socket.usr.cn", 2317, b.peer);
    b.board.boot();
    b.run_for(1s);
    b.enter_command(); // now 1.31 s after boot
    std::vector<std::string> answers{b.cmd("AT+CCLK")};
    b.run_for(20min + 3s);
    answers.push_back(b.cmd("AT+CCLK"));
    return answers;
}

// Before NTP, AT+CCLK shows the network time (spec device-info §5, GAP-38) in the operator's zone
// (+32 = UTC+8): in virtual time that is BoardConfig::network_epoch plus virtual time, so
// the answer is exact and never the host's clock.
TEST(VirtualBoardNetworkTime, RunsWithVirtualTimeFromTheFixedEpoch) {
    Bench b;
    EXPECT_EQ(cclk_twice(b), (std::vector<std::string>{"\r\n+CCLK:\"26/01/01,08:00:01+32\"\r\n\r\nOK\r\n",
                                                       "\r\n+CCLK:\"26/01/01,08:20:04+32\"\r\n\r\nOK\r\n"}));
}

TEST(VirtualBoardNetworkTime, TwoRunsAnswerTheSame) {
    Bench first;
    Bench second;
    const std::vector<std::string> a = cclk_twice(first);
    ASSERT_EQ(a.size(), 2u);
    EXPECT_EQ(a[1].rfind("\r\n+CCLK:", 0), 0u) << a[1];
    EXPECT_NE(a[0], a[1]) << "the time advances";
    EXPECT_EQ(cclk_twice(second), a);
}

TEST(VirtualBoardNetworkTime, EpochOffsetAndZoneComeFromTheConfig) {
    BoardConfig c = Bench::config();
    c.network_epoch = std::chrono::sys_days{std::chrono::year{2031} / std::chrono::May / 6} + 7h + 8min + 9s;
    dtu::hal_sim::RadioModel radio;
    radio.external.iccid = c.identity.iccid;
    radio.internal.iccid = dtu::hal_sim::SimModem::kDefaultInternalIccid;
    radio.time_offset_s = -3600;  // the operator's clock is an hour behind
    radio.tz_quarter_hours = -20; // UTC-5
    c.radio = radio;
    Bench b(c);
    EXPECT_EQ(cclk_twice(b)[0], "\r\n+CCLK:\"31/05/06,01:08:10-20\"\r\n\r\nOK\r\n");
}

} // namespace
