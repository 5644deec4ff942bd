// AsioNet::Conn on a TLS link (G771 §2.6.2): the session's records cross the delay lines like any
// data; the handshake's outcome decides the connect, and its errors end the link.
#include "hal_sim/asio_conn.hpp"

#include "hal_sim/tls_session.hpp"

namespace dtu::hal_sim {

void AsioNet::Conn::fail_tls(const std::string& reason) {
    if (closed_) return;
    auto self = shared_from_this();
    abort();
    net_.counters_.connect_failures++;
    net_.tls_failed(id_, host_, port_, reason);
    net_.release(id_, gen_);
    net_.emit(id_, gen_,
              [id = id_](hal::NetListener& l) { l.on_connect_failed(id, hal::NetError::TlsFailed); });
}

void AsioNet::Conn::deliver_tls(const std::string& records) {
    const bool handshaking = state_ != NetLinkState::Connected;
    tls_->feed(records);
    flush_tls();
    if (closed_) return;
    if (handshaking) {
        if (tls_->state() == TlsSession::State::Failed) return fail_tls(tls_->error());
        if (tls_->state() != TlsSession::State::Established) return; // more handshake to come
        const TlsOutcome& o = tls_->outcome();
        net_.log(hal::LogLevel::Debug, net_link_name(id_) + ": TLS " + o.version + " " + o.cipher +
                                           (o.verified ? ", server verified" : ", not verified"));
        report_connected();
        if (closed_ || detached_) return;
    }
    // What was decrypted before an error or the server's close_notify still goes to the firmware.
    const std::string plain = tls_->take_plaintext();
    if (!plain.empty()) deliver_plain(plain);
    if (closed_ || detached_) return;
    if (tls_->state() == TlsSession::State::Failed) {
        net_.tls_broken(id_, remote_, tls_->error());
        return finish_closed(hal::NetError::Reset); // a TLS error ends the connection
    }
    // close_notify: the server is done; the device closes as on a FIN (which usually follows).
    if (tls_->peer_closed()) finish_closed(hal::NetError::PeerClosed);
}

void AsioNet::Conn::flush_tls() {
    std::string out = tls_->take_output();
    if (!out.empty()) offer_up(std::move(out));
}

} // namespace dtu::hal_sim
