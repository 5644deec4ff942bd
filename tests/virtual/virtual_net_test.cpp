// VirtualNet on a VirtualScheduler: connect results, bytes both ways through the impairment, loss,
// stall, attach loss and closes, with every time asserted exactly (virtual time is deterministic).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hal_sim/link_impairment.hpp"
#include "hal_sim/virtual_net.hpp"
#include "hal_sim/virtual_scheduler.hpp"
#include "recording_log.hpp"

namespace {

using namespace std::chrono_literals;
using dtu::hal::LinkId;
using dtu::hal::NetError;
using dtu::hal::Proto;
using dtu::hal_sim::ConnId;
using dtu::hal_sim::LinkConfig;
using dtu::hal_sim::LinkImpairment;
using dtu::hal_sim::VirtualNet;
using dtu::hal_sim::VirtualScheduler;
using TimePoint = dtu::hal_sim::Scheduler::TimePoint;

std::chrono::milliseconds since0(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t - TimePoint{});
}

using Lines = dtu::test::RecordingLog;

/// "what@ms" for every event either side sees, in order.
struct Journal {
    std::vector<std::string> events;
    VirtualScheduler* sched = nullptr;
    void add(const std::string& e) {
        events.push_back(e + "@" + std::to_string(since0(sched->now()).count()));
    }
};

struct Server final : dtu::hal_sim::VirtualServer {
    explicit Server(Journal& j) : j(j) {}
    bool on_connect(ConnId c) override {
        j.add("srv-connect " + std::to_string(c));
        last = c;
        return accept;
    }
    void on_data(ConnId c, std::string_view b) override {
        j.add("srv-data " + std::to_string(c) + " " + std::string(b));
    }
    void on_closed(ConnId c, bool reset) override {
        j.add(std::string(reset ? "srv-rst " : "srv-fin ") + std::to_string(c));
    }
    Journal& j;
    bool accept = true;
    ConnId last = 0;
};

struct Device final : dtu::hal::NetListener {
    explicit Device(Journal& j) : j(j) {}
    void on_connected(LinkId id) override { j.add("connected " + std::to_string(id)); }
    void on_connect_failed(LinkId id, NetError why) override {
        j.add("failed " + std::to_string(id) + " " + dtu::hal_sim::net_error_name(why));
    }
    void on_data(LinkId id, std::string_view b) override {
        j.add("data " + std::to_string(id) + " " + std::string(b));
    }
    void on_closed(LinkId id, NetError why) override {
        j.add("closed " + std::to_string(id) + " " + dtu::hal_sim::net_error_name(why));
    }
    void on_attach_changed(bool up) override { j.add(up ? "attached" : "detached"); }
    void on_send_drained(LinkId id) override { j.add("drained " + std::to_string(id)); }
    Journal& j;
};

LinkConfig latency(double up_ms, double down_ms) {
    LinkConfig c;
    c.upstream.latency_ms = up_ms;
    c.downstream.latency_ms = down_ms;
    return c;
}

class VirtualNetTest : public ::testing::Test {
protected:
    explicit VirtualNetTest(LinkConfig config = latency(50, 30), std::uint64_t seed = 1)
        : link(config, seed), net(sched, link, log) {
        journal.sched = &sched;
        net.set_listener(&device);
        net.add_server(Proto::Tcp, "Server.Example", 5000, server);
        net.add_server(Proto::Udp, "server.example", 6000, server);
    }
    void run_for(std::chrono::milliseconds d) { sched.advance_to(sched.now() + d); }
    using Events = std::vector<std::string>;
    Events take() { return std::exchange(journal.events, {}); }

    VirtualScheduler sched;
    Lines log;
    LinkImpairment link;
    VirtualNet net;
    Journal journal;
    Server server{journal};
    Device device{journal};
};

TEST_F(VirtualNetTest, TcpConnectsAfterOneRoundTripAndNothingHappensInsideOpen) {
    net.open(0, Proto::Tcp, "server.EXAMPLE", 5000);
    EXPECT_TRUE(journal.events.empty());
    run_for(1s);
    // connect_time = one round trip (50 + 30 ms); the server's SYN and the firmware's event together.
    EXPECT_EQ(take(), (Events{"srv-connect 1@80", "connected 0@80"}));
    EXPECT_EQ(net.counters().connects, 1u);
    ASSERT_EQ(net.snapshot().size(), 1u);
    EXPECT_EQ(net.snapshot()[0].state, dtu::hal_sim::NetLinkState::Connected);
}

TEST_F(VirtualNetTest, ABacklogOverTheFlowControlLimitIsBusyUntilHalfDrained) {
    net.open(0, Proto::Tcp, "server.example", 5000);
    run_for(1s);
    take();
    LinkConfig c = link.config();
    c.upstream.stall = true; // nothing moves: the backlog grows
    link.set_config(c);
    const std::size_t limit = dtu::hal_sim::VirtualNetOptions{}.send_busy_bytes;
    const std::string chunk(4096, 'x');
    std::size_t sent = 0;
    while (sent <= limit) {
        EXPECT_FALSE(net.send_busy(0)) << sent;
        ASSERT_TRUE(net.send(0, chunk));
        sent += chunk.size();
    }
    EXPECT_TRUE(net.send_busy(0)) << "over the limit";
    EXPECT_TRUE(net.send(0, chunk)) << "busy still takes bytes (far below max_queue_bytes)";
    c.upstream.stall = false;
    link.set_config(c);
    run_for(1s);
    EXPECT_FALSE(net.send_busy(0));
    const Events events = take();
    ASSERT_FALSE(events.empty());
    const auto drained = std::count_if(events.begin(), events.end(),
                                       [](const std::string& e) { return e.rfind("drained 0@", 0) == 0; });
    EXPECT_EQ(drained, 1) << "one drained event";
}

TEST_F(VirtualNetTest, ConnectFailures) {
    net.open(0, Proto::Tcp, "nowhere.example", 5000); // no server declares the name
    net.open(1, Proto::Tcp, "server.example", 5001);  // declared host, no server on the port
    net.open(2, Proto::Tcp, "", 5000);
    net.open(3, Proto::Tcp, "10.9.9.9", 5000); // an address nobody serves never answers
    run_for(20s);
    EXPECT_EQ(take(), (Events{"failed 0 dns-failed@0", "failed 2 invalid@0", "failed 1 refused@80",
                              "failed 3 timeout@10000"}));
    server.accept = false;
    net.open(0, Proto::Tcp, "server.example", 5000);
    run_for(1s);
    EXPECT_EQ(take(), (Events{"srv-connect 1@20080", "failed 0 refused@20080"}));
}

TEST_F(VirtualNetTest, LinkSettingsRefuseAndFailDns) {
    LinkConfig c = link.config();
    c.refuse_connections = true;
    link.set_config(c);
    net.open(0, Proto::Tcp, "server.example", 5000);
    run_for(1s);
    c.refuse_connections = false;
    c.dns_failure = true;
    link.set_config(c);
    net.open(0, Proto::Tcp, "server.example", 5000);
    run_for(1s);
    EXPECT_EQ(take(), (Events{"failed 0 refused@0", "failed 0 dns-failed@1000"}));
}

TEST_F(VirtualNetTest, TlsSettingsThatCannotWorkAndNotAttachedFailWithAReason) {
    dtu::hal::TlsParams tls;
    tls.auth = dtu::hal::TlsAuth::Peer; // without a CA certificate (AT+SSLCRT=0)
    net.open(0, Proto::Tcp, "server.example", 5000, &tls);
    net.set_radio_attached(false);
    net.open(1, Proto::Tcp, "server.example", 5000);
    run_for(1s);
    EXPECT_EQ(take(), (Events{"failed 0 tls-failed@0", "detached@0", "failed 1 not-attached@0"}));
    EXPECT_TRUE(log.has("no CA certificate loaded (AT+SSLCRT=0)"));
    EXPECT_NE(net.last_tls_error().find("link A: TLS handshake with server.example:5000 failed"),
              std::string::npos);
    EXPECT_EQ(net.counters().tls_failures, 1U);
}

TEST_F(VirtualNetTest, BytesTravelBothWaysInOrderWithTheLinkLatency) {
    net.open(0, Proto::Tcp, "server.example", 5000);
    run_for(80ms);
    take();
    ASSERT_TRUE(net.send(0, "one"));
    ASSERT_TRUE(net.send(0, "two"));
    run_for(10ms);
    ASSERT_TRUE(net.server_send(server.last, "back"));
    run_for(1s);
    EXPECT_EQ(take(), (Events{"data 0 back@120", "srv-data 1 one@130", "srv-data 1 two@130"}));
    EXPECT_EQ(net.snapshot()[0].tx_bytes, 6u);
    EXPECT_EQ(net.snapshot()[0].rx_bytes, 4u);
}

TEST_F(VirtualNetTest, ServerCloseIsAFinOrAnRstAfterItsData) {
    net.open(0, Proto::Tcp, "server.example", 5000);
    net.open(1, Proto::Tcp, "server.example", 5000);
    run_for(80ms);
    take();
    net.server_send(1, "bye");
    net.server_close(1, false);
    net.server_close(2, true);
    EXPECT_FALSE(net.server_send(1, "late")) << "the server's half is closed";
    run_for(1s);
    EXPECT_EQ(take(), (Events{"data 0 bye@110", "closed 0 peer-closed@110", "closed 1 reset@110"}));
    EXPECT_TRUE(net.snapshot().empty());
}

TEST_F(VirtualNetTest, DeviceCloseDeliversQueuedBytesThenTheFin) {
    net.open(0, Proto::Tcp, "server.example", 5000);
    run_for(80ms);
    take();
    net.send(0, "last words");
    net.close(0);
    net.server_send(1, "ignored");
    run_for(1s);
    EXPECT_EQ(take(), (Events{"srv-data 1 last words@130", "srv-fin 1@130"}));
}

TEST_F(VirtualNetTest, CloseAllAndResetConnectionsTellTheServer) {
    net.open(0, Proto::Tcp, "server.example", 5000);
    net.open(1, Proto::Tcp, "server.example", 5000);
    net.open(2, Proto::Udp, "server.example", 6000);
    run_for(80ms);
    take();
    EXPECT_EQ(net.reset_connections(), 2u) << "TCP only";
    run_for(1ms);
    EXPECT_EQ(take(), (Events{"srv-rst 1@80", "closed 0 reset@80", "srv-rst 2@80", "closed 1 reset@80"}));
    net.open(0, Proto::Tcp, "server.example", 5000);
    run_for(80ms);
    take();
    net.send(0, "dropped");
    net.close_all();
    run_for(1s);
    EXPECT_EQ(take(), (Events{"srv-fin 3@161"})) << "queued bytes go with close_all";
}

TEST_F(VirtualNetTest, StallHoldsEverythingUntilCleared) {
    net.open(0, Proto::Tcp, "server.example", 5000);
    run_for(80ms);
    take();
    LinkConfig c = link.config();
    c.upstream.stall = true;
    link.set_config(c);
    net.send(0, "held");
    run_for(5s);
    EXPECT_TRUE(take().empty());
    EXPECT_EQ(link.counters(dtu::hal_sim::Direction::Upstream).held, 1u);
    c.upstream.stall = false;
    link.set_config(c);
    run_for(1ms);
    EXPECT_EQ(take(), (Events{"srv-data 1 held@5080"}));
}

TEST_F(VirtualNetTest, StallDuringConnectEndsInTimeout) {
    LinkConfig c = link.config();
    c.downstream.stall = true;
    link.set_config(c);
    net.open(0, Proto::Tcp, "server.example", 5000);
    run_for(20s);
    EXPECT_EQ(take(), (Events{"failed 0 timeout@10000"}));
}

TEST_F(VirtualNetTest, AttachLossClosesEveryLink) {
    net.open(0, Proto::Tcp, "server.example", 5000);
    run_for(80ms);
    net.open(1, Proto::Tcp, "server.example", 5000);
    take();
    LinkConfig c = link.config();
    c.attached = false;
    link.set_config(c);
    EXPECT_FALSE(net.attached());
    run_for(1ms);
    EXPECT_EQ(take(), (Events{"detached@80", "srv-rst 1@80", "closed 0 not-attached@80",
                              "failed 1 not-attached@80"}));
    c.attached = true;
    link.set_config(c);
    run_for(1ms);
    EXPECT_EQ(take(), (Events{"attached@81"}));
}

TEST_F(VirtualNetTest, UdpDatagramsReachTheServerAndBack) {
    net.open(0, Proto::Udp, "server.example", 6000);
    run_for(1ms);
    EXPECT_EQ(take(), (Events{"connected 0@0"}));
    net.send(0, "ping");
    run_for(1s);
    net.server_send(server.last, "pong");
    run_for(1s);
    EXPECT_EQ(take(), (Events{"srv-connect 1@51", "srv-data 1 ping@51", "data 0 pong@1031"}));
}

TEST(VirtualNetUdp, LossFollowsTheSeed) {
    auto run = [](std::uint64_t seed, std::uint64_t* dropped = nullptr) {
        VirtualScheduler sched;
        Lines log;
        LinkConfig c = latency(10, 10);
        c.upstream.loss = 0.5;
        LinkImpairment link(c, seed);
        VirtualNet net(sched, link, log);
        Journal j;
        j.sched = &sched;
        Server server(j);
        net.add_server(Proto::Udp, "s", 1, server);
        net.open(0, Proto::Udp, "s", 1);
        sched.advance_to(TimePoint{} + 1ms);
        for (int i = 0; i < 40; ++i)
            EXPECT_TRUE(net.send(0, std::to_string(i))) << "a lost datagram still counts as sent";
        sched.advance_to(TimePoint{} + 1s);
        if (dropped) *dropped = link.counters(dtu::hal_sim::Direction::Upstream).dropped;
        return j.events;
    };
    std::uint64_t dropped = 0;
    const auto got = run(7, &dropped);
    ASSERT_GE(got.size(), 2u);
    EXPECT_EQ(got.front(), "srv-connect 1@11");
    const std::size_t delivered = got.size() - 1;
    EXPECT_EQ(delivered + dropped, 40u);
    EXPECT_GT(dropped, 5u);
    EXPECT_LT(dropped, 35u);
    EXPECT_EQ(run(7), got) << "the same seed makes the same decisions";
    EXPECT_NE(run(8), got);
}

} // namespace
