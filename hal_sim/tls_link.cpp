#include "hal_sim/tls_link.hpp"

#include <utility>

#include "hal_sim/net_open_refusal.hpp"
#include "hal_sim/tls_session.hpp"

namespace dtu::hal_sim {

// ---- TlsNetReport -----------------------------------------------------------------------------------

std::unique_ptr<TlsSession> TlsNetReport::session(TlsContextCache& cache, hal::LinkId id,
                                                  const hal::TlsParams& tls, std::string_view host,
                                                  std::uint16_t port) {
    TlsContextResult ctx = cache.get(tls);
    std::string error = ctx.error;
    std::unique_ptr<TlsSession> session;
    if (ctx) {
        session = std::make_unique<TlsSession>(std::move(ctx.ctx), tls, host);
        if (session->state() == TlsSession::State::Failed) error = session->error();
    }
    if (error.empty()) return session;
    failed(id, host, port, error);
    return nullptr;
}

void TlsNetReport::failed(hal::LinkId id, std::string_view host, std::uint16_t port,
                          const std::string& reason) {
    counters_.tls_failures++;
    last_ = tls_handshake_failed(id, host, port, reason);
    log_.write(hal::LogLevel::Warn, last_);
}

void TlsNetReport::broken(hal::LinkId id, const std::string& remote, const std::string& reason) {
    counters_.tls_errors++;
    last_ = net_link_name(id) + ": TLS connection to " + remote + " broken: " + reason;
    log_.write(hal::LogLevel::Warn, last_);
}

// ---- TlsLink ----------------------------------------------------------------------------------------

TlsLink::TlsLink(std::unique_ptr<TlsSession> session, TlsTransport& transport, TlsNetReport& report,
                 hal::Log& log, hal::LinkId id, std::string host, std::uint16_t port)
    : session_(std::move(session)), transport_(transport), report_(report), log_(log), id_(id),
      host_(std::move(host)), port_(port) {}

TlsLink::~TlsLink() = default;

void TlsLink::start(std::optional<std::time_t> utc) {
    started_ = true;
    if (utc) session_->set_verify_time(*utc);
    session_->start();
    flush();
    if (transport_.tls_gone()) return;
    if (session_->state() == TlsSession::State::Failed) {
        report_.failed(id_, host_, port_, session_->error());
        transport_.tls_failed();
    }
}

void TlsLink::on_records(const std::string& records) {
    const bool handshaking = !established_;
    session_->feed(records);
    flush();
    if (transport_.tls_gone()) return;
    if (handshaking) {
        if (session_->state() == TlsSession::State::Failed) {
            report_.failed(id_, host_, port_, session_->error());
            return transport_.tls_failed();
        }
        if (session_->state() != TlsSession::State::Established) return; // more handshake to come
        established_ = true;
        const TlsOutcome& o = session_->outcome();
        log_.write(hal::LogLevel::Debug, net_link_name(id_) + ": TLS " + o.version + " " + o.cipher +
                                             (o.verified ? ", server verified" : ", not verified"));
        transport_.tls_connected();
        if (transport_.tls_gone()) return;
    }
    // What was decrypted before an error or the server's close_notify still goes to the firmware.
    const std::string plain = session_->take_plaintext();
    if (!plain.empty()) transport_.tls_plaintext(plain);
    if (transport_.tls_gone()) return;
    if (session_->state() == TlsSession::State::Failed) {
        report_.broken(id_, transport_.tls_remote(), session_->error());
        return transport_.tls_ended(hal::NetError::Reset); // a TLS error ends the connection
    }
    // close_notify: the server is done; the device closes as on a FIN (which usually follows).
    if (session_->peer_closed()) transport_.tls_ended(hal::NetError::PeerClosed);
}

void TlsLink::on_transport_end_in_handshake(hal::NetError why) {
    report_.failed(id_, host_, port_,
                   why == hal::NetError::Reset ? "connection reset during the TLS handshake"
                                               : "the server closed the connection during the TLS handshake");
    transport_.tls_failed();
}

bool TlsLink::write(std::string_view plaintext) {
    if (!session_->write(plaintext)) return false;
    flush();
    return true;
}

void TlsLink::close() {
    if (!established_) return;
    session_->shutdown();
    flush();
}

void TlsLink::fill(NetLinkSnapshot& s) const {
    s.tls = true;
    s.tls_version = session_->outcome().version;
    s.tls_cipher = session_->outcome().cipher;
    s.tls_verified = session_->outcome().verified;
}

void TlsLink::flush() {
    std::string out = session_->take_output();
    if (!out.empty()) transport_.tls_send(std::move(out));
}

} // namespace dtu::hal_sim
