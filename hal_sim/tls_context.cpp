#include "hal_sim/tls_context.hpp"

#include <utility>
#include <vector>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace dtu::hal_sim {
namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

/// The deepest reason on OpenSSL's error queue ("no start line", "bad base64 decode"), and empty
/// the queue (it is per thread and would confuse the next call).
std::string take_openssl_reason() {
    std::string reason;
    while (const unsigned long e = ERR_get_error()) {
        const char* r = ERR_reason_error_string(e);
        if (reason.empty()) reason = r ? r : "error " + std::to_string(ERR_GET_REASON(e));
    }
    return reason.empty() ? "no PEM data found" : reason;
}

BioPtr memory_bio(std::string_view text) {
    return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), &BIO_free);
}

/// A password callback that refuses: an encrypted key must not make OpenSSL prompt on a terminal.
int no_password(char*, int, int, void*) { return -1; }

/// Every certificate of a PEM text, in order; empty with error set when the text holds none or a
/// broken one.
std::vector<X509Ptr> read_certificates(std::string_view pem, const std::string& what, std::string& error) {
    std::vector<X509Ptr> certs;
    ERR_clear_error();
    BioPtr bio = memory_bio(pem);
    while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, no_password, nullptr))
        certs.emplace_back(x, &X509_free);
    // The loop ends at the end of the text (PEM_R_NO_START_LINE) or at a broken certificate.
    const unsigned long last = ERR_peek_last_error();
    const bool clean_end = ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE;
    if (certs.empty() || !clean_end) {
        error = what + " is not valid PEM: " + take_openssl_reason();
        certs.clear();
    }
    ERR_clear_error();
    return certs;
}

/// Whether the auth mode verifies the server.
bool verifies(hal::TlsAuth auth) { return auth != hal::TlsAuth::None; }

bool load_ca(SSL_CTX* ctx, std::string_view pem, std::string& error) {
    if (pem.empty()) {
        error = "no CA certificate loaded (AT+SSLCRT=0), needed by AT+SSLAUTH=PEER/ALL";
        return false;
    }
    return trust_certificates(ctx, pem, "CA certificate (AT+SSLCRT=0)", error);
}

bool load_client_identity(SSL_CTX* ctx, const hal::TlsParams& params, std::string& error) {
    if (params.cert_pem.empty()) {
        error = "no client certificate loaded (AT+SSLCRT=1), needed by AT+SSLAUTH=ALL";
        return false;
    }
    if (params.key_pem.empty()) {
        // Checked after the certificate's text, as before: a broken certificate is named first.
        if (read_certificates(params.cert_pem, "client certificate (AT+SSLCRT=1)", error).empty())
            return false;
        error = "no client key loaded (AT+SSLCRT=2), needed by AT+SSLAUTH=ALL";
        return false;
    }
    return use_identity(ctx, params.cert_pem, params.key_pem,
                        {"client certificate (AT+SSLCRT=1)", "client key (AT+SSLCRT=2)", "client"}, error);
}

bool is_ip_literal(const char* name) {
    if (name == nullptr) return false;
    ASN1_OCTET_STRING* ip = a2i_IPADDRESS(name);
    ASN1_OCTET_STRING_free(ip);
    ERR_clear_error(); // a name that is not an address leaves an error behind
    return ip != nullptr;
}

/// The SSL object has its own expected host or IP (SSL_set1_host / set1_ip): OpenSSL checked it.
bool has_own_host(SSL* ssl) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    if (X509_VERIFY_PARAM_get0_host(param, 0) != nullptr) return true;
    char* ip = X509_VERIFY_PARAM_get1_ip_asc(param);
    const bool has_ip = ip != nullptr;
    OPENSSL_free(ip);
    return has_ip;
}

} // namespace

TlsVersionRange version_range(hal::TlsVersion version) {
    switch (version) {
    case hal::TlsVersion::Ssl30: return {SSL3_VERSION, SSL3_VERSION, false}; // OPENSSL_NO_SSL3
    case hal::TlsVersion::Tls10: return {TLS1_VERSION, TLS1_VERSION, true};
    case hal::TlsVersion::Tls11: return {TLS1_1_VERSION, TLS1_1_VERSION, true};
    case hal::TlsVersion::Tls12: return {TLS1_2_VERSION, TLS1_2_VERSION, true};
    case hal::TlsVersion::Any: break;
    }
    // G771 §2.6.2: SSL 3.0 to TLS 1.2; no TLS 1.3. SSL 3.0 is compiled out of OpenSSL 3.
    return {TLS1_VERSION, TLS1_2_VERSION, true};
}

const char* version_token(hal::TlsVersion version) {
    switch (version) {
    case hal::TlsVersion::Ssl30: return "SSL3.0";
    case hal::TlsVersion::Tls10: return "TLS1.0";
    case hal::TlsVersion::Tls11: return "TLS1.1";
    case hal::TlsVersion::Tls12: return "TLS1.2";
    case hal::TlsVersion::Any: break;
    }
    return "ALL";
}

const char* auth_token(hal::TlsAuth auth) {
    switch (auth) {
    case hal::TlsAuth::Peer: return "PEER";
    case hal::TlsAuth::Mutual: return "ALL";
    case hal::TlsAuth::None: break;
    }
    return "NONE";
}

bool trust_certificates(SSL_CTX* ctx, std::string_view pem, const std::string& what, std::string& error) {
    auto certs = read_certificates(pem, what, error);
    if (certs.empty()) return false;
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    for (const auto& c : certs) {
        if (X509_STORE_add_cert(store, c.get()) != 1) {
            error = what + " not usable: " + take_openssl_reason();
            return false;
        }
    }
    return true;
}

bool use_identity(SSL_CTX* ctx, std::string_view cert_pem, std::string_view key_pem, const PemLabels& labels,
                  std::string& error) {
    auto certs = read_certificates(cert_pem, labels.cert, error);
    if (certs.empty()) return false;
    if (SSL_CTX_use_certificate(ctx, certs.front().get()) != 1) {
        error = labels.cert + " not usable: " + take_openssl_reason();
        return false;
    }
    for (std::size_t i = 1; i < certs.size(); ++i) { // intermediates sent with it
        if (SSL_CTX_add1_chain_cert(ctx, certs[i].get()) != 1) {
            error = labels.cert + " chain not usable: " + take_openssl_reason();
            return false;
        }
    }
    ERR_clear_error();
    BioPtr bio = memory_bio(key_pem);
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr), &EVP_PKEY_free);
    if (!key) {
        // OpenSSL 3's decoders say "unsupported" for text that is no key at all: name the usual cause.
        const std::string reason = take_openssl_reason();
        error =
            labels.key + " is not a valid unencrypted PEM private key: " +
            (key_pem.find("-----BEGIN ") == std::string_view::npos ? std::string("no start line") : reason);
        return false;
    }
    if (X509_check_private_key(certs.front().get(), key.get()) != 1) {
        ERR_clear_error();
        error = labels.owner + " key does not match " + labels.owner + " certificate";
        return false;
    }
    if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1) {
        error = labels.key + " not usable: " + take_openssl_reason();
        return false;
    }
    return true;
}

TlsContextResult build_tls_context(const hal::TlsParams& params) {
    TlsContextResult out;
    const TlsVersionRange range = version_range(params.version);
    if (!range.available) {
        out.error = std::string("AT+SSLVER=") + version_token(params.version) +
                    " is not available: this host's OpenSSL 3 is built without SSL 3.0";
        return out;
    }
    ERR_clear_error();
    SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()), &SSL_CTX_free);
    if (!ctx) {
        out.error = "cannot create a TLS context: " + take_openssl_reason();
        return out;
    }
    SSL_CTX* c = ctx.get();
    // Security level 0: TLS 1.0/1.1 and the certificates an embedded client of the G771's age takes.
    SSL_CTX_set_security_level(c, 0);
    if (SSL_CTX_set_cipher_list(c, "DEFAULT:@SECLEVEL=0") != 1 ||
        SSL_CTX_set_min_proto_version(c, range.min) != 1 ||
        SSL_CTX_set_max_proto_version(c, range.max) != 1) {
        out.error = "cannot configure the TLS context: " + take_openssl_reason();
        return out;
    }
    SSL_CTX_set_options(c, SSL_OP_NO_COMPRESSION);
    SSL_CTX_set_mode(c, SSL_MODE_RELEASE_BUFFERS); // idle links of a large fleet keep no buffers
    if (!verifies(params.auth)) {
        SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);
        out.ctx = std::move(ctx);
        return out;
    }
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER, verify_host_callback);
    if (!load_ca(c, params.ca_pem, out.error)) return out;
    if (params.auth == hal::TlsAuth::Mutual && !load_client_identity(c, params, out.error)) return out;
    out.ctx = std::move(ctx);
    return out;
}

int verify_host_callback(int preverify_ok, X509_STORE_CTX* store) {
    if (!preverify_ok) return 0;
    if (X509_STORE_CTX_get_error_depth(store) != 0) return 1;
    auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    if (ssl == nullptr || has_own_host(ssl)) return 1;
    const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    X509* leaf = X509_STORE_CTX_get_current_cert(store);
    if (sni == nullptr || leaf == nullptr) {
        X509_STORE_CTX_set_error(store, X509_V_ERR_HOSTNAME_MISMATCH); // nothing to check against
        return 0;
    }
    if (is_ip_literal(sni)) {
        if (X509_check_ip_asc(leaf, sni, 0) == 1) return 1;
        X509_STORE_CTX_set_error(store, X509_V_ERR_IP_ADDRESS_MISMATCH);
        return 0;
    }
    if (X509_check_host(leaf, sni, 0, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) == 1) return 1;
    X509_STORE_CTX_set_error(store, X509_V_ERR_HOSTNAME_MISMATCH);
    return 0;
}

std::string tls_verify_reason(long verify_result) { return X509_verify_cert_error_string(verify_result); }

// ---- TlsContextCache -------------------------------------------------------------------------------

TlsContextCache& TlsContextCache::shared() {
    static TlsContextCache cache; // immutable contexts shared by every device: see the header
    return cache;
}

std::string TlsContextCache::key_of(const hal::TlsParams& p) {
    // Only what the auth mode uses: NONE contexts are shared whatever certificates are stored.
    std::string key{auth_token(p.auth)};
    key.append("|").append(version_token(p.version));
    auto field = [&key](std::string_view v) {
        key.append("|").append(std::to_string(v.size())).append(":").append(v);
    };
    if (verifies(p.auth)) field(p.ca_pem);
    if (p.auth == hal::TlsAuth::Mutual) {
        field(p.cert_pem);
        field(p.key_pem);
    }
    return key;
}

TlsContextResult TlsContextCache::get(const hal::TlsParams& params) {
    const std::string key = key_of(params);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = entries_.find(key);
        if (it != entries_.end()) {
            it->second.last_use = ++clock_;
            return {it->second.ctx, {}};
        }
    }
    // Built outside the lock: another thread may build the same one meanwhile; the first one stays.
    TlsContextResult built = build_tls_context(params);
    if (!built) return built;
    std::lock_guard<std::mutex> lock(mutex_);
    auto [it, inserted] = entries_.try_emplace(key, Entry{built.ctx, 0});
    it->second.last_use = ++clock_;
    SslCtxPtr ctx = it->second.ctx;
    if (inserted) {
        ++builds_;
        evict_locked();
    }
    return {std::move(ctx), {}};
}

void TlsContextCache::evict_locked() {
    while (entries_.size() > capacity_) {
        auto oldest = entries_.begin();
        for (auto it = entries_.begin(); it != entries_.end(); ++it)
            if (it->second.last_use < oldest->second.last_use) oldest = it;
        entries_.erase(oldest);
    }
}

std::size_t TlsContextCache::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
}

std::uint64_t TlsContextCache::builds() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return builds_;
}

void TlsContextCache::clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_.clear();
}

} // namespace dtu::hal_sim
