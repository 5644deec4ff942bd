// TLS in virtual time: the module's client sessions on VirtualNet (records through the delay lines,
// certificates checked against the network's time) against in-process servers behind
// TlsServerPeer, with the scenarios' certificates (scenarios/certs). Times are exact virtual time.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hal_sim/link_impairment.hpp"
#include "hal_sim/tls_server_peer.hpp"
#include "hal_sim/tls_server_session.hpp"
#include "hal_sim/virtual_net.hpp"
#include "hal_sim/virtual_scheduler.hpp"

namespace {

using namespace std::chrono_literals;
using dtu::hal::LinkId;
using dtu::hal::NetError;
using dtu::hal::Proto;
using dtu::hal::TlsAuth;
using dtu::hal::TlsParams;
using dtu::hal_sim::ConnId;
using dtu::hal_sim::LinkConfig;
using dtu::hal_sim::LinkImpairment;
using dtu::hal_sim::TlsServerConfig;
using dtu::hal_sim::TlsServerPeer;
using dtu::hal_sim::VirtualNet;
using dtu::hal_sim::VirtualScheduler;
using TimePoint = dtu::hal_sim::Scheduler::TimePoint;

std::string cert(const std::string& name) {
    std::ifstream in(std::string(DTU_SCENARIO_CERTS) + "/" + name, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    if (s.str().empty()) ADD_FAILURE() << "no " << name << " in " << DTU_SCENARIO_CERTS;
    return s.str();
}

struct Lines final : dtu::hal::Log {
    void write(dtu::hal::LogLevel, std::string_view line) override { all.emplace_back(line); }
    bool has(std::string_view part) const {
        for (const auto& l : all)
            if (l.find(part) != std::string::npos) return true;
        return false;
    }
    std::vector<std::string> all;
};

struct Journal {
    std::vector<std::string> events;
    VirtualScheduler* sched = nullptr;
    void add(const std::string& e) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(sched->now() - TimePoint{});
        events.push_back(e + "@" + std::to_string(ms.count()));
    }
};

/// The plaintext peer behind the TLS front.
struct Plain final : dtu::hal_sim::VirtualServer {
    explicit Plain(Journal& j) : j(j) {}
    bool on_connect(ConnId c) override {
        j.add("srv-connect");
        last = c;
        return true;
    }
    void on_data(ConnId, std::string_view b) override { j.add("srv-data " + std::string(b)); }
    void on_closed(ConnId, bool reset) override { j.add(reset ? "srv-rst" : "srv-fin"); }
    Journal& j;
    ConnId last = 0;
};

struct Device final : dtu::hal::NetListener {
    explicit Device(Journal& j) : j(j) {}
    void on_connected(LinkId) override { j.add("connected"); }
    void on_connect_failed(LinkId, NetError why) override {
        j.add(std::string("failed ") + dtu::hal_sim::net_error_name(why));
    }
    void on_data(LinkId, std::string_view b) override { j.add("data " + std::string(b)); }
    void on_closed(LinkId, NetError why) override {
        j.add(std::string("closed ") + dtu::hal_sim::net_error_name(why));
    }
    void on_attach_changed(bool) override {}
    void on_send_drained(LinkId) override {}
    Journal& j;
};

LinkConfig latency(double up_ms, double down_ms) {
    LinkConfig c;
    c.upstream.latency_ms = up_ms;
    c.downstream.latency_ms = down_ms;
    return c;
}

/// 2026-01-01T00:00:00Z, as a scenario's network time starts.
const auto kEpoch = std::chrono::sys_days{std::chrono::year{2026} / std::chrono::January / 1};

class VirtualTlsTest : public ::testing::Test {
protected:
    VirtualTlsTest() : link(latency(50, 30), 1), net(sched, link, log) {
        journal.sched = &sched;
        net.set_listener(&device);
        net.set_network_time([this] {
            return kEpoch +
                   std::chrono::duration_cast<std::chrono::system_clock::duration>(sched.now() - TimePoint{});
        });
    }

    /// The TLS server at secure.example:443 presenting certificate `leaf` (+ client CA).
    void serve(const std::string& leaf, bool client_ca = false) {
        TlsServerConfig config{cert(leaf), cert("server.key"), client_ca ? cert("ca.pem") : std::string()};
        auto ctx = dtu::hal_sim::build_tls_server_context(config);
        ASSERT_TRUE(ctx) << ctx.error;
        front = std::make_unique<TlsServerPeer>(ctx.ctx, client_ca, net, [this] {
            return kEpoch +
                   std::chrono::duration_cast<std::chrono::system_clock::duration>(sched.now() - TimePoint{});
        });
        front->serve(plain);
        net.add_server(Proto::Tcp, "secure.example", 443, *front);
    }

    void open(TlsAuth auth, bool with_client_cert = false) {
        ca = cert("ca.pem");
        if (with_client_cert) {
            client = cert("client.pem");
            key = cert("client.key");
        }
        TlsParams p;
        p.auth = auth;
        p.ca_pem = ca;
        p.cert_pem = client;
        p.key_pem = key;
        net.open(0, Proto::Tcp, "secure.example", 443, &p);
    }

    void run_for(std::chrono::milliseconds d) { sched.advance_to(sched.now() + d); }
    using Events = std::vector<std::string>;
    Events take() { return std::exchange(journal.events, {}); }

    VirtualScheduler sched;
    Lines log;
    LinkImpairment link;
    VirtualNet net;
    Journal journal;
    Plain plain{journal};
    Device device{journal};
    std::unique_ptr<TlsServerPeer> front;
    std::string ca, client, key;
};

TEST_F(VirtualTlsTest, PeerHandshakeTakesTwoRoundTripsThroughTheLinkThenPlaintextFlowsBothWays) {
    serve("server.pem");
    open(TlsAuth::Peer);
    run_for(1s);
    // SYN at 80 (one round trip); ClientHello up 50, server flight down 30, client Finished up 50,
    // server Finished down 30: connected at 240.
    EXPECT_EQ(take(), (Events{"srv-connect@80", "connected@240"}));
    ASSERT_TRUE(net.send(0, "GET / HTTP/1.1\r\n\r\n"));
    run_for(100ms);
    ASSERT_TRUE(front->server_send(plain.last, "HTTP/1.1 200 OK\r\n\r\n"));
    run_for(100ms);
    EXPECT_EQ(take(), (Events{"srv-data GET / HTTP/1.1\r\n\r\n@1050", "data HTTP/1.1 200 OK\r\n\r\n@1130"}));
    const auto snap = net.snapshot();
    ASSERT_EQ(snap.size(), 1U);
    EXPECT_TRUE(snap[0].tls);
    EXPECT_TRUE(snap[0].tls_verified);
    EXPECT_EQ(snap[0].tls_version, "TLSv1.2");
    EXPECT_GT(snap[0].tx_bytes, 100U); // records, not the plaintext
    ASSERT_EQ(front->handshakes().size(), 1U);
    EXPECT_TRUE(front->handshakes()[0].ok);
    EXPECT_EQ(front->handshakes()[0].version, "TLSv1.2");
    EXPECT_EQ(front->handshakes()[0].client_subject, "");
    EXPECT_TRUE(net.last_tls_error().empty());
}

TEST_F(VirtualTlsTest, ACertificateThatExpiresOnDay3IsGoodOnDay1AndRefusedOnDay4) {
    serve("expires-day3.pem");
    open(TlsAuth::Peer);
    run_for(1s);
    EXPECT_EQ(take(), (Events{"srv-connect@80", "connected@240"}));
    net.close(0);
    sched.advance_to(TimePoint{} + 72h); // 2026-01-04 00:00 network time
    take();
    open(TlsAuth::Peer);
    run_for(1s);
    const Events events = take();
    ASSERT_EQ(events.size(), 3U);
    EXPECT_EQ(events[1], "failed tls-failed@259200160"); // at the server's first flight
    EXPECT_EQ(events[2], "srv-fin@259200160");           // the module hangs up (the server hears it at once)
    EXPECT_NE(net.last_tls_error().find("certificate has expired"), std::string::npos)
        << net.last_tls_error();
    EXPECT_TRUE(log.has("link A: TLS handshake with secure.example:443 failed: certificate has expired"));
    ASSERT_EQ(front->handshakes().size(), 2U);
    EXPECT_FALSE(front->handshakes()[1].ok);
    EXPECT_EQ(front->handshakes()[1].error, "the client closed the connection during the handshake");
    EXPECT_EQ(net.counters().tls_failures, 1U);
}

TEST_F(VirtualTlsTest, WrongCaAndWrongHostAreRefusedWithTheirReason) {
    serve("wrong-ca.pem");
    open(TlsAuth::Peer);
    run_for(1s);
    EXPECT_NE(net.last_tls_error().find("unable to get local issuer certificate"), std::string::npos)
        << net.last_tls_error();
    serve("wrong-host.pem");
    open(TlsAuth::Peer);
    run_for(1s);
    EXPECT_NE(net.last_tls_error().find("hostname mismatch"), std::string::npos) << net.last_tls_error();
    EXPECT_EQ(net.counters().tls_failures, 2U);
    EXPECT_EQ(net.counters().connects, 0U);
}

TEST_F(VirtualTlsTest, NoneAcceptsAnyCertificateUnverified) {
    serve("wrong-host.pem");
    open(TlsAuth::None);
    run_for(1s);
    EXPECT_EQ(take(), (Events{"srv-connect@80", "connected@240"}));
    ASSERT_EQ(net.snapshot().size(), 1U);
    EXPECT_FALSE(net.snapshot()[0].tls_verified);
}

TEST_F(VirtualTlsTest, AllPresentsTheClientCertificateTheServerChecks) {
    serve("server.pem", true);
    open(TlsAuth::Mutual, true);
    run_for(1s);
    EXPECT_EQ(take(), (Events{"srv-connect@80", "connected@240"}));
    ASSERT_EQ(front->handshakes().size(), 1U);
    EXPECT_TRUE(front->handshakes()[0].ok);
    EXPECT_EQ(front->handshakes()[0].client_subject, "CN=dtu-device");
}

TEST_F(VirtualTlsTest, AServerThatWantsAClientCertificateRefusesPeerWithoutOne) {
    serve("server.pem", true);
    open(TlsAuth::Peer);
    run_for(1s);
    const Events events = take();
    EXPECT_EQ(events.front(), "srv-connect@80");
    // The certificate-less flight reaches the server at 210; its alert the device at 240.
    EXPECT_NE(std::find(events.begin(), events.end(), "failed tls-failed@240"), events.end())
        << events.back();
    EXPECT_NE(net.last_tls_error().find("alert"), std::string::npos) << net.last_tls_error();
    ASSERT_EQ(front->handshakes().size(), 1U);
    EXPECT_FALSE(front->handshakes()[0].ok);
    EXPECT_NE(front->handshakes()[0].error.find("certificate"), std::string::npos)
        << front->handshakes()[0].error;
    EXPECT_FALSE(net.last_tls_error().empty());
}

TEST_F(VirtualTlsTest, CloseNotifyEndsTheLinkBothWays) {
    serve("server.pem");
    open(TlsAuth::Peer);
    run_for(1s);
    take();
    front->server_close(plain.last, false); // close_notify, then the FIN
    run_for(1s);
    EXPECT_EQ(take(), (Events{"closed peer-closed@1030"}));
    open(TlsAuth::Peer);
    run_for(1s);
    take();
    net.close(0); // close_notify and the FIN reach the server
    run_for(1s);
    EXPECT_EQ(take(), (Events{"srv-fin@3050"}));
}

TEST(TlsServerContext, TextThatIsNotPemOrAKeyThatDoesNotMatchIsNamed) {
    auto bad = dtu::hal_sim::build_tls_server_context({"not a certificate", cert("server.key"), {}});
    EXPECT_FALSE(bad);
    EXPECT_NE(bad.error.find("server certificate chain is not valid PEM"), std::string::npos) << bad.error;
    auto mismatch = dtu::hal_sim::build_tls_server_context({cert("server.pem"), cert("client.key"), {}});
    EXPECT_EQ(mismatch.error, "server key does not match server certificate");
    auto ca =
        dtu::hal_sim::build_tls_server_context({cert("server.pem"), cert("server.key"), "-----BEGIN x"});
    EXPECT_NE(ca.error.find("client CA certificate is not valid PEM"), std::string::npos) << ca.error;
}

} // namespace
