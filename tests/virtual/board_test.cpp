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

namespace {

using namespace std::chrono_literals;
using dtu::hal::Proto;
using dtu::hal_sim::ConnId;
using dtu::sim::scenario::Board;
using dtu::sim::scenario::BoardConfig;
using TimePoint = dtu::hal_sim::Scheduler::TimePoint;

struct Recorder final : dtu::sim::scenario::BoardObserver {
    void on_serial_out(std::string_view bytes) override { serial += bytes; }
    void on_reboot(dtu::hal::ResetCause cause) override { reboots.push_back(cause); }
    void on_log(dtu::hal::LogLevel, std::string_view line) override { log.emplace_back(line); }
    void on_sms_sent(const dtu::hal_sim::SentMessage&) override { ++sms; }
    std::string take() { return std::exchange(serial, {}); }

    std::string serial;
    std::vector<dtu::hal::ResetCause> reboots;
    std::vector<std::string> log;
    int sms = 0;
};

struct Peer final : dtu::hal_sim::VirtualServer {
    bool on_connect(ConnId c) override {
        conns.push_back(c);
        return true;
    }
    void on_data(ConnId c, std::string_view b) override {
        got.emplace_back(b);
        if (echo_to) echo_to->server_send(c, b);
    }
    void on_closed(ConnId c, bool) override { closed.push_back(c); }
    std::vector<ConnId> conns, closed;
    std::vector<std::string> got;
    dtu::hal_sim::VirtualNet* echo_to = nullptr; ///< answer every chunk with itself
};

/// One board on its own scheduler, with a server at peer.example:9000, and how to drive it.
struct Bench {
    explicit Bench(const BoardConfig& c = config()) : board(sched, *dtu::profile::find("g771"), c, rec) {
        board.net().in_process()->add_server(Proto::Tcp, "peer.example", 9000, peer);
    }
    static BoardConfig config() {
        BoardConfig c;
        c.identity = dtu::sim::default_identity();
        c.link.upstream.latency_ms = 40;
        c.link.downstream.latency_ms = 40;
        return c;
    }
    void run_for(std::chrono::milliseconds d) { sched.advance_to(sched.now() + d); }

    /// G771 §3.4: one packing interval (50 ms at the factory) of silence, "+++", 'a' -> "+ok".
    void enter_command() {
        run_for(200ms);
        rec.take();
        board.serial_write("+++");
        run_for(100ms);
        ASSERT_EQ(rec.take(), "a");
        board.serial_write("a");
        run_for(10ms);
        ASSERT_EQ(rec.take(), "+ok\r\n");
    }
    /// One command line in command mode; the reply without the echo.
    std::string cmd(const std::string& line) {
        board.serial_write(line + "\r");
        run_for(10ms);
        std::string o = rec.take();
        if (o.rfind(line + "\r", 0) == 0) o.erase(0, line.size() + 1);
        return o;
    }

    /// AT+S: OK, then the reset and the new boot's start message (G771 §4 STMSG).
    void save_and_restart() {
        const std::string reply = cmd("AT+S");
        EXPECT_EQ(reply.rfind("\r\nOK\r\n\r\nUSR-G771", 0), 0u) << reply;
        run_for(1s);
    }

    dtu::hal_sim::VirtualScheduler sched;
    Recorder rec;
    Peer peer;
    Board board;
};

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
