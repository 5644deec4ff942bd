// hal_sim::AsioNet's server sockets (hal::Net::listen, send_to) against real clients on 127.0.0.1:
// TCP clients accepted into the listener's range with their addresses, data both ways, a full range
// refused, UDP from any sender and answered with send_to, the port map (HostPorts) including the
// fallback to a free port when the device's port is taken. No fixed sleeps.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "hal_sim/asio_net.hpp"
#include "hal_sim/asio_scheduler.hpp"
#include "hal_sim/host_log.hpp"
#include "hal_sim/host_ports.hpp"
#include "hal_sim/link_impairment.hpp"
#include "run_io.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;
using boost::asio::ip::tcp;
using boost::asio::ip::udp;
using hal::LinkId;
using hal::NetAddress;
using hal::Proto;

struct ServerEvents final : hal::NetListener {
    struct Accepted {
        LinkId listener;
        LinkId conn;
        NetAddress peer;
    };
    struct Datagram {
        LinkId id;
        NetAddress from;
        std::string bytes;
    };
    std::vector<LinkId> listening, listen_failed;
    std::vector<Accepted> accepted;
    std::vector<Datagram> datagrams;
    std::map<LinkId, std::string> stream;
    std::vector<LinkId> closed;

    void on_connected(LinkId) override {}
    void on_connect_failed(LinkId, hal::NetError) override {}
    void on_data(LinkId id, std::string_view bytes) override { stream[id].append(bytes); }
    void on_closed(LinkId id, hal::NetError) override { closed.push_back(id); }
    void on_attach_changed(bool) override {}
    void on_listening(LinkId id) override { listening.push_back(id); }
    void on_listen_failed(LinkId id, hal::NetError) override { listen_failed.push_back(id); }
    void on_accepted(LinkId listener, LinkId conn, const NetAddress& peer) override {
        accepted.push_back({listener, conn, peer});
    }
    void on_datagram(LinkId id, const NetAddress& from, std::string_view bytes) override {
        datagrams.push_back({id, from, std::string(bytes)});
    }
};

/// A port nobody listens on right now (bound, read and released).
std::uint16_t free_port(boost::asio::io_context& io) {
    tcp::acceptor a(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    return a.local_endpoint().port();
}

/// "127.0.0.1:40123" -> 40123.
std::uint16_t port_of(const std::string& host_port) {
    return static_cast<std::uint16_t>(std::stoi(host_port.substr(host_port.rfind(':') + 1)));
}

class NetServerTest : public ::testing::Test {
protected:
    NetServerTest() {
        hal_sim::AsioNetOptions options;
        options.ports = &ports;
        net.emplace(io, scheduler, link, log, options);
        net->set_listener(&ev);
    }
    template <typename Predicate> bool run(Predicate done, std::chrono::milliseconds timeout = 5s) {
        return run_until(io, done, timeout);
    }
    /// Listen and wait for on_listening; the host port it got.
    std::uint16_t listen(LinkId id, Proto proto, std::uint16_t port, hal::LinkRange range) {
        EXPECT_TRUE(net->listen(id, proto, port, range));
        EXPECT_TRUE(run([&] { return !ev.listening.empty() && ev.listening.back() == id; }));
        const auto it = ports.map().find(hal_sim::HostPorts::key(proto, port));
        if (it == ports.map().end()) {
            ADD_FAILURE() << "no ports entry for " << hal_sim::HostPorts::key(proto, port);
            return 0;
        }
        return port_of(it->second);
    }
    /// A TCP client connected to the host port and accepted by the net.
    tcp::socket client(std::uint16_t host_port) {
        tcp::socket s(io);
        s.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), host_port));
        const std::size_t before = ev.accepted.size();
        EXPECT_TRUE(run([&] { return ev.accepted.size() > before; }));
        return s;
    }
    std::string read_some(tcp::socket& s, std::size_t n) {
        std::string got(n, '\0');
        boost::asio::read(s, boost::asio::buffer(got));
        return got;
    }

    boost::asio::io_context io;           // first: destroyed last
    hal_sim::AsioScheduler scheduler{io}; // the net's clock: outlives it
    hal_sim::HostLog log{"net-server-test", hal::LogLevel::Info};
    hal_sim::LinkImpairment link{hal_sim::LinkConfig{}, 1};
    hal_sim::HostPorts ports{"127.0.0.1"};
    ServerEvents ev;
    std::optional<hal_sim::AsioNet> net;
};

TEST_F(NetServerTest, TcpClientsAreAcceptedIntoTheRangeWithTheirAddresses) {
    const std::uint16_t device_port = free_port(io);
    const std::uint16_t host_port = listen(0, Proto::Tcp, device_port, hal::links::accepted(0));
    EXPECT_EQ(host_port, device_port) << "a free device port is bound as it is";

    tcp::socket a = client(host_port);
    tcp::socket b = client(host_port);
    ASSERT_EQ(ev.accepted.size(), 2u);
    EXPECT_EQ(ev.accepted[0].listener, 0);
    EXPECT_EQ(ev.accepted[0].conn, hal::links::accepted(0).first);
    EXPECT_EQ(ev.accepted[1].conn, hal::links::accepted(0).first + 1);
    EXPECT_EQ(ev.accepted[0].peer.ip, 0x7F000001u);
    EXPECT_EQ(ev.accepted[0].peer.port, a.local_endpoint().port());
    EXPECT_EQ(ev.accepted[1].peer.port, b.local_endpoint().port());
    EXPECT_EQ(net->counters().accepts, 2u);

    const LinkId ida = ev.accepted[0].conn, idb = ev.accepted[1].conn;
    boost::asio::write(a, boost::asio::buffer(std::string("from a")));
    boost::asio::write(b, boost::asio::buffer(std::string("from b")));
    ASSERT_TRUE(run([&] { return ev.stream[ida] == "from a" && ev.stream[idb] == "from b"; }));
    ASSERT_TRUE(net->send(idb, "to b"));
    ASSERT_TRUE(net->send(ida, "to a"));
    EXPECT_EQ(read_some(a, 4), "to a");
    EXPECT_EQ(read_some(b, 4), "to b");

    a.close();
    ASSERT_TRUE(run([&] { return !ev.closed.empty(); }));
    EXPECT_EQ(ev.closed.front(), ida);
}

TEST_F(NetServerTest, AClientBeyondTheRangeIsClosedAtOnceAndCounted) {
    const std::uint16_t host_port = listen(1, Proto::Tcp, free_port(io), hal::LinkRange{20, 1});
    tcp::socket first = client(host_port);
    tcp::socket second(io);
    second.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), host_port));
    ASSERT_TRUE(run([&] { return net->counters().accept_refused == 1; }));
    char byte = 0;
    boost::system::error_code ec;
    second.read_some(boost::asio::buffer(&byte, 1), ec);
    EXPECT_TRUE(ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset) << ec.message();
    EXPECT_EQ(ev.accepted.size(), 1u) << "the refused client never reaches the firmware";
}

TEST_F(NetServerTest, ATakenDevicePortIsMappedToAFreeOne) {
    tcp::acceptor squatter(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    const std::uint16_t taken = squatter.local_endpoint().port();
    const std::uint16_t host_port = listen(0, Proto::Tcp, taken, hal::links::accepted(0));
    EXPECT_NE(host_port, taken);
    EXPECT_NE(host_port, 0);
    EXPECT_EQ(ports.map().at("tcp/" + std::to_string(taken)), "127.0.0.1:" + std::to_string(host_port));
    tcp::socket c = client(host_port);
    EXPECT_EQ(ev.accepted.size(), 1u);

    net->close(0); // the listener goes; the client it accepted stays
    EXPECT_TRUE(ports.map().empty());
    ASSERT_TRUE(net->send(ev.accepted[0].conn, "still here"));
    EXPECT_EQ(read_some(c, 10), "still here");
}

TEST_F(NetServerTest, UdpHearsEverySenderAndAnswersWithSendTo) {
    const std::uint16_t host_port = listen(6, Proto::Udp, free_port(io), {});
    const udp::endpoint device(boost::asio::ip::make_address("127.0.0.1"), host_port);
    udp::socket one(io, udp::endpoint(udp::v4(), 0)), two(io, udp::endpoint(udp::v4(), 0));
    one.send_to(boost::asio::buffer(std::string("ping 1")), device);
    two.send_to(boost::asio::buffer(std::string("ping 2")), device);
    ASSERT_TRUE(run([&] { return ev.datagrams.size() == 2; }));
    EXPECT_EQ(ev.datagrams[0].bytes, "ping 1");
    EXPECT_EQ(ev.datagrams[0].from.port, one.local_endpoint().port());
    EXPECT_EQ(ev.datagrams[1].from.port, two.local_endpoint().port());
    EXPECT_EQ(ev.datagrams[1].from.ip, 0x7F000001u);

    ASSERT_TRUE(net->send_to(6, ev.datagrams[1].from, "pong 2"));
    EXPECT_FALSE(net->send_to(0, ev.datagrams[1].from, "x")) << "link 0 is no UDP socket";
    std::string got(16, '\0');
    udp::endpoint sender;
    bool received = false;
    two.async_receive_from(boost::asio::buffer(got), sender,
                           [&](const boost::system::error_code& ec, std::size_t n) {
                               if (!ec) got.resize(n);
                               received = !ec;
                           });
    ASSERT_TRUE(run([&] { return received; }));
    EXPECT_EQ(got, "pong 2");
    EXPECT_EQ(sender.port(), host_port);
}

TEST_F(NetServerTest, BadListensFailWithAnEventAndAResetClosesListeners) {
    EXPECT_TRUE(net->listen(2, Proto::Tcp, 0, hal::links::accepted(0)));
    EXPECT_TRUE(net->listen(3, Proto::Tcp, 4000, hal::LinkRange{3, 2})) << "a range holding its own id";
    ASSERT_TRUE(run([&] { return ev.listen_failed.size() == 2; }));
    EXPECT_TRUE(ev.listening.empty());

    listen(0, Proto::Tcp, free_port(io), hal::links::accepted(0));
    listen(6, Proto::Udp, free_port(io), {});
    EXPECT_EQ(ports.map().size(), 2u);
    net->close_all();
    EXPECT_TRUE(ports.map().empty()) << "a firmware reset closes every listener";
}

} // namespace
} // namespace dtu::itest
