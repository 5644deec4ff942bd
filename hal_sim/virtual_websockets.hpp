#pragma once
// The K7's websocket server (hal::WebSockets, K7 §4.2.6) in virtual time: a scenario's `clients:`
// peer with protocol websocket opens a client to the device's WEBSOCKPORT and exchanges whole
// messages with it. RFC 6455 framing is the host's job in real time (BeastWebSockets); here a peer
// sees what a browser's websocket API sees: open, messages, close. The LAN adds no delay, but every
// event is a scheduler task (never inside the call that caused it), in the order the calls came.
//
// A peer's connect(port, from, peer) is opened when the device serves that port and its listener
// takes the client (peer.on_connect(conn)); else the peer gets on_closed(conn, reset): reset = true
// when nobody serves the port (the TCP connect is refused), false when the device turned it away
// (status 1013). From then on the peer answers through ServerLink as a server does.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string_view>

#include "dtu/hal/log.hpp"
#include "dtu/hal/websocket.hpp"
#include "hal_sim/net_peer.hpp"
#include "hal_sim/scheduler.hpp"

namespace dtu::hal_sim {

class VirtualWebSockets final : public hal::WebSockets, public ServerLink {
public:
    /// next_conn: the board's ConnId counter (VirtualNet's), so one id names one peer connection.
    VirtualWebSockets(Scheduler& scheduler, hal::Log& log, std::function<ConnId()> next_conn);
    ~VirtualWebSockets() override;
    VirtualWebSockets(const VirtualWebSockets&) = delete;
    VirtualWebSockets& operator=(const VirtualWebSockets&) = delete;

    /// A scenario peer at `from` opens a websocket to the device's port; the outcome comes from the
    /// scheduler (see the header comment). Returns the ConnId the peer will see.
    ConnId connect(std::uint16_t port, const hal::NetAddress& from, VirtualServer& peer);

    // hal::WebSockets (the device)
    bool serve(std::uint16_t port, hal::WebSocketListener& listener) override;
    bool send(hal::WsClientId client, std::string_view bytes) override;
    void close(hal::WsClientId client) override;
    void stop() override;

    // ServerLink (the peers)
    bool server_send(ConnId conn, std::string_view bytes) override;
    void server_close(ConnId conn, bool reset) override;

private:
    struct Client {
        ConnId conn = 0;
        VirtualServer* peer = nullptr;
    };
    /// fn on the scheduler now, dropped if this is gone by then.
    void post(std::function<void()> fn);
    void open(ConnId conn, std::uint16_t port, hal::NetAddress from, VirtualServer& peer);
    /// The lowest client id not in use (WsClientId: "reused after they close"); false: all taken.
    bool free_id(hal::WsClientId& id) const;
    /// Forget the open client on conn; false if it is not open.
    bool drop(ConnId conn, hal::WsClientId& id);

    Scheduler& scheduler_;
    hal::Log& log_;
    std::function<ConnId()> next_conn_;
    hal::WebSocketListener* listener_ = nullptr; ///< nullptr: not serving
    std::uint16_t port_ = 0;
    std::map<hal::WsClientId, Client> clients_; ///< the open ones
    std::map<ConnId, hal::WsClientId> by_conn_;
    std::set<ConnId> peer_closed_;              ///< closed by the peer: it hears nothing more
    std::shared_ptr<VirtualWebSockets*> alive_; ///< tasks hold a weak_ptr: none runs after this
};

} // namespace dtu::hal_sim
