// hal_sim::TlsContextCache on its own: sharing, what the key covers, eviction, and the host check of
// verify_host_callback for SSL objects the cache's user creates itself with only SNI set — the way
// libmosquitto uses a context given through MOSQ_OPT_SSL_CTX. Real `openssl s_server` peers.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "hal_sim/tls_context.hpp"
#include "openssl_server.hpp"
#include "test_pki.hpp"

namespace dtu::itest {
namespace {

using hal::TlsAuth;
using hal::TlsVersion;
using hal_sim::TlsContextCache;

hal::TlsParams peer_params(const std::string& ca) {
    hal::TlsParams p;
    p.auth = TlsAuth::Peer;
    p.ca_pem = ca;
    return p;
}

/// A blocking TCP connection to 127.0.0.1:port (closed on destruction).
struct Socket {
    explicit Socket(std::uint16_t port) : fd(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    }
    ~Socket() {
        if (fd >= 0) ::close(fd);
    }
    int fd;
    bool connected = false;
};

/// Handshake as libmosquitto does with a user context: its own SSL object, SNI = the broker host,
/// no SSL_set1_host. Returns SSL_get_verify_result (X509_V_OK on success) or -1 if the handshake
/// failed for another reason.
long handshake_with_sni(SSL_CTX* ctx, std::uint16_t port, const char* sni) {
    Socket sock(port);
    EXPECT_TRUE(sock.connected);
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx), &SSL_free);
    SSL_set_fd(ssl.get(), sock.fd);
    if (sni) SSL_set_tlsext_host_name(ssl.get(), sni);
    const int r = SSL_connect(ssl.get());
    const long verify = SSL_get_verify_result(ssl.get());
    ERR_clear_error();
    if (r == 1) return X509_V_OK;
    return verify != X509_V_OK ? verify : -1;
}

TEST(TlsContextCache, SameSettingsShareOneContext) {
    TlsContextCache cache;
    const auto a = cache.get(peer_params(test_pki().ca.cert_pem));
    const auto b = cache.get(peer_params(test_pki().ca.cert_pem));
    ASSERT_TRUE(a && b) << a.error << b.error;
    EXPECT_EQ(a.ctx.get(), b.ctx.get());
    EXPECT_EQ(cache.builds(), 1u);
    const auto other = cache.get(peer_params(test_pki().other_ca.cert_pem));
    ASSERT_TRUE(other);
    EXPECT_NE(other.ctx.get(), a.ctx.get()) << "another CA, another context";
    hal::TlsParams v = peer_params(test_pki().ca.cert_pem);
    v.version = TlsVersion::Tls12;
    EXPECT_NE(cache.get(v).ctx.get(), a.ctx.get()) << "another version, another context";
    EXPECT_EQ(cache.size(), 3u);
}

TEST(TlsContextCache, NoneIgnoresTheCertificateText) {
    TlsContextCache cache;
    hal::TlsParams p;
    p.auth = TlsAuth::None;
    p.ca_pem = "anything, not even PEM";
    const auto a = cache.get(p);
    p.ca_pem = test_pki().ca.cert_pem;
    const auto b = cache.get(p);
    ASSERT_TRUE(a && b) << a.error;
    EXPECT_EQ(a.ctx.get(), b.ctx.get());
}

TEST(TlsContextCache, ErrorsAreNotCachedAndOldContextsAreEvicted) {
    TlsContextCache cache(2);
    EXPECT_FALSE(cache.get(peer_params("not a certificate")));
    EXPECT_EQ(cache.size(), 0u);
    const auto first = cache.get(peer_params(test_pki().ca.cert_pem));
    cache.get(peer_params(test_pki().other_ca.cert_pem));
    cache.get(peer_params(test_pki().ca.cert_pem + test_pki().other_ca.cert_pem));
    EXPECT_EQ(cache.size(), 2u);
    EXPECT_TRUE(first) << "an evicted context lives on with its users";
    EXPECT_NE(SSL_CTX_get_cert_store(first.ctx.get()), nullptr);
    cache.get(peer_params(test_pki().ca.cert_pem));
    EXPECT_EQ(cache.builds(), 4u) << "the least recently used one was dropped and is built again";
}

TEST(TlsContextCache, SniHostCheckForSslObjectsMadeElsewhere) {
    TlsContextCache cache;
    const auto ctx = cache.get(peer_params(test_pki().ca.cert_pem));
    ASSERT_TRUE(ctx) << ctx.error;
    OpensslServer right(test_pki().server);
    EXPECT_EQ(handshake_with_sni(ctx.ctx.get(), right.port(), "localhost"), X509_V_OK);
    EXPECT_EQ(handshake_with_sni(ctx.ctx.get(), right.port(), "127.0.0.1"), X509_V_OK) << "IP in the SAN";
    EXPECT_EQ(handshake_with_sni(ctx.ctx.get(), right.port(), nullptr), X509_V_ERR_HOSTNAME_MISMATCH)
        << "no name to check: fail closed";
    OpensslServer wrong(test_pki().wrong_host);
    const long v = handshake_with_sni(ctx.ctx.get(), wrong.port(), "localhost");
    EXPECT_EQ(v, X509_V_ERR_HOSTNAME_MISMATCH);
    EXPECT_EQ(hal_sim::tls_verify_reason(v), "hostname mismatch");
}

TEST(TlsContext, VersionMapping) {
    using hal_sim::version_range;
    EXPECT_FALSE(version_range(TlsVersion::Ssl30).available);
    EXPECT_EQ(version_range(TlsVersion::Tls10).min, TLS1_VERSION);
    EXPECT_EQ(version_range(TlsVersion::Tls10).max, TLS1_VERSION);
    EXPECT_EQ(version_range(TlsVersion::Tls11).max, TLS1_1_VERSION);
    EXPECT_EQ(version_range(TlsVersion::Tls12).min, TLS1_2_VERSION);
    EXPECT_EQ(version_range(TlsVersion::Any).min, TLS1_VERSION);
    EXPECT_EQ(version_range(TlsVersion::Any).max, TLS1_2_VERSION) << "the G771 has no TLS 1.3";
}

} // namespace
} // namespace dtu::itest
