// The K7's socket B beside its server work modes (K7 §4.2 form 4.2-1; spec k7-ethernet §2 GAP-18):
// with SOCKB naming a client (TCPC/UDPC, an address and a port) it connects to its server while
// socket A serves; serial frames go to both, socket B's server data to the serial port. Socket B's
// factory 0.0.0.0,0 leaves the server mode as it was.
#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

#include "dut.hpp"

using namespace dtu;
using namespace dtu::test;

namespace {

const std::string kOk = "\r\n+OK\r\n";
constexpr hal::NetAddress kPc1{0xC0A80064, 50001}; // 192.168.0.100
constexpr hal::LinkId kSocketB = 1;

std::string answer(std::string_view word) { return "\r\n+OK=" + std::string(word) + "\r\n"; }

std::string query(Dut& dut, std::string_view line) {
    dut.enter_command(50, "+ok");
    std::string a = dut.cmd(line);
    dut.cmd("AT+ENTM");
    return a;
}

/// Socket A the factory TCP server on 23, socket B a TCP client of 10.0.0.5:7000.
struct ServerAndB {
    explicit ServerAndB(std::initializer_list<std::string> extra = {}) {
        std::vector<std::string> commands{"AT+SOCKB=TCPC,10.0.0.5,7000"};
        commands.insert(commands.end(), extra.begin(), extra.end());
        dut.enter_command(50, "+ok");
        for (const auto& c : commands)
            EXPECT_EQ(dut.cmd(c), kOk) << c;
        EXPECT_EQ(dut.cmd("AT+Z"), kOk);
        dut.reboot();
        dut.bench.net.bound(0);
        dut.out();
    }
    FakeNet::Link& link(hal::LinkId id) { return dut.bench.net.links[id]; }
    Dut dut{"k7"};
};

} // namespace

TEST(K7SocketB, FactorySocketBLeavesTheServerAlone) {
    Dut dut("k7");
    EXPECT_TRUE(dut.bench.net.links[0].listening);
    EXPECT_FALSE(dut.bench.net.links[kSocketB].open) << "SOCKB factory TCPC,0.0.0.0,0 is unused (GAP-18)";
}

TEST(K7SocketB, ConnectsBesideTheTcpServerAndCarriesSerialFramesBothWays) {
    ServerAndB s;
    FakeNet::Link& b = s.link(kSocketB);
    ASSERT_TRUE(b.open) << "socket B dials while socket A serves";
    EXPECT_EQ(b.proto, hal::Proto::Tcp);
    EXPECT_EQ(b.host, "10.0.0.5");
    EXPECT_EQ(b.port, 7000);
    EXPECT_TRUE(s.link(0).listening) << "socket A still serves";
    s.dut.bench.net.accept(kSocketB);

    const auto c1 = s.dut.bench.net.connect_client(0, kPc1);
    ASSERT_TRUE(c1.has_value());
    s.dut.frame("to both");
    EXPECT_EQ(s.link(*c1).sent, std::vector<std::string>{"to both"}) << "socket A's client";
    EXPECT_EQ(b.sent, std::vector<std::string>{"to both"}) << "socket B's server";

    s.dut.bench.net.deliver(kSocketB, "from B's server");
    EXPECT_EQ(s.dut.out(), "from B's server");
    s.dut.bench.net.deliver(*c1, "from A's client");
    EXPECT_EQ(s.dut.out(), "from A's client");
}

TEST(K7SocketB, LinkStatesAndStatusShowBothSockets) {
    ServerAndB s;
    EXPECT_EQ(query(s.dut, "AT+SOCKLKB"), answer("IDLE")) << "connecting";
    s.dut.bench.net.accept(kSocketB);
    EXPECT_EQ(query(s.dut, "AT+SOCKLKB"), answer("CONNECTED"));
    EXPECT_EQ(query(s.dut, "AT+SOCKLKA"), answer("LISTEN")) << "socket A: listening, no client";

    const device::Status st = s.dut.bench.device->status();
    ASSERT_EQ(st.sockets.size(), 2u);
    EXPECT_EQ(st.sockets[0].port, 23);
    EXPECT_EQ(st.sockets[0].state, device::LinkState::Idle) << "the server's view of socket A";
    EXPECT_EQ(st.sockets[1].host, "10.0.0.5");
    EXPECT_EQ(st.sockets[1].state, device::LinkState::Connected);
}

TEST(K7SocketB, ReconnectsWhenItsServerCloses) {
    ServerAndB s;
    s.dut.bench.net.accept(kSocketB);
    s.dut.bench.net.drop(kSocketB);
    EXPECT_FALSE(s.link(kSocketB).open);
    s.dut.advance(120'000); // beyond any retry time: it dials again (K7 §4.2.1)
    EXPECT_TRUE(s.link(kSocketB).open);
    EXPECT_TRUE(s.link(0).listening) << "socket A untouched";
}

TEST(K7SocketB, BesideTheUdpServerToo) {
    ServerAndB s({"AT+SOCKA=UDPS,192.168.0.201,8899"});
    EXPECT_TRUE(s.link(kSocketB).open);
    s.dut.bench.net.accept(kSocketB);
    s.dut.frame("serial");
    EXPECT_EQ(s.link(kSocketB).sent, std::vector<std::string>{"serial"});
}

TEST(K7SocketB, RstimIsTheServersRuleNotSocketBs) {
    // K7 §4.4.8 in the server modes: data from socket A's clients keeps the device up; socket B
    // runs no restart of its own, so its silent server does not restart the device while A's
    // clients talk.
    ServerAndB s({"AT+RSTIM=60"});
    s.dut.bench.net.accept(kSocketB);
    const auto c1 = s.dut.bench.net.connect_client(0, kPc1);
    ASSERT_TRUE(c1.has_value());
    for (int i = 0; i < 4; ++i) {
        s.dut.advance(40'000);
        s.dut.bench.net.deliver(*c1, "x");
    }
    EXPECT_TRUE(s.dut.bench.system.resets.empty()) << "160 s with client data every 40 s";
    s.dut.advance(61'000);
    ASSERT_EQ(s.dut.bench.system.resets.size(), 1u) << "61 s without client data";
    EXPECT_EQ(s.dut.bench.system.resets[0], hal::ResetCause::NoData);
}
