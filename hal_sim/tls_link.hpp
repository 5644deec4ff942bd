#pragma once
// The TLS half of a simulated net's link, written once for both nets (AsioNet in real time,
// VirtualNet in virtual time; asio_net.hpp documents the contract). The link's Conn implements
// TlsTransport and owns a TlsLink: the session's records cross the link's delay lines like any data
// (tls_send, and on_records with what came through), the handshake's outcome decides the connect
// (tls_connected / tls_failed: TlsFailed), and afterwards a TLS error ends the link as Reset and the
// server's close_notify as PeerClosed (tls_ended). TlsNetReport is the net's side: the session for
// an open, the counters, the log lines and last_tls_error().
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dtu/hal/log.hpp"
#include "dtu/hal/net.hpp"
#include "dtu/hal/tls.hpp"
#include "hal_sim/net_status.hpp"
#include "hal_sim/tls_context.hpp"

namespace dtu::hal_sim {

class TlsSession;

/// The net's TLS bookkeeping: counters (tls_failures, tls_errors), a Warn log line for each failure
/// and the last one's text.
class TlsNetReport {
public:
    /// log and counters outlive it.
    TlsNetReport(hal::Log& log, NetCounters& counters) : log_(log), counters_(counters) {}

    /// The session for a TLS open from the context cache, or nullptr when the settings cannot work
    /// (no CA for PEER, text that is not a certificate, a key that does not match): then failed()
    /// has been reported.
    std::unique_ptr<TlsSession> session(TlsContextCache& cache, hal::LinkId id, const hal::TlsParams& tls,
                                        std::string_view host, std::uint16_t port);
    /// "link A: TLS handshake with host:port failed: reason"
    void failed(hal::LinkId id, std::string_view host, std::uint16_t port, const std::string& reason);
    /// "link A: TLS connection to remote broken: reason"
    void broken(hal::LinkId id, const std::string& remote, const std::string& reason);
    /// The last failure's text, empty if none.
    const std::string& last_error() const { return last_; }

private:
    hal::Log& log_;
    NetCounters& counters_;
    std::string last_;
};

/// What a TLS link needs from its Conn.
class TlsTransport {
public:
    /// Records towards the server, into the upstream delay line.
    virtual void tls_send(std::string records) = 0;
    /// The handshake completed: the firmware gets on_connected.
    virtual void tls_connected() = 0;
    /// Decrypted bytes for the firmware.
    virtual void tls_plaintext(const std::string& plaintext) = 0;
    /// The handshake failed (already reported): the firmware gets on_connect_failed(TlsFailed).
    virtual void tls_failed() = 0;
    /// The established link ended (a TLS error, already reported: Reset; close_notify: PeerClosed).
    virtual void tls_ended(hal::NetError why) = 0;
    /// The link is gone for the firmware (closed, or closed by it): nothing more is delivered.
    virtual bool tls_gone() const = 0;
    /// The server as the log names it ("ip:port").
    virtual const std::string& tls_remote() const = 0;

protected:
    ~TlsTransport() = default;
};

class TlsLink {
public:
    /// transport, report and log outlive it; host and port are what the firmware opened.
    TlsLink(std::unique_ptr<TlsSession> session, TlsTransport& transport, TlsNetReport& report, hal::Log& log,
            hal::LinkId id, std::string host, std::uint16_t port);
    ~TlsLink();
    TlsLink(const TlsLink&) = delete;
    TlsLink& operator=(const TlsLink&) = delete;

    /// The transport is up (TCP connected): the handshake begins. utc: the time certificates are
    /// checked against (virtual time: the network's); nullopt: the host's clock.
    void start(std::optional<std::time_t> utc);
    /// start() was called: a connect failure from now on is the handshake's.
    bool started() const { return started_; }
    /// The handshake completed.
    bool established() const { return established_; }
    /// Records that came through the downstream delay line.
    void on_records(const std::string& records);
    /// The server's FIN / RST came through before the handshake completed: reported, tls_failed.
    void on_transport_end_in_handshake(hal::NetError why);
    /// Encrypt the firmware's bytes towards the server. False unless established.
    bool write(std::string_view plaintext);
    /// The firmware closes: close_notify goes out behind the data already sent.
    void close();
    /// The TLS fields of the link's status.
    void fill(NetLinkSnapshot& s) const;

private:
    void flush();

    std::unique_ptr<TlsSession> session_;
    TlsTransport& transport_;
    TlsNetReport& report_;
    hal::Log& log_;
    const hal::LinkId id_;
    const std::string host_;
    const std::uint16_t port_;
    bool started_ = false;
    bool established_ = false;
};

} // namespace dtu::hal_sim
