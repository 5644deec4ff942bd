// VirtualNet's server sockets (K7 §4.2.2 TCP Server, §4.2.4 UDP Server): scenario peers dial the
// device's listeners; accepted clients are links of their own, a full range refuses and counts, UDP
// datagrams carry their source and replies reach the peer at that address. Exact virtual times.
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hal_sim/net_listeners.hpp"
#include "net_journal.hpp"

namespace {

using namespace std::chrono_literals;
using dtu::hal::LinkRange;
using dtu::hal::NetAddress;
using dtu::hal::Proto;
using namespace dtu::vtest;

/// The firmware's listener (net_journal.hpp's Device) with the server-socket events.
struct ServerDevice final : Device {
    using Device::Device;
    void on_listening(LinkId id) override { j.add("listening " + std::to_string(id)); }
    void on_listen_failed(LinkId id, NetError why) override {
        j.add("listen-failed " + std::to_string(id) + " " + dtu::hal_sim::net_error_name(why));
    }
    void on_accepted(LinkId l, LinkId c, const NetAddress& p) override {
        j.add("accepted " + std::to_string(l) + " " + std::to_string(c) + " " +
              dtu::hal_sim::net_address_text(p));
    }
    void on_datagram(LinkId id, const NetAddress& from, std::string_view b) override {
        j.add("dgram " + std::to_string(id) + " " + dtu::hal_sim::net_address_text(from) + " " +
              std::string(b));
    }
};

class VirtualNetServerTest : public ::testing::Test, protected NetBench {
protected:
    VirtualNetServerTest() : NetBench(latency(50, 30)) { net.set_listener(&sdev); }
    ServerDevice sdev{journal};
    Server peer{journal};
    static constexpr NetAddress kPeer1{0xC0A80064, 5001}; // 192.168.0.100
};

TEST_F(VirtualNetServerTest, ListenRejectsPortZeroAndABadRange) {
    EXPECT_TRUE(net.listen(0, Proto::Tcp, 0, {16, 4}));
    EXPECT_TRUE(net.listen(1, Proto::Tcp, 23, {0, 4}));  // its own id in the range
    EXPECT_TRUE(net.listen(2, Proto::Tcp, 23, {48, 4})); // past kMaxLinks
    EXPECT_TRUE(take().empty()) << "nothing inside the call";
    run_for(1ms);
    EXPECT_EQ(take(), (Events{"listen-failed 0 invalid@0", "listen-failed 1 invalid@0",
                              "listen-failed 2 invalid@0"}));
}

TEST_F(VirtualNetServerTest, ThreeClientsDataBothWaysAndAFullRangeRefusesAndCounts) {
    ASSERT_TRUE(net.listen(0, Proto::Tcp, 23, LinkRange{16, 3}));
    run_for(1ms);
    EXPECT_EQ(take(), (Events{"listening 0@0"}));
    const ConnId a = net.connect_client(Proto::Tcp, 23, kPeer1, peer);
    const ConnId b = net.connect_client(Proto::Tcp, 23, {0xC0A80065, 5002}, peer);
    const ConnId c = net.connect_client(Proto::Tcp, 23, {0xC0A80066, 5003}, peer);
    run_for(1s);
    // connect_time = one round trip (80 ms); ids in turn from the range's first.
    EXPECT_EQ(take(),
              (Events{"srv-connect " + std::to_string(a) + "@81", "accepted 0 16 192.168.0.100:5001@81",
                      "srv-connect " + std::to_string(b) + "@81", "accepted 0 17 192.168.0.101:5002@81",
                      "srv-connect " + std::to_string(c) + "@81", "accepted 0 18 192.168.0.102:5003@81"}));
    EXPECT_EQ(net.counters().accepts, 3u);
    ASSERT_TRUE(net.server_send(b, "hello"));
    ASSERT_TRUE(net.send(17, "world"));
    run_for(1s);
    EXPECT_EQ(take(), (Events{"data 17 hello@1031", "srv-data " + std::to_string(b) + " world@1051"}));
    EXPECT_EQ(net.snapshot().size(), 3u);
    // Range full: the fourth is closed at once, counted, and the net goes on.
    const ConnId d = net.connect_client(Proto::Tcp, 23, {0xC0A80067, 5004}, peer);
    run_for(1s);
    EXPECT_EQ(take(), (Events{"srv-rst " + std::to_string(d) + "@2081"}));
    EXPECT_EQ(net.counters().accept_refused, 1u);
    // A slot freed by the firmware's close takes the next client.
    net.close(16);
    run_for(1s);
    take();
    const ConnId e = net.connect_client(Proto::Tcp, 23, {0xC0A80068, 5005}, peer);
    run_for(1s);
    EXPECT_EQ(take(), (Events{"srv-connect " + std::to_string(e) + "@4081",
                              "accepted 0 16 192.168.0.104:5005@4081"}));
    // The peer's FIN ends the accepted link like a client link's.
    net.server_close(e, false);
    run_for(1s);
    EXPECT_EQ(take(), (Events{"closed 16 peer-closed@5031"}));
}

TEST_F(VirtualNetServerTest, NoListenerIsAReset) {
    const ConnId a = net.connect_client(Proto::Tcp, 23, kPeer1, peer);
    run_for(1s);
    EXPECT_EQ(take(), (Events{"srv-rst " + std::to_string(a) + "@80"}));
    ASSERT_TRUE(net.listen(0, Proto::Tcp, 23, LinkRange{16, 3}));
    run_for(1ms);
    net.close(0); // stops listening
    take();
    net.connect_client(Proto::Tcp, 23, kPeer1, peer);
    run_for(1s);
    ASSERT_EQ(take().size(), 1u);
}

TEST_F(VirtualNetServerTest, UdpDatagramsCarryTheirSourceAndRepliesReachThatPeer) {
    ASSERT_TRUE(net.listen(1, Proto::Udp, 1901, {}));
    run_for(1ms);
    EXPECT_EQ(take(), (Events{"listening 1@0"}));
    const ConnId p = net.client_datagram(1901, kPeer1, "search", peer);
    run_for(1s);
    EXPECT_EQ(take(), (Events{"dgram 1 192.168.0.100:5001 search@31"}));
    ASSERT_TRUE(net.send_to(1, kPeer1, "answer"));
    ASSERT_TRUE(net.send_to(1, {0x01020304, 9}, "nobody")); // no peer there: lost
    run_for(1s);
    EXPECT_EQ(take(), (Events{"srv-data " + std::to_string(p) + " answer@1051"}));
    ASSERT_TRUE(net.server_send(p, "again"));
    run_for(1s);
    EXPECT_EQ(take(), (Events{"dgram 1 192.168.0.100:5001 again@2031"}));
    net.client_datagram(1902, kPeer1, "x", peer); // nothing bound there
    run_for(1s);
    EXPECT_TRUE(take().empty());
    EXPECT_EQ(net.counters().udp_rx_unbound, 1u);
    EXPECT_FALSE(net.send_to(0, kPeer1, "x")) << "not a UDP socket";
}

} // namespace
