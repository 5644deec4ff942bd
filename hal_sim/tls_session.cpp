#include "hal_sim/tls_session.hpp"

#include <array>
#include <climits>
#include <utility>

#include <openssl/err.h>
#include <openssl/x509v3.h>

namespace dtu::hal_sim {
namespace {

bool is_ip_literal(const std::string& host) {
    ASN1_OCTET_STRING* ip = a2i_IPADDRESS(host.c_str());
    ASN1_OCTET_STRING_free(ip);
    ERR_clear_error();
    return ip != nullptr;
}

/// The first reason on OpenSSL's error queue, the queue emptied.
std::string take_reason() {
    std::string reason;
    while (const unsigned long e = ERR_get_error()) {
        if (!reason.empty()) continue;
        const char* r = ERR_reason_error_string(e);
        reason = r ? r : "TLS error " + std::to_string(ERR_GET_REASON(e));
    }
    return reason;
}

} // namespace

TlsSession::TlsSession(SslCtxPtr ctx, const hal::TlsParams& params, std::string_view host)
    : ctx_(std::move(ctx)), ssl_(nullptr, &SSL_free), verify_(params.auth != hal::TlsAuth::None) {
    if (!make_ssl()) return;
    SSL_set_connect_state(ssl_.get());
    const std::string name(host);
    const bool ip = is_ip_literal(name);
    bool ok = true;
    if (verify_) {
        SSL_set_hostflags(ssl_.get(), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_.get()), name.c_str()) == 1
                : SSL_set1_host(ssl_.get(), name.c_str()) == 1;
    }
    // AT+SSLCFG field 1 (GM5 §2.21): SNI on request; RFC 6066 allows no IP address there.
    if (ok && params.sni && !ip) ok = SSL_set_tlsext_host_name(ssl_.get(), name.c_str()) == 1;
    if (!ok) {
        state_ = State::Failed;
        error_ = "cannot use host name '" + name + "' for TLS: " + take_reason();
    }
}

TlsSession::TlsSession(SslCtxPtr ctx, bool verify, ServerRole)
    : ctx_(std::move(ctx)), ssl_(nullptr, &SSL_free), verify_(verify) {
    if (!make_ssl()) return;
    SSL_set_accept_state(ssl_.get());
    if (verify_) SSL_set_verify(ssl_.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
}

std::unique_ptr<TlsSession> TlsSession::server(SslCtxPtr ctx, bool verify_client) {
    return std::unique_ptr<TlsSession>(new TlsSession(std::move(ctx), verify_client, ServerRole{}));
}

bool TlsSession::make_ssl() {
    ERR_clear_error();
    ssl_.reset(ctx_ ? SSL_new(ctx_.get()) : nullptr);
    in_ = BIO_new(BIO_s_mem());
    out_ = BIO_new(BIO_s_mem());
    if (!ssl_ || !in_ || !out_) {
        BIO_free(in_);
        BIO_free(out_);
        in_ = out_ = nullptr;
        state_ = State::Failed;
        error_ = "cannot create a TLS session: " + take_reason();
        return false;
    }
    SSL_set_bio(ssl_.get(), in_, out_); // ssl_ owns both from here
    return true;
}

void TlsSession::set_verify_time(std::time_t utc) {
    if (ssl_) X509_VERIFY_PARAM_set_time(SSL_get0_param(ssl_.get()), utc);
}

TlsSession::~TlsSession() = default;

void TlsSession::start() {
    if (state_ == State::Handshaking) step_handshake();
}

void TlsSession::feed(std::string_view ciphertext) {
    if (state_ == State::Failed || ciphertext.empty()) return;
    // A memory BIO grows as needed; the caller feeds one network chunk at a time and reads it out.
    if (BIO_write(in_, ciphertext.data(), static_cast<int>(ciphertext.size())) !=
        static_cast<int>(ciphertext.size())) {
        state_ = State::Failed;
        error_ = "TLS input buffer refused data";
        return;
    }
    if (state_ == State::Handshaking) step_handshake();
    if (state_ == State::Established || state_ == State::Closed) read_records();
}

bool TlsSession::write(std::string_view plaintext) {
    if (state_ != State::Established) return false;
    if (plaintext.empty()) return true;
    ERR_clear_error();
    // The output BIO is memory: SSL_write takes everything at once (no partial writes).
    const int n = SSL_write(ssl_.get(), plaintext.data(), static_cast<int>(plaintext.size()));
    if (n <= 0) {
        fail(n);
        return false;
    }
    return true;
}

void TlsSession::shutdown() {
    if (state_ == State::Established) {
        ERR_clear_error();
        SSL_shutdown(ssl_.get()); // queues close_notify; the answer is not awaited
        ERR_clear_error();
    }
    if (state_ != State::Failed) state_ = State::Closed;
}

std::string TlsSession::take_output() {
    std::string out;
    if (!out_) return out;
    char* data = nullptr;
    const long n = BIO_get_mem_data(out_, &data);
    if (n > 0) out.assign(data, static_cast<std::size_t>(n));
    (void)BIO_reset(out_);
    return out;
}

std::string TlsSession::take_plaintext() { return std::exchange(plaintext_, std::string()); }

void TlsSession::step_handshake() {
    ERR_clear_error();
    const int r = SSL_do_handshake(ssl_.get());
    if (r == 1) {
        state_ = State::Established;
        outcome_.version = SSL_get_version(ssl_.get());
        outcome_.cipher = SSL_get_cipher_name(ssl_.get());
        outcome_.verified = verify_ && SSL_get_verify_result(ssl_.get()) == X509_V_OK;
        outcome_.peer_subject = peer_subject();
        const char* sni = SSL_get_servername(ssl_.get(), TLSEXT_NAMETYPE_host_name);
        outcome_.server_name = sni ? sni : "";
        return;
    }
    const int e = SSL_get_error(ssl_.get(), r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return; // more from the server
    fail(r);
}

std::string TlsSession::peer_subject() const {
    X509* peer = SSL_get0_peer_certificate(ssl_.get());
    if (!peer) return {};
    BIO* bio = BIO_new(BIO_s_mem());
    if (!bio) return {};
    X509_NAME_print_ex(bio, X509_get_subject_name(peer), 0, XN_FLAG_RFC2253);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string subject = n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
    BIO_free(bio);
    return subject;
}

void TlsSession::read_records() {
    std::array<char, 16384> buf; // one TLS record at most
    for (;;) {
        ERR_clear_error();
        const int n = SSL_read(ssl_.get(), buf.data(), static_cast<int>(buf.size()));
        if (n > 0) {
            plaintext_.append(buf.data(), static_cast<std::size_t>(n));
            continue;
        }
        const int e = SSL_get_error(ssl_.get(), n);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return;
        if (e == SSL_ERROR_ZERO_RETURN) {
            peer_closed_ = true;
            state_ = State::Closed;
            return;
        }
        fail(n);
        return;
    }
}

void TlsSession::fail(int ret) {
    const int e = SSL_get_error(ssl_.get(), ret);
    error_ = failure_reason(e);
    state_ = State::Failed;
}

std::string TlsSession::failure_reason(int ssl_error) const {
    const long verify = SSL_get_verify_result(ssl_.get());
    if (verify_ && verify != X509_V_OK && state_ == State::Handshaking) {
        ERR_clear_error();
        return tls_verify_reason(verify);
    }
    std::string reason = take_reason();
    if (!reason.empty()) return reason;
    if (ssl_error == SSL_ERROR_SYSCALL) return "the TLS connection broke";
    return "TLS error " + std::to_string(ssl_error);
}

} // namespace dtu::hal_sim
