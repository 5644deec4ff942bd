// TLS in virtual time: the module's client sessions on VirtualNet (records through the delay lines,
// certificates checked against the network's time) against in-process servers behind
// TlsServerPeer, with the scenarios' certificates (scenarios/certs). Times are exact virtual time.
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hal_sim/link_impairment.hpp"
#include "hal_sim/tls_server_peer.hpp"
#include "hal_sim/tls_server_session.hpp"
#include "hal_sim/virtual_net.hpp"
#include "hal_sim/virtual_scheduler.hpp"
#include "net_journal.hpp"
#include "scenario_certs.hpp"

namespace {

using namespace std::chrono_literals;
using namespace dtu::vtest; // Lines, Journal, Server, Device, latency, TimePoint
using dtu::hal::Proto;
using dtu::hal::TlsAuth;
using dtu::hal::TlsParams;
using dtu::hal_sim::LinkImpairment;
using dtu::hal_sim::TlsServerConfig;
using dtu::hal_sim::TlsServerPeer;
using dtu::hal_sim::VirtualNet;

std::string cert(const std::string& name) { return dtu::test::scenario_cert(name); }

/// 2026-01-01T00:00:00Z, as a scenario's network time starts.
const auto kEpoch = std::chrono::sys_days{std::chrono::year{2026} / std::chrono::January / 1};

class VirtualTlsTest : public ::testing::Test, protected NetBench {
protected:
    VirtualTlsTest() : NetBench(latency(50, 30)) {
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

    void open(TlsAuth auth, bool with_client_cert = false, bool sni = false) {
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
        p.sni = sni;
        net.open(0, Proto::Tcp, "secure.example", 443, &p);
    }

    Server plain{journal};
    std::unique_ptr<TlsServerPeer> front;
    std::string ca, client, key;
};

TEST_F(VirtualTlsTest, PeerHandshakeTakesTwoRoundTripsThroughTheLinkThenPlaintextFlowsBothWays) {
    serve("server.pem");
    open(TlsAuth::Peer);
    run_for(1s);
    // SYN at 80 (one round trip); ClientHello up 50, server flight down 30, client Finished up 50,
    // server Finished down 30: connected at 240.
    EXPECT_EQ(take(), (Events{"srv-connect 1@80", "connected 0@240"}));
    ASSERT_TRUE(net.send(0, "GET / HTTP/1.1\r\n\r\n"));
    run_for(100ms);
    ASSERT_TRUE(front->server_send(plain.last, "HTTP/1.1 200 OK\r\n\r\n"));
    run_for(100ms);
    EXPECT_EQ(take(),
              (Events{"srv-data 1 GET / HTTP/1.1\r\n\r\n@1050", "data 0 HTTP/1.1 200 OK\r\n\r\n@1130"}));
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
    EXPECT_EQ(take(), (Events{"srv-connect 1@80", "connected 0@240"}));
    net.close(0);
    sched.advance_to(TimePoint{} + 72h); // 2026-01-04 00:00 network time
    take();
    open(TlsAuth::Peer);
    run_for(1s);
    const Events events = take();
    ASSERT_EQ(events.size(), 3U);
    EXPECT_EQ(events[1], "failed 0 tls-failed@259200160"); // at the server's first flight
    EXPECT_EQ(events[2], "srv-fin 2@259200160"); // the module hangs up (the server hears it at once)
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
    EXPECT_EQ(take(), (Events{"srv-connect 1@80", "connected 0@240"}));
    ASSERT_EQ(net.snapshot().size(), 1U);
    EXPECT_FALSE(net.snapshot()[0].tls_verified);
}

TEST_F(VirtualTlsTest, AllPresentsTheClientCertificateTheServerChecks) {
    serve("server.pem", true);
    open(TlsAuth::Mutual, true);
    run_for(1s);
    EXPECT_EQ(take(), (Events{"srv-connect 1@80", "connected 0@240"}));
    ASSERT_EQ(front->handshakes().size(), 1U);
    EXPECT_TRUE(front->handshakes()[0].ok);
    EXPECT_EQ(front->handshakes()[0].client_subject, "CN=dtu-device");
}

// AT+SSLCFG (GM5 §2.21, G771 §2.6.2): the host name goes into the ClientHello only when SNI is on.
TEST_F(VirtualTlsTest, SniIsSentOnlyWhenSslcfgAsksForIt) {
    serve("server.pem");
    open(TlsAuth::Peer, false, true);
    run_for(1s);
    net.close(0);
    run_for(1s);
    open(TlsAuth::Peer, false, false);
    run_for(1s);
    ASSERT_EQ(front->handshakes().size(), 2U);
    EXPECT_TRUE(front->handshakes()[0].ok);
    EXPECT_EQ(front->handshakes()[0].server_name, "secure.example");
    EXPECT_TRUE(front->handshakes()[1].ok);
    EXPECT_EQ(front->handshakes()[1].server_name, "");
}

TEST_F(VirtualTlsTest, AServerThatWantsAClientCertificateRefusesPeerWithoutOne) {
    serve("server.pem", true);
    open(TlsAuth::Peer);
    run_for(1s);
    const Events events = take();
    EXPECT_EQ(events.front(), "srv-connect 1@80");
    // The certificate-less flight reaches the server at 210; its alert the device at 240.
    EXPECT_NE(std::find(events.begin(), events.end(), "failed 0 tls-failed@240"), events.end())
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
    EXPECT_EQ(take(), (Events{"closed 0 peer-closed@1030"}));
    open(TlsAuth::Peer);
    run_for(1s);
    take();
    net.close(0); // close_notify and the FIN reach the server
    run_for(1s);
    EXPECT_EQ(take(), (Events{"srv-fin 2@3050"}));
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
