#include "hal_sim/virtual_websockets.hpp"

#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace dtu::hal_sim {

VirtualWebSockets::VirtualWebSockets(Scheduler& scheduler, hal::Log& log, std::function<ConnId()> next_conn)
    : scheduler_(scheduler), log_(log), next_conn_(std::move(next_conn)),
      alive_(std::make_shared<VirtualWebSockets*>(this)) {}

VirtualWebSockets::~VirtualWebSockets() { alive_.reset(); }

void VirtualWebSockets::post(std::function<void()> fn) {
    scheduler_.at(scheduler_.now(), [alive = std::weak_ptr<VirtualWebSockets*>(alive_), fn = std::move(fn)] {
        if (alive.lock()) fn();
    });
}

ConnId VirtualWebSockets::connect(std::uint16_t port, const hal::NetAddress& from, VirtualServer& peer) {
    const ConnId conn = next_conn_();
    post([this, conn, port, from, &peer] { open(conn, port, from, peer); });
    return conn;
}

void VirtualWebSockets::open(ConnId conn, std::uint16_t port, hal::NetAddress from, VirtualServer& peer) {
    if (!listener_ || port != port_) {
        log_.write(hal::LogLevel::Info, "websocket: nothing serves tcp/" + std::to_string(port) +
                                            ": the client's connect is refused");
        return peer.on_closed(conn, true);
    }
    hal::WsClientId id = 0;
    if (!free_id(id) || !listener_->on_ws_open(id, from)) return peer.on_closed(conn, false); // 1013
    clients_[id] = Client{conn, &peer};
    by_conn_[conn] = id;
    if (peer.on_connect(conn)) return;
    drop(conn, id); // the peer gave up at once
    listener_->on_ws_closed(id);
}

bool VirtualWebSockets::free_id(hal::WsClientId& id) const {
    for (unsigned i = 0; i <= std::numeric_limits<hal::WsClientId>::max(); ++i)
        if (!clients_.count(static_cast<hal::WsClientId>(i))) {
            id = static_cast<hal::WsClientId>(i);
            return true;
        }
    return false;
}

bool VirtualWebSockets::drop(ConnId conn, hal::WsClientId& id) {
    const auto it = by_conn_.find(conn);
    if (it == by_conn_.end()) return false;
    id = it->second;
    by_conn_.erase(it);
    clients_.erase(id);
    return true;
}

bool VirtualWebSockets::serve(std::uint16_t port, hal::WebSocketListener& listener) {
    if (listener_ && port != port_) stop();
    listener_ = &listener;
    port_ = port;
    log_.write(hal::LogLevel::Info, "websocket: listening on tcp/" + std::to_string(port) + " (virtual)");
    return true;
}

bool VirtualWebSockets::send(hal::WsClientId client, std::string_view bytes) {
    const auto it = clients_.find(client);
    if (it == clients_.end()) return false;
    // Delivered even if the device closes right after (the message leaves before the close frame),
    // not once the peer itself closed.
    post([this, c = it->second, data = std::string(bytes)] {
        if (!peer_closed_.count(c.conn)) c.peer->on_data(c.conn, data);
    });
    return true;
}

void VirtualWebSockets::close(hal::WsClientId client) {
    const auto it = clients_.find(client);
    if (it == clients_.end()) return;
    const Client c = it->second;
    hal::WsClientId id = client;
    drop(c.conn, id);
    post([c] { c.peer->on_closed(c.conn, false); }); // close frame 1000
}

void VirtualWebSockets::stop() {
    std::vector<hal::WsClientId> open;
    for (const auto& [id, c] : clients_)
        open.push_back(id);
    for (const hal::WsClientId id : open)
        close(id);
    listener_ = nullptr;
}

bool VirtualWebSockets::server_send(ConnId conn, std::string_view bytes) {
    const auto it = by_conn_.find(conn);
    if (it == by_conn_.end()) return false;
    post([this, conn, id = it->second, data = std::string(bytes)] {
        const auto now = by_conn_.find(conn);
        if (now != by_conn_.end() && now->second == id && listener_) listener_->on_ws_message(id, data);
    });
    return true;
}

void VirtualWebSockets::server_close(ConnId conn, bool /*reset*/) {
    hal::WsClientId id = 0;
    if (!drop(conn, id)) return;
    peer_closed_.insert(conn);
    post([this, id] {
        if (listener_) listener_->on_ws_closed(id);
    });
}

} // namespace dtu::hal_sim
