#pragma once
// A TLS front for an in-process peer: it sits between a ServerLink (the VirtualNet in virtual time,
// a LoopbackServer in real time) and the peer (a scenario's ScriptedServer, the broker model), runs
// a server TlsSession per connection over the link's records and hands the peer plaintext only.
//
// - A connection is the peer's from the SYN: on_connect asks it (so `accept: false` refuses the
//   SYN as without TLS), and its end reaches it whatever happened to the handshake. Plaintext flows
//   once the handshake completed; what the peer sends before that waits for it.
// - Certificate dates (the client's, with a client CA) are checked against `now` (virtual time: the
//   scenario's network time), or the host's clock.
// - Every handshake's outcome is kept (handshakes()) and reported (on_handshake): version, cipher,
//   the client certificate's subject, or why it failed (a TLS error, or the client giving up: the
//   module closes without a word when it refuses the server's certificate).
// - The peer's close() sends close_notify, then the FIN (reset: the RST alone).
// Single-threaded: everything on the link's executor.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hal_sim/net_peer.hpp"
#include "hal_sim/tls_context.hpp"

namespace dtu::hal_sim {

class TlsSession;

/// One handshake as the server saw it.
struct TlsHandshake {
    ConnId conn = 0;
    bool ok = false;
    std::string version;        ///< "TLSv1.2" (ok only)
    std::string cipher;         ///< "ECDHE-ECDSA-AES256-GCM-SHA384" (ok only)
    std::string client_subject; ///< "CN=dtu-device" (RFC 2253); empty: no client certificate
    std::string server_name;    ///< the SNI the device sent (AT+SSLCFG); empty: none (ok only)
    std::string error;          ///< why it failed (not ok)
};

class TlsServerPeer final : public VirtualServer, public ServerLink {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    /// ctx: build_tls_server_context. verify_client: the context has a client CA (ask for and check
    /// the client's certificate). outer: where the records go; it outlives this object.
    TlsServerPeer(SslCtxPtr ctx, bool verify_client, ServerLink& outer, Clock now = {});
    ~TlsServerPeer() override;
    TlsServerPeer(const TlsServerPeer&) = delete;
    TlsServerPeer& operator=(const TlsServerPeer&) = delete;

    /// The plaintext peer (outlives this object, or is replaced first). Its ServerLink is this.
    void serve(VirtualServer& inner) { inner_ = &inner; }
    /// Called at each handshake's end (completed or failed).
    void on_handshake(std::function<void(const TlsHandshake&)> fn) { on_handshake_ = std::move(fn); }
    /// Every handshake's outcome so far, in order.
    const std::vector<TlsHandshake>& handshakes() const { return handshakes_; }

    // VirtualServer: from the link (records).
    bool on_connect(ConnId conn) override;
    void on_data(ConnId conn, std::string_view records) override;
    void on_closed(ConnId conn, bool reset) override;
    // ServerLink: from the peer (plaintext).
    bool server_send(ConnId conn, std::string_view bytes) override;
    void server_close(ConnId conn, bool reset) override;
    void set_accepting(bool accepting) override { outer_.set_accepting(accepting); }

private:
    struct Conn {
        std::unique_ptr<TlsSession> session;
        bool done = false;   ///< the handshake's outcome is recorded
        std::string pending; ///< the peer's bytes before the handshake completed
    };

    /// Move the session's records to the link.
    void flush(ConnId conn, Conn& c);
    void record(ConnId conn, Conn& c, bool ok, std::string error);
    /// The session failed: the alert goes out, the connection ends, the peer hears it.
    void end_failed(ConnId conn);

    SslCtxPtr ctx_;
    const bool verify_client_;
    ServerLink& outer_;
    Clock now_;
    VirtualServer* inner_ = nullptr;
    std::map<ConnId, Conn> conns_;
    std::vector<TlsHandshake> handshakes_;
    std::function<void(const TlsHandshake&)> on_handshake_;
};

} // namespace dtu::hal_sim
