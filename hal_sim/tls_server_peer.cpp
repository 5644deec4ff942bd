#include "hal_sim/tls_server_peer.hpp"

#include <utility>

#include "hal_sim/tls_session.hpp"

namespace dtu::hal_sim {

TlsServerPeer::TlsServerPeer(SslCtxPtr ctx, bool verify_client, ServerLink& outer, Clock now)
    : ctx_(std::move(ctx)), verify_client_(verify_client), outer_(outer), now_(std::move(now)) {}

TlsServerPeer::~TlsServerPeer() = default;

bool TlsServerPeer::on_connect(ConnId conn) {
    if (inner_ && !inner_->on_connect(conn)) return false;
    Conn c;
    c.session = TlsSession::server(ctx_, verify_client_);
    if (now_) c.session->set_verify_time(std::chrono::system_clock::to_time_t(now_()));
    c.session->start(); // waits for the ClientHello
    conns_[conn] = std::move(c);
    return true;
}

void TlsServerPeer::on_data(ConnId conn, std::string_view records) {
    auto it = conns_.find(conn);
    if (it == conns_.end()) return;
    Conn& c = it->second;
    c.session->feed(records);
    flush(conn, c);
    if (!c.done && c.session->state() == TlsSession::State::Established) {
        record(conn, c, true, {});
        if (!c.pending.empty()) {
            c.session->write(std::exchange(c.pending, std::string()));
            flush(conn, c);
        }
    }
    const std::string plain = c.session->take_plaintext();
    const bool failed = c.session->state() == TlsSession::State::Failed;
    if (failed && !c.done) record(conn, c, false, c.session->error());
    if (!plain.empty() && inner_) inner_->on_data(conn, plain); // may close conn
    if (failed) end_failed(conn);
}

void TlsServerPeer::on_closed(ConnId conn, bool reset) {
    auto it = conns_.find(conn);
    if (it == conns_.end()) return;
    if (!it->second.done)
        record(conn, it->second, false,
               reset ? "the client reset the connection during the handshake"
                     : "the client closed the connection during the handshake");
    conns_.erase(it);
    if (inner_) inner_->on_closed(conn, reset);
}

bool TlsServerPeer::server_send(ConnId conn, std::string_view bytes) {
    auto it = conns_.find(conn);
    if (it == conns_.end()) return false;
    Conn& c = it->second;
    if (c.session->state() == TlsSession::State::Handshaking) {
        c.pending.append(bytes);
        return true;
    }
    if (!c.session->write(bytes)) return false;
    flush(conn, c);
    return true;
}

void TlsServerPeer::server_close(ConnId conn, bool reset) {
    auto it = conns_.find(conn);
    if (it == conns_.end()) return;
    if (!reset) {
        it->second.session->shutdown(); // close_notify before the FIN
        flush(conn, it->second);
    }
    conns_.erase(it);
    outer_.server_close(conn, reset);
}

void TlsServerPeer::flush(ConnId conn, Conn& c) {
    std::string out = c.session->take_output();
    if (!out.empty()) outer_.server_send(conn, out);
}

void TlsServerPeer::record(ConnId conn, Conn& c, bool ok, std::string error) {
    c.done = true;
    TlsHandshake h;
    h.conn = conn;
    h.ok = ok;
    if (ok) {
        const TlsOutcome& o = c.session->outcome();
        h.version = o.version;
        h.cipher = o.cipher;
        h.client_subject = o.peer_subject;
        h.server_name = o.server_name;
    }
    h.error = std::move(error);
    handshakes_.push_back(h);
    if (on_handshake_) on_handshake_(h);
}

void TlsServerPeer::end_failed(ConnId conn) {
    auto it = conns_.find(conn);
    if (it == conns_.end()) return; // the peer closed it meanwhile
    conns_.erase(it);
    outer_.server_close(conn, false); // the alert (already sent) and the FIN
    if (inner_) inner_->on_closed(conn, true);
}

} // namespace dtu::hal_sim
