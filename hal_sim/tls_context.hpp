#pragma once
// The module's TLS client configurations as OpenSSL SSL_CTX objects (G771 §2.6.2, spec mqtt.md §9),
// built from the PEM text the firmware hands over at each connect (AT+SSLCRT) and cached, so that
// devices with the same settings (the same CA, say — a fleet of hundreds) share one SSL_CTX.
//
// What a context holds, by AT+SSLAUTH:
//  - NONE: SSL_VERIFY_NONE; no certificate is loaded (the PEM text is ignored, even if broken).
//  - PEER: SSL_VERIFY_PEER with the CA bundle of AT+SSLCRT=0 as the only trust anchors (not the
//    host's store) and verify_host_callback (below).
//  - ALL:  PEER, plus the client certificate (AT+SSLCRT=1; further certificates in the same text
//    are sent as its chain) and the client key (AT+SSLCRT=2), which must match.
//
// AT+SSLVER, as far as Debian 12's OpenSSL 3.0 allows (version_range()):
//  - SSL3.0: OpenSSL 3 is built without SSL 3.0 (OPENSSL_NO_SSL3): no context, the error says so;
//  - TLS1.0 / TLS1.1 / TLS1.2: exactly that version (min = max);
//  - ALL (factory): TLS 1.0 to TLS 1.2. The G771 offers SSL 3.0 to TLS 1.2 and no TLS 1.3, so a
//    TLS-1.3-only server fails here as it does with the real device.
//  Every context runs at security level 0 with the cipher list "DEFAULT:@SECLEVEL=0": TLS 1.0/1.1
//  need it in OpenSSL 3, and an embedded TLS client of the G771's age accepts SHA-1 signatures and
//  RSA keys below 2048 bits. Chain, dates and host name are still verified (PEER / ALL).
//
// Host name checking — how a user of a context gets it:
//  - Own SSL objects (TlsSession): call SSL_set1_host(ssl, host) (or, for an IP literal,
//    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), ip)) before the handshake; OpenSSL checks it.
//  - SSL objects made by someone else (libmosquitto with MOSQ_OPT_SSL_CTX creates the SSL itself and
//    always sets SNI to the broker host): nothing to do. verify_host_callback, installed on every
//    PEER/ALL context, checks the leaf certificate against the SNI name (DNS name, or IP address if
//    the name is an IP literal) whenever the SSL object has no host/IP set. No host and no SNI:
//    the verification fails (fail closed). A mismatch shows in SSL_get_verify_result() as
//    X509_V_ERR_HOSTNAME_MISMATCH / X509_V_ERR_IP_ADDRESS_MISMATCH ("hostname mismatch").
//  - libmosquitto: mosquitto_int_option(m, MOSQ_OPT_SSL_CTX_WITH_DEFAULTS, 0) and
//    mosquitto_void_option(m, MOSQ_OPT_SSL_CTX, ctx.get()) (libmosquitto takes its own reference,
//    SSL_CTX_up_ref). When the handshake fails, tls_verify_reason(SSL_get_verify_result(
//    mosquitto_ssl_get(m))) names a verification failure; X509_V_OK means it was something else.
//
// Thread-safe: TlsContextCache::get locks; a context is never changed once built (OpenSSL allows
// SSL_new on one SSL_CTX from several threads).
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <openssl/ssl.h>

#include "dtu/hal/tls.hpp"

namespace dtu::hal_sim {

/// Shared ownership of an SSL_CTX: SSL_CTX_free on the last release.
using SslCtxPtr = std::shared_ptr<SSL_CTX>;

/// A context, or why there is none.
struct TlsContextResult {
    SslCtxPtr ctx;     ///< null on error
    std::string error; ///< e.g. "CA certificate (AT+SSLCRT=0) is not valid PEM: no start line"
    explicit operator bool() const { return ctx != nullptr; }
};

/// Protocol version bounds for AT+SSLVER (OpenSSL's *_VERSION constants); available = false when this
/// OpenSSL cannot do the version at all (SSL 3.0).
struct TlsVersionRange {
    int min = 0;
    int max = 0;
    bool available = true;
};
TlsVersionRange version_range(hal::TlsVersion version);

/// "SSL3.0", "TLS1.0", "TLS1.1", "TLS1.2", "ALL" (the AT+SSLVER token).
const char* version_token(hal::TlsVersion version);
/// "NONE", "PEER", "ALL" (the AT+SSLAUTH token).
const char* auth_token(hal::TlsAuth auth);

/// Build a context for params (no cache). Never throws; OpenSSL's error queue is left empty.
TlsContextResult build_tls_context(const hal::TlsParams& params);

/// What an identity's PEM texts are called in errors: "client certificate (AT+SSLCRT=1)", "client
/// key (AT+SSLCRT=2)" and the owner ("client": "client key does not match client certificate").
struct PemLabels {
    std::string cert, key, owner;
};

/// Add every certificate of pem to ctx's trust store (what: its name in the error). False, with
/// error set, when the text holds none or a broken one.
bool trust_certificates(SSL_CTX* ctx, std::string_view pem, const std::string& what, std::string& error);

/// Use the certificate (its first certificate; the others are sent as its chain) and the matching
/// unencrypted private key of cert_pem / key_pem as ctx's own identity. False, with error set, if
/// either text is not PEM or the key does not match.
bool use_identity(SSL_CTX* ctx, std::string_view cert_pem, std::string_view key_pem, const PemLabels& labels,
                  std::string& error);

/// The verify callback of PEER/ALL contexts: checks the leaf certificate's host name against the
/// SNI name when the SSL object has no host or IP of its own (see above). Usable on other contexts.
int verify_host_callback(int preverify_ok, X509_STORE_CTX* store);

/// Human text of an X509_V_ERR_* code (X509_verify_cert_error_string).
std::string tls_verify_reason(long verify_result);

/// Contexts by (auth, version, the PEM text that auth uses). Keeps up to capacity contexts (least
/// recently used dropped first; a dropped context lives on in the SSL objects that use it).
/// Errors are not cached.
class TlsContextCache {
public:
    explicit TlsContextCache(std::size_t capacity = 256) : capacity_(capacity) {}
    TlsContextCache(const TlsContextCache&) = delete;
    TlsContextCache& operator=(const TlsContextCache&) = delete;

    /// The process-wide cache (all devices of a fleet, the MQTT service, AsioNet by default).
    static TlsContextCache& shared();

    /// The context for params: from the cache, or built (and cached) now.
    TlsContextResult get(const hal::TlsParams& params);

    /// Contexts held now.
    std::size_t size() const;
    /// Contexts built since creation (successful builds only): a hit does not count.
    std::uint64_t builds() const;
    /// Drop every cached context.
    void clear();

private:
    struct Entry {
        SslCtxPtr ctx;
        std::uint64_t last_use = 0;
    };

    static std::string key_of(const hal::TlsParams& params);
    void evict_locked();

    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::map<std::string, Entry> entries_;
    std::uint64_t clock_ = 0;
    std::uint64_t builds_ = 0;
};

} // namespace dtu::hal_sim
