// hal_sim::LoopbackServer with AsioNetOptions::redirects: a scenario peer reached over real
// loopback sockets when the device (AsioNet) dials the peer's declared address. Data both ways, the
// peer's FIN and RST, the device's close, refusing connections, UDP datagrams, and a name that
// still fails under dns_failure. And AsioScheduler::run_until, which the real-time runner drives.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "hal_sim/asio_net.hpp"
#include "hal_sim/asio_scheduler.hpp"
#include "hal_sim/host_log.hpp"
#include "hal_sim/link_impairment.hpp"
#include "hal_sim/loopback_server.hpp"
#include "run_io.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;
using hal::NetError;
using hal::Proto;
using hal_sim::ConnId;

/// The scenario peer's side: what it saw.
struct Peer final : hal_sim::VirtualServer {
    bool accept = true;
    std::vector<ConnId> connects;
    std::map<ConnId, std::string> received;
    std::map<ConnId, bool> closed; ///< conn -> reset
    bool on_connect(ConnId conn) override {
        connects.push_back(conn);
        return accept;
    }
    void on_data(ConnId conn, std::string_view bytes) override { received[conn].append(bytes); }
    void on_closed(ConnId conn, bool reset) override { closed[conn] = reset; }
};

/// The device's side: what the firmware would get.
struct Device final : hal::NetListener {
    bool connected = false;
    std::optional<NetError> failed, ended;
    std::string stream;
    void on_connected(hal::LinkId) override { connected = true; }
    void on_connect_failed(hal::LinkId, NetError why) override { failed = why; }
    void on_data(hal::LinkId, std::string_view bytes) override { stream.append(bytes); }
    void on_closed(hal::LinkId, NetError why) override { ended = why; }
    void on_attach_changed(bool) override {}
};

class LoopbackServerTest : public ::testing::Test {
protected:
    /// A server for proto, and a net that sends (proto, peer.example, 9000) to it.
    void start(Proto proto) {
        server.emplace(io, proto, log);
        server->serve(peer);
        hal_sim::AsioNetOptions options;
        options.redirects = {{proto, "Peer.Example", 9000, server->port()}};
        net.emplace(io, scheduler, link, log, options);
        net->set_listener(&device);
    }
    bool run(const std::function<bool()>& done) { return run_until(io, done, 5s); }

    boost::asio::io_context io;
    hal_sim::AsioScheduler scheduler{io}; // the net's clock: outlives it
    hal_sim::HostLog log{"test", hal::LogLevel::Warn};
    hal_sim::LinkImpairment link{hal_sim::LinkConfig{}, 1};
    Peer peer;
    Device device;
    std::optional<hal_sim::LoopbackServer> server;
    std::optional<hal_sim::AsioNet> net;
};

TEST_F(LoopbackServerTest, TcpDataBothWaysThenThePeersFin) {
    start(Proto::Tcp);
    net->open(0, Proto::Tcp, "peer.example", 9000, nullptr); // the name is matched case-insensitively
    ASSERT_TRUE(run([&] { return device.connected && peer.connects.size() == 1; }));
    const ConnId conn = peer.connects[0];
    ASSERT_TRUE(net->send(0, "from device"));
    ASSERT_TRUE(run([&] { return peer.received[conn] == "from device"; }));
    ASSERT_TRUE(server->server_send(conn, "from peer"));
    server->server_close(conn, false);
    ASSERT_TRUE(run([&] { return device.ended.has_value(); }));
    EXPECT_EQ(device.stream, "from peer") << "the FIN comes after the bytes sent before it";
    EXPECT_EQ(*device.ended, NetError::PeerClosed);
    EXPECT_FALSE(server->server_send(conn, "late")) << "the peer closed its side";
    EXPECT_EQ(peer.closed.count(conn), 0U) << "no close event after the peer's own close";
}

TEST_F(LoopbackServerTest, TcpPeerResetAndDeviceClose) {
    start(Proto::Tcp);
    net->open(0, Proto::Tcp, "peer.example", 9000, nullptr);
    ASSERT_TRUE(run([&] { return device.connected && peer.connects.size() == 1; }));
    server->server_close(peer.connects[0], true);
    ASSERT_TRUE(run([&] { return device.ended.has_value(); }));
    EXPECT_EQ(*device.ended, NetError::Reset);

    device = Device{};
    net->open(1, Proto::Tcp, "peer.example", 9000, nullptr);
    ASSERT_TRUE(run([&] { return device.connected && peer.connects.size() == 2; }));
    net->close(1);
    ASSERT_TRUE(run([&] { return peer.closed.count(peer.connects[1]) == 1; }));
    EXPECT_FALSE(peer.closed[peer.connects[1]]) << "the device's close is a FIN";
}

TEST_F(LoopbackServerTest, NotAcceptingRefusesLikeAClosedPortThenListensAgainOnTheSamePort) {
    start(Proto::Tcp);
    server->set_accepting(false);
    net->open(0, Proto::Tcp, "peer.example", 9000, nullptr);
    ASSERT_TRUE(run([&] { return device.failed.has_value(); }));
    EXPECT_EQ(*device.failed, NetError::Refused);
    EXPECT_TRUE(peer.connects.empty());

    server->set_accepting(true);
    device = Device{};
    net->open(0, Proto::Tcp, "peer.example", 9000, nullptr);
    ASSERT_TRUE(run([&] { return device.connected && peer.connects.size() == 1; }));
}

TEST_F(LoopbackServerTest, AConnectionThePeerRefusesIsResetAtOnce) {
    start(Proto::Tcp);
    peer.accept = false;
    net->open(0, Proto::Tcp, "peer.example", 9000, nullptr);
    // The kernel accepted before the peer was asked: the device connects, then the RST ends it.
    ASSERT_TRUE(run([&] { return device.ended.has_value() || device.failed.has_value(); }));
    const NetError why = device.ended ? *device.ended : *device.failed;
    EXPECT_EQ(why, NetError::Reset);
    EXPECT_EQ(peer.connects.size(), 1U);
    EXPECT_TRUE(peer.received.empty());
}

TEST_F(LoopbackServerTest, UdpDatagramsBothWays) {
    start(Proto::Udp);
    net->open(0, Proto::Udp, "peer.example", 9000, nullptr);
    ASSERT_TRUE(run([&] { return device.connected; }));
    ASSERT_TRUE(net->send(0, "one"));
    ASSERT_TRUE(run([&] { return peer.connects.size() == 1 && peer.received[peer.connects[0]] == "one"; }));
    ASSERT_TRUE(server->server_send(peer.connects[0], "back"));
    ASSERT_TRUE(run([&] { return device.stream == "back"; }));
    server->server_close(peer.connects[0], false);
    EXPECT_FALSE(server->server_send(peer.connects[0], "gone"));
}

TEST_F(LoopbackServerTest, ARedirectedNameStillFailsWhenDnsFails) {
    start(Proto::Tcp);
    hal_sim::LinkConfig c;
    c.dns_failure = true;
    link.set_config(c);
    net->open(0, Proto::Tcp, "peer.example", 9000, nullptr);
    ASSERT_TRUE(run([&] { return device.failed.has_value(); }));
    EXPECT_EQ(*device.failed, NetError::DnsFailed);
    EXPECT_TRUE(peer.connects.empty());
}

TEST_F(LoopbackServerTest, AnAddressNotRedirectedGoesWhereItSays) {
    start(Proto::Tcp);
    net->open(0, Proto::Tcp, "127.0.0.1", server->port(), nullptr); // dialled directly, no redirect
    ASSERT_TRUE(run([&] { return device.connected && peer.connects.size() == 1; }));
}

TEST(AsioSchedulerRunUntil, StopsWhenDoneOrAtTheLimit) {
    boost::asio::io_context io;
    hal_sim::AsioScheduler scheduler(io);
    int fired = 0;
    scheduler.after(30ms, [&] { ++fired; });
    EXPECT_TRUE(scheduler.run_until(scheduler.now() + 5s, [&] { return fired == 1; }));
    EXPECT_GT(scheduler.tasks_run(), 0U);
    // Nothing pending: it waits for the limit (the work guard), and done() never held.
    const auto start = scheduler.now();
    EXPECT_FALSE(scheduler.run_until(start + 50ms, [] { return false; }));
    EXPECT_GE(scheduler.now() - start, 50ms);
    EXPECT_TRUE(scheduler.real_time());
}

} // namespace
} // namespace dtu::itest
