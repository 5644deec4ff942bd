#pragma once
// One TLS connection over memory BIOs: no socket of its own. The caller moves the ciphertext
// (take_output() towards the other side, feed() from it) — the nets send it through the link's
// impairment delay lines (tls_link.hpp) — and exchanges plaintext with write() / take_plaintext().
// The module's client sessions are made with the constructor; an in-process peer's server sessions
// with server() (tls_server_session.hpp builds their context).
//
// Verification follows AT+SSLAUTH (G771 §2.6.2, spec mqtt.md §9): PEER / ALL check the chain
// against the CA of the context (TlsContextCache), the validity dates and the host the firmware
// connected to (a DNS name with SSL_set1_host, an IP literal against the certificate's IP
// addresses); NONE checks nothing. SNI is sent only when AT+SSLCFG asks for it (TlsParams::sni) and
// the host is a name, not an IP address. Certificates are checked against the host's clock unless
// set_verify_time() gives another (virtual time: the scenario's network time).
//
// Not thread-safe; every call on one thread (the device's io_context).
#include <ctime>
#include <memory>
#include <string>
#include <string_view>

#include <openssl/ssl.h>

#include "dtu/hal/tls.hpp"
#include "hal_sim/tls_context.hpp"

namespace dtu::hal_sim {

/// What a completed handshake negotiated.
struct TlsOutcome {
    std::string version;   ///< "TLSv1.2"
    std::string cipher;    ///< "ECDHE-RSA-AES256-GCM-SHA384"
    bool verified = false; ///< PEER/ALL and the server's certificate passed every check
    /// The other side's certificate subject ("CN=dtu-device", RFC 2253), empty if it sent none. A
    /// server session: the client certificate (AT+SSLAUTH=ALL).
    std::string peer_subject;
    std::string server_name; ///< the SNI of the handshake (server side: what the client sent); empty: none
};

class TlsSession {
public:
    enum class State {
        Handshaking, ///< start() called (or not yet): waiting for the server
        Established, ///< application data flows
        Failed,      ///< handshake or record error: error() says why; nothing more flows
        Closed,      ///< shutdown() sent close_notify, or the server sent one
    };

    /// ctx: from TlsContextCache for the same params. host: the name or address the firmware opened.
    TlsSession(SslCtxPtr ctx, const hal::TlsParams& params, std::string_view host);
    /// A server session (an in-process peer): verify_client asks for the client's certificate and
    /// fails the handshake without one, or with one the context's CA did not sign.
    static std::unique_ptr<TlsSession> server(SslCtxPtr ctx, bool verify_client);
    ~TlsSession();
    TlsSession(const TlsSession&) = delete;
    TlsSession& operator=(const TlsSession&) = delete;

    /// Check certificate dates against this UTC instead of the host's clock (before start()).
    void set_verify_time(std::time_t utc);
    /// Begin the handshake: a client's ClientHello is then in take_output() (a server waits for it).
    void start();
    /// Ciphertext from the server: advances the handshake, or decrypts into take_plaintext(). After
    /// the handshake it may also produce output (alerts, renegotiation answers).
    void feed(std::string_view ciphertext);
    /// Encrypt application data into take_output(). False unless Established.
    bool write(std::string_view plaintext);
    /// Send close_notify (into take_output()) if Established; the session is Closed afterwards.
    void shutdown();

    /// Ciphertext waiting for the server (emptied by the call).
    std::string take_output();
    /// Decrypted data from the server (emptied by the call).
    std::string take_plaintext();

    State state() const { return state_; }
    /// The server sent close_notify.
    bool peer_closed() const { return peer_closed_; }
    /// Valid once Established (kept afterwards).
    const TlsOutcome& outcome() const { return outcome_; }
    /// Why the session Failed: the verification error ("certificate has expired", "hostname
    /// mismatch", "unable to get local issuer certificate"...) or the TLS error ("tlsv1 alert
    /// protocol version", "sslv3 alert handshake failure"...).
    const std::string& error() const { return error_; }

private:
    struct ServerRole {};
    TlsSession(SslCtxPtr ctx, bool verify, ServerRole);
    /// The BIOs and the SSL object; false (Failed) if OpenSSL cannot make them.
    bool make_ssl();
    void step_handshake();
    void read_records();
    std::string peer_subject() const;
    void fail(int ret);
    std::string failure_reason(int ssl_error) const;

    SslCtxPtr ctx_;
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl_;
    BIO* in_ = nullptr;  ///< network -> SSL (owned by ssl_)
    BIO* out_ = nullptr; ///< SSL -> network (owned by ssl_)
    bool verify_;
    State state_ = State::Handshaking;
    bool peer_closed_ = false;
    std::string plaintext_;
    TlsOutcome outcome_;
    std::string error_;
};

} // namespace dtu::hal_sim
