// AT+SOCKLKA in the K7's server modes (K7 §4.1.4, §5.3.5 #16; spec k7-ethernet §12.1
// RECOMMENDED): a TCP server with no client LISTEN, with n clients CONNECTED(n), not listening
// IDLE; a UDP server CONNECTED once bound. The words come from the row's choices
// (device/link_state_word.hpp), so a model whose row has two choices keeps its two words.
#include "dut.hpp"

#include "device/link_state_word.hpp"

using namespace dtu;
using namespace dtu::test;

namespace {

constexpr hal::NetAddress kPc1{0xC0A80064, 50001}; // 192.168.0.100
constexpr hal::NetAddress kPc2{0xC0A80065, 50002};
constexpr hal::NetAddress kPc3{0xC0A80066, 50003};

std::string answer(std::string_view word) { return "\r\n+OK=" + std::string(word) + "\r\n"; }

/// One query from command mode, back to transparent mode after it.
std::string query(Dut& dut, std::string_view line) {
    dut.enter_command(50, "+ok");
    std::string a = dut.cmd(line);
    dut.cmd("AT+ENTM");
    return a;
}

hal::LinkId client(Dut& dut, const hal::NetAddress& peer) {
    const auto id = dut.bench.net.connect_client(0, peer);
    EXPECT_TRUE(id.has_value());
    return id.value_or(0);
}

} // namespace

TEST(K7SockLk, TcpServerListensThenCountsItsClients) {
    Dut dut("k7"); // factory SOCKA=TCPS,192.168.0.201,23 (K7 §1.2)
    EXPECT_EQ(query(dut, "AT+SOCKLKA"), answer("IDLE")) << "listen asked, not yet bound";
    dut.bench.net.bound(0);
    EXPECT_EQ(query(dut, "AT+SOCKLKA"), answer("LISTEN"));
    EXPECT_EQ(query(dut, "AT+SOCKLK"), answer("LISTEN")) << "spec k7 §3.1: AT+SOCKLK is socket A";
    const hal::LinkId c1 = client(dut, kPc1);
    EXPECT_EQ(query(dut, "AT+SOCKLKA"), answer("CONNECTED(1)"));
    client(dut, kPc2);
    const hal::LinkId c3 = client(dut, kPc3);
    EXPECT_EQ(query(dut, "AT+SOCKLKA1"), answer("CONNECTED(3)"));
    dut.bench.net.drop(c1);
    EXPECT_EQ(query(dut, "AT+SOCKLKA"), answer("CONNECTED(2)"));
    dut.bench.net.drop(c3);
    dut.bench.net.drop(static_cast<hal::LinkId>(c1 + 1));
    EXPECT_EQ(query(dut, "AT+SOCKLKA"), answer("LISTEN")) << "every client gone: listening again";
    EXPECT_EQ(query(dut, "AT+SOCKLKB"), answer("IDLE")) << "socket B factory 0.0.0.0,0 is unused";
}

TEST(K7SockLk, TcpServerWithoutTheNetworkIsIdle) {
    Dut dut("k7");
    dut.bench.net.listener->on_listen_failed(0, hal::NetError::NotAttached);
    EXPECT_EQ(query(dut, "AT+SOCKLKA"), answer("IDLE"));
}

TEST(K7SockLk, UdpServerIsConnectedOnceBound) {
    Dut dut("k7");
    dut.enter_command(50, "+ok");
    EXPECT_EQ(dut.cmd("AT+SOCKA=UDPS,192.168.0.201,8899"), "\r\n+OK\r\n");
    EXPECT_EQ(dut.cmd("AT+Z"), "\r\n+OK\r\n");
    dut.reboot();
    EXPECT_EQ(query(dut, "AT+SOCKLKA"), answer("IDLE")) << "not bound yet";
    dut.bench.net.bound(0);
    EXPECT_EQ(query(dut, "AT+SOCKLKA"), answer("CONNECTED")) << "spec k7 §12.1: UDP, once bound";
}

TEST(LinkStateWord, TakesTheWordsFromTheRow) {
    using device::link_state_word;
    using device::ServerSocketLive;
    const std::string_view k7 = "CONNECTED|IDLE|LISTEN|CONNECTED(n)";
    EXPECT_EQ(link_state_word(k7, true, std::nullopt), "CONNECTED") << "a client socket";
    EXPECT_EQ(link_state_word(k7, false, std::nullopt), "IDLE");
    EXPECT_EQ(link_state_word(k7, false, ServerSocketLive{true, 0}), "LISTEN");
    EXPECT_EQ(link_state_word(k7, true, ServerSocketLive{true, 12}), "CONNECTED(12)");
    EXPECT_EQ(link_state_word(k7, false, ServerSocketLive{false, 0}), "IDLE");
    // A row without the server words (the G771's "Connected|Disconnected") keeps two.
    EXPECT_EQ(link_state_word("Connected|Disconnected", true, ServerSocketLive{true, 2}), "Connected");
    EXPECT_EQ(link_state_word("Connected|Disconnected", false, ServerSocketLive{true, 0}), "Disconnected");
}
