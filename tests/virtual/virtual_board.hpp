#pragma once
// A G771 on a scenario Board in virtual time and how the tests drive it (board_test.cpp,
// board_mqtt_test.cpp): the serial output and log recorded, a server at peer.example:9000, command
// mode, one command line, AT+S.
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "dtu/profile/profile.hpp"
#include "hal_sim/virtual_scheduler.hpp"
#include "sim/identity.hpp"
#include "sim/scenario/board.hpp"

namespace dtu::test::virtual_board {

using namespace std::chrono_literals;
using dtu::hal::Proto;
using dtu::hal_sim::ConnId;
using dtu::sim::scenario::Board;
using dtu::sim::scenario::BoardConfig;

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

} // namespace dtu::test::virtual_board
