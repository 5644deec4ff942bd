// hal_sim::AsioNet TLS links (G771 §2.6.2, spec mqtt.md §9) against real `openssl s_server` peers
// on 127.0.0.1, with the test PKI: AT+SSLAUTH NONE / PEER / ALL, the verification failures and their
// reasons, AT+SSLVER pinning, SNI, data both ways through the impairment, close_notify, bad
// certificate text. No fixed sleeps: the io_context runs until a condition holds.
#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include "hal_sim/asio_net.hpp"
#include "hal_sim/asio_scheduler.hpp"
#include "hal_sim/link_impairment.hpp"
#include "hal_sim/tls_context.hpp"
#include "net_peers.hpp"
#include "openssl_server.hpp"
#include "run_io.hpp"
#include "test_pki.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;
using hal::LinkId;
using hal::NetError;
using hal::Proto;
using hal::TlsAuth;
using hal::TlsVersion;
using hal_sim::LinkConfig;

/// Keeps every log line (shown when a test fails).
struct RecordingLog final : hal::Log {
    std::vector<std::string> lines;
    void write(hal::LogLevel, std::string_view line) override { lines.emplace_back(line); }
    bool has(const std::string& part) const {
        for (const auto& l : lines)
            if (l.find(part) != std::string::npos) return true;
        return false;
    }
};

/// What the firmware would see of one link.
struct Listener final : hal::NetListener {
    int connected = 0, failed = 0, closed = 0;
    NetError failure = NetError::None, close_reason = NetError::None;
    std::string data;
    void on_connected(LinkId) override { ++connected; }
    void on_connect_failed(LinkId, NetError why) override {
        ++failed;
        failure = why;
    }
    void on_data(LinkId, std::string_view bytes) override { data.append(bytes); }
    void on_closed(LinkId, NetError why) override {
        ++closed;
        close_reason = why;
    }
    void on_attach_changed(bool) override {}
};

const PkiIdentity& pki_ca() { return test_pki().ca; }

/// A TLS server driven by the test over a TcpPeer session (OpenSSL on memory BIOs), so that the
/// test can put anything on the wire once the handshake is done.
class HandDrivenTlsServer {
public:
    explicit HandDrivenTlsServer(TcpPeer& peer) : peer_(peer) {
        SSL_CTX_use_certificate_chain_file(ctx_.get(), test_pki().server.cert_file.c_str());
        SSL_CTX_use_PrivateKey_file(ctx_.get(), test_pki().server.key_file.c_str(), SSL_FILETYPE_PEM);
        ssl_.reset(SSL_new(ctx_.get())); // after the certificate: SSL_new copies it from the context
        SSL_set_bio(ssl_.get(), in_, out_);
        SSL_set_accept_state(ssl_.get());
    }
    /// Take what the device sent, answer; true once the handshake is complete.
    bool step() {
        if (peer_.sessions.empty()) return false;
        const std::string& rx = peer_.sessions[0]->received;
        if (rx.size() > used_) BIO_write(in_, rx.data() + used_, static_cast<int>(rx.size() - used_));
        used_ = rx.size();
        const bool done = SSL_do_handshake(ssl_.get()) == 1;
        flush();
        return done;
    }
    void write(const std::string& plaintext) {
        SSL_write(ssl_.get(), plaintext.data(), static_cast<int>(plaintext.size()));
        flush();
    }

private:
    void flush() {
        char* data = nullptr;
        const long n = BIO_get_mem_data(out_, &data);
        if (n > 0) peer_.send(0, std::string(data, static_cast<std::size_t>(n)));
        (void)BIO_reset(out_);
    }

    TcpPeer& peer_;
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx_{SSL_CTX_new(TLS_server_method()), &SSL_CTX_free};
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl_{nullptr, &SSL_free};
    BIO* in_ = BIO_new(BIO_s_mem());
    BIO* out_ = BIO_new(BIO_s_mem());
    std::size_t used_ = 0;
};

class TlsLinkTest : public ::testing::Test {
protected:
    TlsLinkTest() { make_net({}); }

    void make_net(hal_sim::AsioNetOptions o) {
        o.tls_contexts = &contexts;
        net.reset();
        net.emplace(io, scheduler, link, log, o);
        net->set_listener(&ev);
    }

    /// The device's settings: PEER with the test CA unless changed.
    hal::TlsParams params(TlsAuth auth = TlsAuth::Peer, TlsVersion version = TlsVersion::Any) {
        hal::TlsParams p;
        p.auth = auth;
        p.version = version;
        p.ca_pem = pki_ca().cert_pem;
        return p;
    }

    /// Open link 0 with TLS and wait until it connects or fails; true when connected.
    bool connect(const hal::TlsParams& p, std::uint16_t port, const std::string& host = "127.0.0.1") {
        const int c0 = ev.connected, f0 = ev.failed;
        net->open(0, Proto::Tcp, host, port, &p);
        EXPECT_TRUE(run_until(
            io, [&] { return ev.connected > c0 || ev.failed > f0; }, 15s))
            << "no outcome";
        return ev.connected > c0;
    }

    /// Connect expected to fail with TlsFailed; returns the reason kept for status.
    std::string tls_failure(const hal::TlsParams& p, std::uint16_t port,
                            const std::string& host = "127.0.0.1") {
        EXPECT_FALSE(connect(p, port, host)) << "connected, expected a TLS failure";
        EXPECT_EQ(ev.failure, NetError::TlsFailed);
        return net->last_tls_error();
    }

    void TearDown() override {
        if (HasFailure())
            for (const auto& l : log.lines)
                std::cerr << "net log: " << l << "\n";
    }

    std::optional<hal_sim::NetLinkSnapshot> snap() const {
        for (const auto& s : net->snapshot())
            if (s.id == 0) return s;
        return std::nullopt;
    }

    bool server_printed(OpensslServer& server, const std::string& text,
                        std::chrono::milliseconds timeout = 10s) {
        return run_until(
            io, [&] { return server.output().find(text) != std::string::npos; }, timeout);
    }

    boost::asio::io_context io;           // first: destroyed last
    hal_sim::AsioScheduler scheduler{io}; // the net's clock: outlives it
    RecordingLog log;
    hal_sim::LinkImpairment link{LinkConfig{}, 1};
    hal_sim::TlsContextCache contexts;
    Listener ev;
    std::optional<hal_sim::AsioNet> net;
};

// ---- AT+SSLAUTH ------------------------------------------------------------------------------------

TEST_F(TlsLinkTest, NoneConnectsWhateverTheCertificate) {
    OpensslServer server(test_pki().expired); // expired, and the device has no CA for it
    hal::TlsParams p = params(TlsAuth::None);
    p.ca_pem = {};
    ASSERT_TRUE(connect(p, server.port(), "localhost"));
    const auto s = snap();
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->tls);
    EXPECT_EQ(s->tls_version, "TLSv1.2") << "ALL offers TLS 1.0-1.2";
    EXPECT_FALSE(s->tls_cipher.empty());
    EXPECT_FALSE(s->tls_verified) << "NONE verifies nothing";
    EXPECT_EQ(net->counters().tls_failures, 0u);
}

TEST_F(TlsLinkTest, PeerConnectsWithTheRightCa) {
    OpensslServer server(test_pki().server);
    ASSERT_TRUE(connect(params(), server.port()));
    const auto s = snap();
    ASSERT_TRUE(s);
    EXPECT_EQ(s->state, hal_sim::NetLinkState::Connected);
    EXPECT_TRUE(s->tls_verified);
    EXPECT_EQ(s->tls_version, "TLSv1.2");
    EXPECT_TRUE(net->last_tls_error().empty());
}

TEST_F(TlsLinkTest, PeerChecksTheNameTheDeviceConnectedTo) {
    OpensslServer server(test_pki().server);
    ASSERT_TRUE(connect(params(), server.port(), "localhost")) << "SAN DNS:localhost";
    EXPECT_TRUE(snap()->tls_verified);
}

TEST_F(TlsLinkTest, PeerFailsWithAnotherCa) {
    OpensslServer server(test_pki().server);
    hal::TlsParams p = params();
    p.ca_pem = test_pki().other_ca.cert_pem;
    const std::string why = tls_failure(p, server.port());
    EXPECT_NE(why.find("link A: TLS handshake with 127.0.0.1:" + std::to_string(server.port()) +
                       " failed: unable to get local issuer certificate"),
              std::string::npos)
        << why;
    EXPECT_TRUE(log.has("failed: unable to get local issuer certificate"));
    EXPECT_EQ(net->counters().tls_failures, 1u);
    EXPECT_EQ(net->counters().connect_failures, 1u);
    EXPECT_FALSE(snap()) << "the failed link is gone";
}

TEST_F(TlsLinkTest, PeerFailsOnAnExpiredCertificate) {
    OpensslServer server(test_pki().expired);
    const std::string why = tls_failure(params(), server.port());
    EXPECT_NE(why.find("failed: certificate has expired"), std::string::npos) << why;
}

TEST_F(TlsLinkTest, PeerFailsOnAnotherHostsCertificate) {
    OpensslServer server(test_pki().wrong_host);
    std::string why = tls_failure(params(), server.port(), "localhost");
    EXPECT_NE(why.find("failed: hostname mismatch"), std::string::npos) << why;
    why = tls_failure(params(), server.port(), "127.0.0.1");
    EXPECT_NE(why.find("failed: IP address mismatch"), std::string::npos) << why;
    EXPECT_EQ(net->counters().tls_failures, 2u);
}

TEST_F(TlsLinkTest, SniOnlyWhenAsked) {
    // The server shows its localhost certificate only to a client that names localhost (SNI).
    OpensslServer server(test_pki().wrong_host,
                         {"-servername", "localhost", "-cert2", test_pki().server.cert_file.string(), "-key2",
                          test_pki().server.key_file.string()});
    hal::TlsParams p = params();
    p.sni = false;
    const std::string why = tls_failure(p, server.port(), "localhost");
    EXPECT_NE(why.find("hostname mismatch"), std::string::npos) << why;
    p.sni = true;
    EXPECT_TRUE(connect(p, server.port(), "localhost")) << net->last_tls_error();
}

TEST_F(TlsLinkTest, AllPresentsTheClientCertificate) {
    OpensslServer server(test_pki().server, {"-Verify", "1", "-CAfile", pki_ca().cert_file.string()});
    hal::TlsParams p = params(TlsAuth::Mutual);
    p.cert_pem = test_pki().client.cert_pem;
    p.key_pem = test_pki().client.key_pem;
    ASSERT_TRUE(connect(p, server.port())) << net->last_tls_error();
    EXPECT_TRUE(snap()->tls_verified);
    EXPECT_TRUE(server_printed(server, "subject=CN = dtu-device")) << server.output();
}

TEST_F(TlsLinkTest, ServerRequiringACertificateRejectsPeerMode) {
    OpensslServer server(test_pki().server, {"-Verify", "1", "-CAfile", pki_ca().cert_file.string()});
    const std::string why = tls_failure(params(TlsAuth::Peer), server.port());
    EXPECT_NE(why.find("alert"), std::string::npos) << "the server's alert is the reason: " << why;
}

TEST_F(TlsLinkTest, AllWithoutClientCertificateFailsBeforeConnecting) {
    TcpPeer server(io);
    const std::string why = tls_failure(params(TlsAuth::Mutual), server.port());
    EXPECT_NE(why.find("no client certificate loaded (AT+SSLCRT=1)"), std::string::npos) << why;
    EXPECT_FALSE(run_until(
        io, [&] { return !server.sessions.empty(); }, 200ms))
        << "no connection was made";
}

TEST_F(TlsLinkTest, ClientKeyOfAnotherCertificate) {
    OpensslServer server(test_pki().server);
    hal::TlsParams p = params(TlsAuth::Mutual);
    p.cert_pem = test_pki().client.cert_pem;
    p.key_pem = test_pki().other_ca.key_pem;
    const std::string why = tls_failure(p, server.port());
    EXPECT_NE(why.find("client key does not match client certificate"), std::string::npos) << why;
}

TEST_F(TlsLinkTest, MalformedPemIsAClearErrorAndTheNetGoesOn) {
    OpensslServer server(test_pki().server);
    hal::TlsParams p = params();
    const std::string broken =
        "-----BEGIN CERTIFICATE-----\nthis is not base64 !!\n-----END CERTIFICATE-----\n";
    p.ca_pem = broken;
    std::string why = tls_failure(p, server.port());
    EXPECT_NE(why.find("CA certificate (AT+SSLCRT=0) is not valid PEM"), std::string::npos) << why;
    const std::string cut = pki_ca().cert_pem.substr(0, pki_ca().cert_pem.size() / 2);
    p.ca_pem = cut;
    why = tls_failure(p, server.port());
    EXPECT_NE(why.find("is not valid PEM"), std::string::npos) << why;
    p.ca_pem = {};
    why = tls_failure(p, server.port());
    EXPECT_NE(why.find("no CA certificate loaded"), std::string::npos) << why;
    // The same link then works with good settings.
    ASSERT_TRUE(connect(params(), server.port()));
    EXPECT_EQ(net->counters().tls_failures, 3u);
}

TEST_F(TlsLinkTest, UdpWithTlsIsInvalid) {
    const hal::TlsParams p = params();
    net->open(0, Proto::Udp, "127.0.0.1", 9, &p);
    ASSERT_TRUE(run_until(
        io, [&] { return ev.failed > 0; }, 5s));
    EXPECT_EQ(ev.failure, NetError::Invalid);
}

TEST_F(TlsLinkTest, GarbageInsteadOfAServerHelloFailsTheHandshake) {
    TcpPeer garbage(io);
    const hal::TlsParams p = params(TlsAuth::None);
    net->open(0, Proto::Tcp, "127.0.0.1", garbage.port(), &p);
    ASSERT_TRUE(run_until(
        io, [&] { return garbage.sessions.size() == 1 && !garbage.sessions[0]->received.empty(); }, 5s));
    EXPECT_EQ(garbage.sessions[0]->received[0], '\x16') << "a TLS handshake record (ClientHello)";
    garbage.send(0, std::string(300, 'G') + "HTTP/1.1 400 Bad Request\r\n\r\n");
    ASSERT_TRUE(run_until(
        io, [&] { return ev.failed > 0; }, 5s));
    EXPECT_EQ(ev.failure, NetError::TlsFailed);
    EXPECT_FALSE(net->last_tls_error().empty());
}

TEST_F(TlsLinkTest, ServerClosingDuringTheHandshake) {
    TcpPeer closer(io);
    const hal::TlsParams p = params(TlsAuth::None);
    net->open(0, Proto::Tcp, "127.0.0.1", closer.port(), &p);
    ASSERT_TRUE(run_until(
        io, [&] { return closer.sessions.size() == 1 && !closer.sessions[0]->received.empty(); }, 5s));
    closer.close(0);
    ASSERT_TRUE(run_until(
        io, [&] { return ev.failed > 0; }, 5s));
    EXPECT_EQ(ev.failure, NetError::TlsFailed);
    EXPECT_NE(net->last_tls_error().find("closed the connection during the TLS handshake"), std::string::npos)
        << net->last_tls_error();
}

TEST_F(TlsLinkTest, ABrokenRecordOnAnOpenLinkEndsItAsAReset) {
    TcpPeer peer(io);
    HandDrivenTlsServer server(peer);
    const hal::TlsParams p = params();
    net->open(0, Proto::Tcp, "127.0.0.1", peer.port(), &p);
    ASSERT_TRUE(run_until(
        io, [&] { return server.step() && ev.connected == 1; }, 10s))
        << net->last_tls_error();
    server.write("a good record");
    ASSERT_TRUE(run_until(
        io, [&] { return ev.data == "a good record"; }, 5s));
    // An application-data record header and 32 bytes that no key decrypts.
    peer.send(0, std::string("\x17\x03\x03\x00\x20", 5) + std::string(32, '\x5a'));
    ASSERT_TRUE(run_until(
        io, [&] { return ev.closed > 0; }, 5s));
    EXPECT_EQ(ev.close_reason, NetError::Reset);
    EXPECT_EQ(net->counters().tls_errors, 1u);
    EXPECT_EQ(net->counters().tls_failures, 0u);
    EXPECT_NE(net->last_tls_error().find(
                  "link A: TLS connection to 127.0.0.1:" + std::to_string(peer.port()) + " broken: "),
              std::string::npos)
        << net->last_tls_error();
    EXPECT_TRUE(run_until(
        io, [&] { return peer.sessions[0]->ended; }, 5s))
        << "the device closed the socket";
}

TEST_F(TlsLinkTest, ASilentServerTimesTheHandshakeOut) {
    hal_sim::AsioNetOptions o;
    o.connect_timeout = 500ms;
    make_net(o);
    TcpPeer silent(io); // accepts, reads the ClientHello, never answers
    const hal::TlsParams p = params();
    net->open(0, Proto::Tcp, "127.0.0.1", silent.port(), &p);
    ASSERT_TRUE(run_until(
        io, [&] { return ev.failed > 0; }, 5s));
    EXPECT_EQ(ev.failure, NetError::Timeout) << "the connect time covers the TLS handshake";
    EXPECT_FALSE(silent.sessions.at(0)->received.empty()) << "the ClientHello went out";
    EXPECT_TRUE(log.has("link A: TLS handshake with 127.0.0.1:" + std::to_string(silent.port()) +
                        " failed: timeout"));
}

// ---- AT+SSLVER -------------------------------------------------------------------------------------

TEST_F(TlsLinkTest, Tls12AgainstATls13OnlyServerFails) {
    OpensslServer server(test_pki().server, {"-tls1_3"});
    std::string why = tls_failure(params(TlsAuth::Peer, TlsVersion::Tls12), server.port());
    EXPECT_NE(why.find("alert protocol version"), std::string::npos) << why;
    // ALL is the G771's four versions: no TLS 1.3 either.
    why = tls_failure(params(TlsAuth::Peer, TlsVersion::Any), server.port());
    EXPECT_NE(why.find("alert protocol version"), std::string::npos) << why;
}

TEST_F(TlsLinkTest, PinnedVersionIsTheNegotiatedOne) {
    OpensslServer server(test_pki().server, {"-cipher", "DEFAULT:@SECLEVEL=0"});
    ASSERT_TRUE(connect(params(TlsAuth::Peer, TlsVersion::Tls10), server.port())) << net->last_tls_error();
    EXPECT_EQ(snap()->tls_version, "TLSv1");
    net->close(0);
    ASSERT_TRUE(connect(params(TlsAuth::Peer, TlsVersion::Tls11), server.port())) << net->last_tls_error();
    EXPECT_EQ(snap()->tls_version, "TLSv1.1");
    net->close(0);
    ASSERT_TRUE(connect(params(TlsAuth::Peer, TlsVersion::Tls12), server.port())) << net->last_tls_error();
    EXPECT_EQ(snap()->tls_version, "TLSv1.2");
}

TEST_F(TlsLinkTest, Tls11AgainstATls12OnlyServerFails) {
    OpensslServer server(test_pki().server, {"-tls1_2"});
    const std::string why = tls_failure(params(TlsAuth::Peer, TlsVersion::Tls11), server.port());
    EXPECT_NE(why.find("protocol version"), std::string::npos) << why;
}

TEST_F(TlsLinkTest, Ssl30IsNotAvailable) {
    OpensslServer server(test_pki().server);
    const std::string why = tls_failure(params(TlsAuth::None, TlsVersion::Ssl30), server.port());
    EXPECT_NE(why.find("AT+SSLVER=SSL3.0 is not available"), std::string::npos) << why;
}

// ---- data, close, impairment -------------------------------------------------------------------------

TEST_F(TlsLinkTest, DataBothWaysThrough300msLatency) {
    LinkConfig c;
    c.upstream.latency_ms = 300;
    c.downstream.latency_ms = 300;
    link.set_config(c);
    OpensslServer server(test_pki().server);
    ASSERT_TRUE(connect(params(), server.port()));
    EXPECT_FALSE(net->send(1, "x")) << "another link";
    ASSERT_TRUE(net->send(0, "hello over TLS from the device\n"));
    std::string big;
    for (int i = 0; i < 1000; ++i)
        big += "line " + std::to_string(i) + " of a long frame\n"; // > one 16 KiB record
    ASSERT_TRUE(net->send(0, big));
    EXPECT_TRUE(server_printed(server, "hello over TLS from the device\n" + big)) << "in order, decrypted";
    server.send("answer from the server\n");
    ASSERT_TRUE(run_until(
        io, [&] { return ev.data == "answer from the server\n"; }, 10s))
        << ev.data;
    const auto s = snap();
    ASSERT_TRUE(s);
    EXPECT_EQ(s->rx_bytes, 23u) << "plaintext delivered";
    EXPECT_GT(s->tx_bytes, big.size() + 31) << "records written (larger than the plaintext)";
    EXPECT_GT(link.counters(hal_sim::Direction::Upstream).delayed, 0u) << "through the impairment";
    EXPECT_GT(link.counters(hal_sim::Direction::Downstream).delayed, 0u);
}

TEST_F(TlsLinkTest, StalledUpstreamHoldsRecordsUntilCleared) {
    OpensslServer server(test_pki().server);
    ASSERT_TRUE(connect(params(), server.port()));
    LinkConfig c;
    c.upstream.stall = true;
    link.set_config(c);
    ASSERT_TRUE(net->send(0, "held while stalled\n"));
    EXPECT_FALSE(server_printed(server, "held while stalled", 300ms)) << "nothing moves during a stall";
    c.upstream.stall = false;
    link.set_config(c);
    EXPECT_TRUE(server_printed(server, "held while stalled\n"));
}

TEST_F(TlsLinkTest, QueueCapRefusesWholeFrames) {
    hal_sim::AsioNetOptions o;
    o.max_queue_bytes = 4096;
    make_net(o);
    OpensslServer server(test_pki().server);
    ASSERT_TRUE(connect(params(), server.port()));
    LinkConfig c;
    c.upstream.stall = true;
    link.set_config(c);
    ASSERT_TRUE(net->send(0, std::string(3000, 'a') + "\n"));
    EXPECT_FALSE(net->send(0, std::string(3000, 'b') + "\n")) << "over the cap: refused whole";
    EXPECT_EQ(link.counters(hal_sim::Direction::Upstream).overflow, 1u);
    c.upstream.stall = false;
    link.set_config(c);
    ASSERT_TRUE(server_printed(server, std::string(3000, 'a') + "\n"));
    ASSERT_TRUE(net->send(0, "after the stall\n")) << "the TLS stream is intact";
    EXPECT_TRUE(server_printed(server, std::string(3000, 'a') + "\nafter the stall\n"));
}

TEST_F(TlsLinkTest, CloseSendsCloseNotify) {
    OpensslServer server(test_pki().server);
    ASSERT_TRUE(connect(params(), server.port()));
    ASSERT_TRUE(net->send(0, "last words\n"));
    net->close(0);
    // s_server prints DONE for a close_notify; a bare FIN would be "ERROR" (unexpected eof).
    EXPECT_TRUE(server_printed(server, "last words\nDONE")) << server.output();
    EXPECT_EQ(ev.closed, 0) << "no event after close()";
}

TEST_F(TlsLinkTest, ServerCloseIsPeerClosed) {
    OpensslServer server(test_pki().server);
    ASSERT_TRUE(connect(params(), server.port()));
    server.send("Q\n"); // s_server: close the connection (close_notify) and quit
    ASSERT_TRUE(run_until(
        io, [&] { return ev.closed > 0; }, 10s));
    EXPECT_EQ(ev.close_reason, NetError::PeerClosed);
}

TEST_F(TlsLinkTest, ResetInjectionEndsATlsLink) {
    OpensslServer server(test_pki().server);
    ASSERT_TRUE(connect(params(), server.port()));
    EXPECT_EQ(net->reset_connections(), 1u);
    ASSERT_TRUE(run_until(
        io, [&] { return ev.closed > 0; }, 5s));
    EXPECT_EQ(ev.close_reason, NetError::Reset);
}

TEST_F(TlsLinkTest, DevicesWithTheSameSettingsShareOneContext) {
    OpensslServer server(test_pki().server);
    ASSERT_TRUE(connect(params(), server.port()));
    net->close(0);
    ASSERT_TRUE(connect(params(), server.port()));
    EXPECT_EQ(contexts.builds(), 1u);
    net->close(0);
    ASSERT_TRUE(connect(params(TlsAuth::None), server.port()));
    EXPECT_EQ(contexts.builds(), 2u) << "another auth mode is another context";
}

} // namespace
} // namespace dtu::itest
