// hal_sim::AsioNet against real peers on 127.0.0.1 (TCP and UDP servers on the test's io_context),
// through the LinkImpairment: connect, data both ways, failures, peer close/reset, attach, stall,
// latency, loss, bandwidth, backpressure. No fixed sleeps: the io_context runs until a condition
// holds (or, to show that something does NOT happen, for a bounded time).
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <gtest/gtest.h>

#include "hal_sim/asio_net.hpp"
#include "hal_sim/asio_scheduler.hpp"
#include "hal_sim/host_log.hpp"
#include "hal_sim/link_impairment.hpp"
#include "net_peers.hpp"
#include "run_io.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;
using hal::LinkId;
using hal::NetError;
using hal::Proto;
using hal_sim::Direction;
using hal_sim::LinkConfig;
using Clock = std::chrono::steady_clock;

/// Records every event; fails the test if one arrives inside a Net call.
struct Events final : hal::NetListener {
    enum class Kind { Connected, Failed, Data, Closed, Attach };
    struct Ev {
        Kind kind;
        LinkId id = 0;
        NetError why = NetError::None;
        std::string data = {};
        bool attached = false;
    };

    std::vector<Ev> log;
    std::map<LinkId, std::string> stream;
    bool inside_net_call = false;
    std::function<void(const Ev&)> hook; ///< runs after an event is recorded

    void on_connected(LinkId id) override { push({Kind::Connected, id}); }
    void on_connect_failed(LinkId id, NetError why) override { push({Kind::Failed, id, why}); }
    void on_data(LinkId id, std::string_view bytes) override {
        stream[id].append(bytes);
        push({Kind::Data, id, NetError::None, std::string(bytes)});
    }
    void on_closed(LinkId id, NetError why) override { push({Kind::Closed, id, why}); }
    void on_attach_changed(bool attached) override { push({Kind::Attach, 0, NetError::None, {}, attached}); }

    std::size_t count(Kind k, LinkId id) const {
        return static_cast<std::size_t>(
            std::count_if(log.begin(), log.end(), [&](const Ev& e) { return e.kind == k && e.id == id; }));
    }
    bool has(Kind k, LinkId id) const { return count(k, id) > 0; }
    std::optional<Ev> last(Kind k, LinkId id) const {
        for (auto it = log.rbegin(); it != log.rend(); ++it)
            if (it->kind == k && it->id == id) return *it;
        return std::nullopt;
    }
    /// Payloads of link id, one per on_data (UDP: one per datagram).
    std::vector<std::string> datagrams(LinkId id) const {
        std::vector<std::string> out;
        for (const Ev& e : log)
            if (e.kind == Kind::Data && e.id == id) out.push_back(e.data);
        return out;
    }
    std::size_t for_link(LinkId id) const {
        return static_cast<std::size_t>(std::count_if(
            log.begin(), log.end(), [&](const Ev& e) { return e.id == id && e.kind != Kind::Attach; }));
    }

private:
    void push(Ev e) {
        if (inside_net_call) ADD_FAILURE() << "a listener event was delivered inside a Net call";
        log.push_back(std::move(e));
        if (hook) hook(log.back());
    }
};

using Kind = Events::Kind;

class NetTest : public ::testing::Test {
protected:
    NetTest() { make_net({}); }

    void make_net(hal_sim::AsioNetOptions options) {
        net.reset();
        net.emplace(io, scheduler, link, log, options);
        net->set_listener(&ev);
    }

    struct InCall {
        explicit InCall(Events& e) : ev(e) { ev.inside_net_call = true; }
        ~InCall() { ev.inside_net_call = false; }
        Events& ev;
    };
    void open(LinkId id, Proto proto, const std::string& host, std::uint16_t port) {
        InCall guard(ev);
        net->open(id, proto, host, port);
    }
    bool send(LinkId id, const std::string& bytes) {
        InCall guard(ev);
        return net->send(id, bytes);
    }
    void close(LinkId id) {
        InCall guard(ev);
        net->close(id);
    }
    void configure(const LinkConfig& c) { link.set_config(c); }

    template <typename Predicate> bool run(Predicate done, std::chrono::milliseconds timeout = 5s) {
        return run_until(io, done, timeout);
    }
    /// Wait for link id's connect to fail and return why (NetError::None if it did not fail in time).
    NetError failure_of(LinkId id, std::chrono::milliseconds timeout = 5s) {
        if (!run([&] { return ev.has(Kind::Failed, id); }, timeout)) return NetError::None;
        return ev.last(Kind::Failed, id)->why;
    }
    /// Open and wait for on_connected.
    void connect(LinkId id, Proto proto, std::uint16_t port) {
        const std::size_t before = ev.count(Kind::Connected, id);
        const std::size_t failed_before = ev.count(Kind::Failed, id);
        open(id, proto, "127.0.0.1", port);
        ASSERT_TRUE(run([&] {
            return ev.count(Kind::Connected, id) > before || ev.count(Kind::Failed, id) > failed_before;
        }));
        ASSERT_GT(ev.count(Kind::Connected, id), before) << "connect failed";
    }
    std::optional<hal_sim::NetLinkSnapshot> snap(LinkId id) const {
        for (const auto& s : net->snapshot())
            if (s.id == id) return s;
        return std::nullopt;
    }
    const hal_sim::DirectionCounters& up() const { return link.counters(Direction::Upstream); }
    const hal_sim::DirectionCounters& down() const { return link.counters(Direction::Downstream); }

    boost::asio::io_context io;           // first: destroyed last
    hal_sim::AsioScheduler scheduler{io}; // the net's clock: outlives it
    hal_sim::HostLog log{"net-test", hal::LogLevel::Info};
    hal_sim::LinkImpairment link{LinkConfig{}, 1};
    Events ev;
    std::optional<hal_sim::AsioNet> net;
};

std::string pattern(std::size_t n, unsigned seed = 7) {
    std::string s(n, '\0');
    unsigned x = seed;
    for (char& c : s) {
        x = x * 1103515245u + 12345u;
        c = static_cast<char>(x >> 16);
    }
    return s;
}

TEST_F(NetTest, TcpConnectSendAndReceive) {
    TcpPeer server(io);
    open(0, Proto::Tcp, "127.0.0.1", server.port());
    EXPECT_TRUE(ev.log.empty()) << "open() reports later, from the io_context";
    EXPECT_FALSE(send(0, "early")) << "not connected yet";
    ASSERT_TRUE(run([&] { return ev.has(Kind::Connected, 0); }));
    EXPECT_FALSE(send(1, "x")) << "link 1 is not open";

    ASSERT_TRUE(send(0, "hello "));
    ASSERT_TRUE(send(0, "server"));
    ASSERT_TRUE(
        run([&] { return server.sessions.size() == 1 && server.sessions[0]->received == "hello server"; }));
    server.send(0, "hi device");
    ASSERT_TRUE(run([&] { return ev.stream[0] == "hi device"; }));

    const auto s = snap(0);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->state, hal_sim::NetLinkState::Connected);
    EXPECT_EQ(s->remote, "127.0.0.1:" + std::to_string(server.port()));
    EXPECT_EQ(s->local.rfind("127.0.0.1:", 0), 0u);
    EXPECT_EQ(s->tx_bytes, 12u);
    EXPECT_EQ(s->tx_packets, 2u);
    EXPECT_EQ(s->rx_bytes, 9u);
    EXPECT_EQ(up().packets, 2u);
    EXPECT_EQ(up().bytes, 12u);
    EXPECT_EQ(down().bytes, 9u);
    EXPECT_EQ(net->counters().connects, 1u);
}

TEST_F(NetTest, TcpLossNeverLosesNorReordersBytes) {
    TcpPeer echo(io, /*echo=*/true);
    LinkConfig c;
    c.upstream.loss = 0.2;
    c.downstream.loss = 0.2;
    c.upstream.jitter_ms = 3;
    c.downstream.jitter_ms = 3;
    c.tcp_retransmit_ms = 5;
    configure(c);
    connect(0, Proto::Tcp, echo.port());

    const std::string payload = pattern(100 * 1024);
    for (std::size_t i = 0; i < payload.size(); i += 1000)
        ASSERT_TRUE(send(0, payload.substr(i, 1000)));
    ASSERT_TRUE(run([&] { return ev.stream[0].size() >= payload.size(); }, 30s))
        << ev.stream[0].size() << " of " << payload.size() << " bytes echoed";
    EXPECT_TRUE(ev.stream[0] == payload) << "the echoed stream differs";
    EXPECT_TRUE(echo.sessions[0]->received == payload) << "the server's stream differs";
    EXPECT_GT(up().retransmitted, 10u);
    EXPECT_GT(down().retransmitted, 0u);
    EXPECT_EQ(up().dropped, 0u);
    EXPECT_EQ(down().dropped, 0u);
}

TEST_F(NetTest, UdpOneSendIsOneDatagramAndOnlyTheServerIsHeard) {
    UdpPeer server(io);
    connect(1, Proto::Udp, server.port());
    const std::string big(1400, 'b');
    ASSERT_TRUE(send(1, "a"));
    ASSERT_TRUE(send(1, big));
    ASSERT_TRUE(send(1, "ccc"));
    ASSERT_TRUE(run([&] { return server.got.size() == 3; }));
    EXPECT_EQ(server.got[0].bytes, "a");
    EXPECT_EQ(server.got[1].bytes, big);
    EXPECT_EQ(server.got[2].bytes, "ccc");

    server.reply("r1");
    server.reply("r2");
    ASSERT_TRUE(run([&] { return ev.datagrams(1).size() == 2; }));
    EXPECT_EQ(ev.datagrams(1), (std::vector<std::string>{"r1", "r2"}));

    // A datagram from anyone but the server never reaches the device (spec net-transparent §1).
    boost::asio::ip::udp::socket stranger(io, {boost::asio::ip::address_v4::loopback(), 0});
    stranger.send_to(boost::asio::buffer(std::string("intruder")), server.got.back().from);
    server.reply("r3");
    ASSERT_TRUE(run([&] { return ev.datagrams(1).size() >= 3; }));
    EXPECT_EQ(ev.datagrams(1), (std::vector<std::string>{"r1", "r2", "r3"}));
    EXPECT_EQ(net->counters().udp_rx_foreign, 1u) << "the stranger's datagram is counted as it is dropped";
}

TEST_F(NetTest, DnsFailureAndUnresolvableNames) {
    TcpPeer server(io);
    LinkConfig c;
    c.dns_failure = true;
    configure(c);
    open(0, Proto::Tcp, "localhost", server.port());
    EXPECT_EQ(failure_of(0), NetError::DnsFailed);
    connect(1, Proto::Tcp, server.port()); // an IP address needs no lookup
    open(2, Proto::Udp, "localhost", 5000);
    EXPECT_EQ(failure_of(2), NetError::DnsFailed);

    configure(LinkConfig{});
    open(3, Proto::Tcp, "no-such-host.invalid", 80);
    EXPECT_EQ(failure_of(3, 15s), NetError::DnsFailed);

    open(0, Proto::Tcp, "localhost", server.port()); // the resolver works
    ASSERT_TRUE(run([&] { return ev.has(Kind::Connected, 0) || ev.count(Kind::Failed, 0) > 1; }));
    EXPECT_TRUE(ev.has(Kind::Connected, 0));
    EXPECT_EQ(net->counters().connect_failures, 3u);
}

TEST_F(NetTest, RefusedAndInvalid) {
    std::uint16_t closed_port = 0;
    {
        boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::address_v4::loopback(), 0});
        closed_port = a.local_endpoint().port();
    }
    open(0, Proto::Tcp, "127.0.0.1", closed_port);
    EXPECT_EQ(failure_of(0), NetError::Refused);

    TcpPeer server(io);
    LinkConfig c;
    c.refuse_connections = true;
    configure(c);
    open(1, Proto::Tcp, "127.0.0.1", server.port());
    EXPECT_EQ(failure_of(1), NetError::Refused);
    EXPECT_TRUE(server.sessions.empty()) << "a refused connect never reaches the server";

    const std::size_t before = ev.log.size();
    open(2, Proto::Tcp, "", 80);
    open(3, Proto::Udp, "127.0.0.1", 0);
    open(hal::kMaxLinks, Proto::Tcp, "127.0.0.1", 80);
    EXPECT_EQ(ev.log.size(), before) << "reported later, never inline";
    ASSERT_TRUE(run([&] { return ev.log.size() == before + 3; }));
    EXPECT_EQ(ev.last(Kind::Failed, 2)->why, NetError::Invalid);
    EXPECT_EQ(ev.last(Kind::Failed, 3)->why, NetError::Invalid);
    EXPECT_EQ(ev.last(Kind::Failed, hal::kMaxLinks)->why, NetError::Invalid);
}

TEST_F(NetTest, PeerCloseComesAfterItsDataAndResetIsReported) {
    LinkConfig c;
    c.downstream.latency_ms = 30;
    c.downstream.jitter_ms = 20;
    configure(c);
    TcpPeer server(io);
    connect(0, Proto::Tcp, server.port());
    ASSERT_TRUE(run([&] { return server.sessions.size() == 1; }));
    server.send(0, "last ");
    server.send(0, "words");
    server.close(0);
    ASSERT_TRUE(run([&] { return ev.has(Kind::Closed, 0); }));
    EXPECT_EQ(ev.stream[0], "last words");
    EXPECT_EQ(ev.log.back().kind, Kind::Closed) << "nothing after the close";
    EXPECT_EQ(ev.last(Kind::Closed, 0)->why, NetError::PeerClosed);
    EXPECT_FALSE(send(0, "too late"));
    EXPECT_FALSE(snap(0)) << "the slot is free again";

    connect(1, Proto::Tcp, server.port());
    ASSERT_TRUE(run([&] { return server.sessions.size() == 2; }));
    server.reset(1);
    ASSERT_TRUE(run([&] { return ev.has(Kind::Closed, 1); }));
    EXPECT_EQ(ev.last(Kind::Closed, 1)->why, NetError::Reset);
    EXPECT_EQ(net->counters().closed_by_peer, 2u);
}

TEST_F(NetTest, DetachDropsSocketsAndFailsConnectsUntilAttachedAgain) {
    TcpPeer server(io);
    UdpPeer userver(io);
    connect(0, Proto::Tcp, server.port());
    connect(1, Proto::Udp, userver.port());
    LinkConfig slow;
    slow.connect_delay_ms = 5000; // link 2 stays in its handshake
    configure(slow);
    open(2, Proto::Tcp, "127.0.0.1", server.port());
    ASSERT_TRUE(run([&] { return server.sessions.size() == 2; }));

    LinkConfig c;
    c.attached = false;
    configure(c);
    EXPECT_FALSE(net->attached());
    EXPECT_TRUE(net->snapshot().empty()) << "sockets go at once";
    EXPECT_FALSE(send(0, "x"));
    ASSERT_TRUE(
        run([&] { return ev.has(Kind::Closed, 0) && ev.has(Kind::Closed, 1) && ev.has(Kind::Failed, 2); }));
    EXPECT_EQ(ev.last(Kind::Closed, 0)->why, NetError::NotAttached);
    EXPECT_EQ(ev.last(Kind::Closed, 1)->why, NetError::NotAttached);
    EXPECT_EQ(ev.last(Kind::Failed, 2)->why, NetError::NotAttached);
    const auto attach =
        std::find_if(ev.log.begin(), ev.log.end(), [](const auto& e) { return e.kind == Kind::Attach; });
    const auto closed =
        std::find_if(ev.log.begin(), ev.log.end(), [](const auto& e) { return e.kind == Kind::Closed; });
    ASSERT_NE(attach, ev.log.end());
    EXPECT_FALSE(attach->attached);
    EXPECT_LT(attach - ev.log.begin(), closed - ev.log.begin()) << "registration lost, then the sockets";
    ASSERT_TRUE(run([&] { return server.sessions[0]->ended; })) << "the server sees the connection end";

    open(0, Proto::Tcp, "127.0.0.1", server.port());
    EXPECT_EQ(failure_of(0), NetError::NotAttached);

    configure(LinkConfig{});
    EXPECT_TRUE(net->attached());
    ASSERT_TRUE(run([&] { return ev.log.back().kind == Kind::Attach && ev.log.back().attached; }));
    connect(0, Proto::Tcp, server.port());
    ASSERT_TRUE(send(0, "back"));
    ASSERT_TRUE(run([&] { return server.sessions.size() == 3 && server.sessions[2]->received == "back"; }));
}

TEST_F(NetTest, StallHoldsDataAndReleasesItInOrder) {
    TcpPeer server(io);
    connect(0, Proto::Tcp, server.port());
    ASSERT_TRUE(run([&] { return server.sessions.size() == 1; }));
    auto& session = *server.sessions[0];

    LinkConfig c;
    c.upstream.stall = true;
    configure(c);
    ASSERT_TRUE(send(0, "one "));
    ASSERT_TRUE(send(0, "two "));
    ASSERT_TRUE(send(0, "three"));
    EXPECT_FALSE(run([&] { return !session.received.empty(); }, 150ms)) << "nothing moves while stalled";
    EXPECT_EQ(up().held, 3u);
    EXPECT_EQ(snap(0)->up_queued_bytes, 13u);
    EXPECT_EQ(snap(0)->state, hal_sim::NetLinkState::Connected) << "nothing is closed";
    configure(LinkConfig{});
    ASSERT_TRUE(run([&] { return session.received.size() == 13; }));
    EXPECT_EQ(session.received, "one two three");

    c = LinkConfig{};
    c.downstream.stall = true;
    configure(c);
    server.send(0, "abc");
    server.send(0, "def");
    ASSERT_TRUE(run([&] { return snap(0)->down_queued_bytes == 6; })) << "read, then held";
    EXPECT_TRUE(ev.stream[0].empty());
    configure(LinkConfig{});
    ASSERT_TRUE(run([&] { return ev.stream[0].size() == 6; }));
    EXPECT_EQ(ev.stream[0], "abcdef");
    EXPECT_GE(down().held, 1u);
}

TEST_F(NetTest, AStalledLinkCannotCompleteAConnect) {
    hal_sim::AsioNetOptions o;
    o.connect_timeout = 300ms;
    make_net(o);
    TcpPeer server(io);
    LinkConfig c;
    c.upstream.stall = true;
    configure(c);
    const auto t0 = Clock::now();
    open(0, Proto::Tcp, "127.0.0.1", server.port());
    EXPECT_EQ(failure_of(0), NetError::Timeout);
    EXPECT_GE(Clock::now() - t0, 300ms);
}

TEST_F(NetTest, LatencyIsAddedInEachDirection) {
    LinkConfig c;
    c.upstream.latency_ms = 100;
    c.downstream.latency_ms = 100;
    configure(c);
    TcpPeer server(io);
    const auto t_open = Clock::now();
    connect(0, Proto::Tcp, server.port());
    EXPECT_GE(Clock::now() - t_open, 200ms) << "a TCP connect takes one round trip";
    ASSERT_TRUE(run([&] { return server.sessions.size() == 1; }));

    const auto t_up = Clock::now();
    ASSERT_TRUE(send(0, "ping"));
    ASSERT_TRUE(run([&] { return server.sessions[0]->received == "ping"; }));
    EXPECT_GE(server.sessions[0]->arrivals.front().first - t_up, 100ms);

    const auto t_down = Clock::now();
    server.send(0, "pong");
    ASSERT_TRUE(run([&] { return ev.stream[0] == "pong"; }));
    EXPECT_GE(Clock::now() - t_down, 100ms);

    UdpPeer userver(io, /*echo=*/true);
    connect(1, Proto::Udp, userver.port());
    const auto t_udp = Clock::now();
    ASSERT_TRUE(send(1, "udp"));
    ASSERT_TRUE(run([&] { return ev.datagrams(1).size() == 1; }));
    EXPECT_GE(userver.got.at(0).when - t_udp, 100ms);
    EXPECT_GE(Clock::now() - t_udp, 200ms) << "one round trip";
}

TEST_F(NetTest, UdpIndependentLossDropsWhatTheSeedSays) {
    LinkConfig c;
    c.upstream.loss = 0.1;
    configure(c);
    UdpPeer server(io);
    connect(0, Proto::Udp, server.port());
    for (int batch = 0; batch < 20; ++batch) {
        for (int i = 0; i < 100; ++i)
            ASSERT_TRUE(send(0, "datagram " + std::to_string(batch * 100 + i)));
        // Paced by batches so the loopback socket buffer never overflows: only the link loses.
        ASSERT_TRUE(run([&] { return server.got.size() == up().packets - up().dropped; }));
    }
    const std::size_t lost = 2000 - server.got.size();
    EXPECT_GE(lost, 140u);
    EXPECT_LE(lost, 260u);
    EXPECT_EQ(lost, up().dropped);
    EXPECT_EQ(lost, 196u) << "seed 1, as in LinkImpairment.IndependentLossCountIsFixedBySeed";
}

TEST_F(NetTest, BandwidthCapSlowsATransfer) {
    LinkConfig c;
    c.upstream.bandwidth_kbps = 200;   // 10 000 bytes -> 400 ms
    c.downstream.bandwidth_kbps = 400; // 20 000 bytes -> 400 ms
    configure(c);
    TcpPeer server(io);
    connect(0, Proto::Tcp, server.port());
    ASSERT_TRUE(run([&] { return server.sessions.size() == 1; }));

    const auto t_up = Clock::now();
    for (int i = 0; i < 10; ++i)
        ASSERT_TRUE(send(0, std::string(1000, 'u')));
    ASSERT_TRUE(run([&] { return server.sessions[0]->received.size() == 10000; }));
    EXPECT_GE(server.sessions[0]->arrivals.back().first - t_up, 400ms);

    const auto t_down = Clock::now();
    server.send(0, std::string(20000, 'd'));
    ASSERT_TRUE(run([&] { return ev.stream[0].size() == 20000; }));
    EXPECT_GE(Clock::now() - t_down, 400ms);
}

TEST_F(NetTest, CloseDeliversSentBytesThenFinAndNoEventFollows) {
    LinkConfig c;
    c.upstream.latency_ms = 50;
    configure(c);
    TcpPeer server(io);
    connect(0, Proto::Tcp, server.port());
    ASSERT_TRUE(send(0, "bye"));
    close(0);
    EXPECT_FALSE(send(0, "after close"));
    ASSERT_TRUE(run([&] { return server.sessions.size() == 1 && server.sessions[0]->ended; }));
    EXPECT_EQ(server.sessions[0]->received, "bye");
    EXPECT_EQ(server.sessions[0]->end, boost::asio::error::eof) << "FIN, not RST";

    // Closing while the connect is under way: nothing is ever reported for it.
    open(1, Proto::Tcp, "127.0.0.1", server.port());
    close(1);
    open(2, Proto::Tcp, "127.0.0.1", 0); // Invalid, posted ...
    close(2);                            // ... and dropped by the close
    EXPECT_FALSE(run([&] { return ev.for_link(1) + ev.for_link(2) > 0; }, 300ms));
    EXPECT_EQ(ev.for_link(0), 1u) << "only on_connected";
}

TEST_F(NetTest, OpenOverAnOpenLinkClosesTheOldConnection) {
    TcpPeer server(io);
    connect(0, Proto::Tcp, server.port());
    ASSERT_TRUE(run([&] { return server.sessions.size() == 1; }));
    connect(0, Proto::Tcp, server.port());
    ASSERT_TRUE(run([&] { return server.sessions.size() == 2 && server.sessions[0]->ended; }));
    EXPECT_EQ(ev.count(Kind::Connected, 0), 2u);
    EXPECT_FALSE(ev.has(Kind::Closed, 0));
    ASSERT_TRUE(send(0, "new"));
    ASSERT_TRUE(run([&] { return server.sessions[1]->received == "new"; }));
}

TEST_F(NetTest, CloseAllDropsEverythingSilently) {
    LinkConfig c;
    c.upstream.latency_ms = 200;
    configure(c);
    TcpPeer server(io);
    connect(0, Proto::Tcp, server.port());
    connect(1, Proto::Tcp, server.port());
    ASSERT_TRUE(run([&] { return server.sessions.size() == 2; }));
    ASSERT_TRUE(send(0, "queued"));
    server.send(1, "in flight");
    net->close_all();
    EXPECT_TRUE(net->snapshot().empty());
    ASSERT_TRUE(run([&] { return server.sessions[0]->ended && server.sessions[1]->ended; }));
    EXPECT_TRUE(server.sessions[0]->received.empty()) << "a reset drops what was queued";
    EXPECT_FALSE(run([&] { return ev.log.size() > 2; }, 300ms)) << "no event after close_all";
}

TEST_F(NetTest, ListenerMayCloseAndReopenFromItsCallbacks) {
    LinkConfig c;
    c.downstream.latency_ms = 20;
    configure(c);
    TcpPeer server(io);
    connect(0, Proto::Tcp, server.port());
    ASSERT_TRUE(run([&] { return server.sessions.size() == 1; }));
    ev.hook = [&](const Events::Ev& e) {
        if (e.kind == Kind::Data && e.id == 0) net->close(0); // more data may be queued behind this chunk
    };
    server.send(0, "first");
    ASSERT_TRUE(run([&] { return ev.has(Kind::Data, 0); }));
    server.send(0, "second");
    EXPECT_FALSE(run([&] { return ev.count(Kind::Data, 0) > 1; }, 200ms));
    EXPECT_EQ(ev.stream[0], "first");

    ev.hook = [&](const Events::Ev& e) {
        if (e.kind == Kind::Failed && e.id == 0) net->open(0, Proto::Tcp, "127.0.0.1", server.port());
        if (e.kind == Kind::Connected && e.id == 0) net->send(0, "from the callback");
    };
    open(0, Proto::Tcp, "127.0.0.1", 0); // Invalid -> the hook opens it properly
    ASSERT_TRUE(run(
        [&] { return server.sessions.size() == 2 && server.sessions[1]->received == "from the callback"; }));
}

TEST_F(NetTest, TcpBackpressureBoundsTheDownstreamQueue) {
    hal_sim::AsioNetOptions o;
    o.max_queue_bytes = 64 * 1024;
    make_net(o);
    LinkConfig c;
    c.downstream.latency_ms = 20;
    configure(c);
    TcpPeer server(io);
    connect(0, Proto::Tcp, server.port());
    ASSERT_TRUE(run([&] { return server.sessions.size() == 1; }));

    std::size_t max_queued = 0;
    ev.hook = [&](const Events::Ev&) { max_queued = std::max(max_queued, snap(0)->down_queued_bytes); };
    const std::string blob = pattern(2 * 1024 * 1024, 3);
    server.send(0, blob);
    ASSERT_TRUE(run([&] { return ev.stream[0].size() == blob.size(); }, 30s)) << ev.stream[0].size();
    EXPECT_TRUE(ev.stream[0] == blob);
    EXPECT_LE(max_queued, o.max_queue_bytes + o.read_chunk);
    EXPECT_GT(max_queued, o.max_queue_bytes / 2) << "the queue did fill (the test tests something)";
}

TEST_F(NetTest, UdpFloodBeyondTheQueueBoundIsDroppedAndCounted) {
    hal_sim::AsioNetOptions o;
    o.max_queue_bytes = 8 * 1024;
    make_net(o);
    UdpPeer server(io);
    connect(0, Proto::Udp, server.port());
    ASSERT_TRUE(send(0, "hello"));
    ASSERT_TRUE(run([&] { return server.got.size() == 1; }));
    LinkConfig c;
    c.downstream.stall = true;
    configure(c);
    for (int i = 0; i < 40; ++i)
        server.reply(std::string(1024, static_cast<char>('a' + i % 26)));
    ASSERT_TRUE(run([&] { return down().packets == 40; }));
    EXPECT_EQ(down().overflow, 32u);
    EXPECT_EQ(snap(0)->down_queued_bytes, 8u * 1024);
    configure(LinkConfig{});
    ASSERT_TRUE(run([&] { return ev.datagrams(0).size() == 8; }));
    EXPECT_EQ(ev.datagrams(0).front(), std::string(1024, 'a'));
}

TEST_F(NetTest, DestroyingTheNetWithWorkPendingIsSafe) {
    LinkConfig c;
    c.upstream.latency_ms = 50;
    c.downstream.latency_ms = 50;
    configure(c);
    TcpPeer server(io, /*echo=*/true);
    connect(0, Proto::Tcp, server.port());
    ASSERT_TRUE(send(0, "pending"));
    open(1, Proto::Tcp, "localhost", server.port());
    open(2, Proto::Tcp, "", 1);
    net.reset();
    EXPECT_FALSE(run([&] { return ev.log.size() > 1; }, 200ms));
}

} // namespace
} // namespace dtu::itest
