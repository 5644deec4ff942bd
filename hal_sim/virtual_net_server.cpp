// VirtualNet's server sockets (hal::Net::listen, send_to) and the in-process clients that reach
// them (connect_client, client_datagram): an accepted client is the same Conn as a client link.
#include <string>
#include <utility>

#include "hal_sim/delay_line.hpp"
#include "hal_sim/virtual_net.hpp"
#include "hal_sim/virtual_net_conn.hpp"

namespace dtu::hal_sim {

void VirtualNet::stop_listening(hal::LinkId id) {
    if (id >= listens_.size() || !listens_[id].active) return;
    listens_[id].active = false; // K7 §4.2.2: the clients it accepted stay open
    log(hal::LogLevel::Info,
        net_link_name(id) + ": stopped listening on " + listen_name(listens_[id].proto, listens_[id].port));
}

bool VirtualNet::listen(hal::LinkId id, hal::Proto proto, std::uint16_t port, hal::LinkRange accepted) {
    if (id < slots_.size()) close(id); // an id in use is closed first
    std::optional<hal::NetError> why = listen_invalid(id, proto, port, accepted);
    if (!why && !attached()) why = hal::NetError::NotAttached;
    if (!why && find_listener(listens_, proto, port)) why = hal::NetError::Invalid; // port taken
    const std::uint32_t gen = id < slots_.size() ? slots_[id].gen : 0;
    if (why) {
        log(hal::LogLevel::Info,
            net_link_name(id) + ": listen " + listen_name(proto, port) + " failed: " + net_error_name(*why));
        later(scheduler_.now(), [this, id, gen, why = *why, epoch = epoch_] {
            if (current(id, gen, epoch))
                if (hal::NetListener* l = listener_for(id)) l->on_listen_failed(id, why);
        });
        return true;
    }
    listens_[id] = NetListen{true, proto, port, accepted};
    log(hal::LogLevel::Info, net_link_name(id) + ": listening on " + listen_name(proto, port));
    later(scheduler_.now(), [this, id, gen, epoch = epoch_] {
        if (current(id, gen, epoch) && listens_[id].active)
            if (hal::NetListener* l = listener_for(id)) l->on_listening(id);
    });
    return true;
}

ConnId VirtualNet::connect_client(hal::Proto proto, std::uint16_t device_port, hal::NetAddress from,
                                  VirtualServer& peer) {
    const ConnId conn = next_conn_id();
    if (proto != hal::Proto::Tcp) { // a UDP peer has no connection: client_datagram
        post_server_closed(&peer, conn, true);
        return conn;
    }
    later(scheduler_.now() + link_.connect_time(),
          [this, conn, device_port, from, &peer] { accept_client(conn, device_port, from, peer); });
    return conn;
}

void VirtualNet::accept_client(ConnId conn, std::uint16_t device_port, hal::NetAddress from,
                               VirtualServer& peer) {
    const auto listener = attached() ? find_listener(listens_, hal::Proto::Tcp, device_port) : std::nullopt;
    if (!listener) return peer.on_closed(conn, true); // nothing listens: the host answers RST
    const NetListen& l = listens_[*listener];
    const auto id =
        free_accept_id(listens_, l.accepted, [this](hal::LinkId i) { return slots_[i].conn != nullptr; });
    if (!id) { // hal::Net::listen: no free id, the client is closed at once
        counters_.accept_refused++;
        log(hal::LogLevel::Info, net_link_name(*listener) + ": " + listen_name(hal::Proto::Tcp, device_port) +
                                     " client " + net_address_text(from) + " refused (no free link)");
        return peer.on_closed(conn, true);
    }
    Slot& slot = slots_[*id];
    const std::uint32_t gen = ++slot.gen;
    slot.conn =
        std::make_shared<Conn>(*this, *id, gen, hal::Proto::Tcp, net_ip_text(from.ip), from.port, nullptr);
    slot.conn->start_accepted(peer, conn);
    counters_.accepts++;
    log(hal::LogLevel::Debug, net_link_name(*id) + ": accepted " + net_address_text(from) + " on " +
                                  listen_name(hal::Proto::Tcp, device_port));
    if (!peer.on_connect(conn)) {
        // The peer changed its mind: it resets what the device just accepted.
        if (const auto c = find_conn(conn)) c->server_close(true);
    }
    if (slots_[*id].gen != gen) return;
    if (hal::NetListener* fl = listener_for(*listener)) fl->on_accepted(*listener, *id, from);
}

ConnId VirtualNet::client_datagram(std::uint16_t device_port, hal::NetAddress from, std::string_view bytes,
                                   VirtualServer& peer) {
    UdpPeer* known = nullptr;
    for (UdpPeer& p : udp_peers_)
        if (p.address == from) known = &p;
    if (!known) {
        udp_peers_.push_back(UdpPeer{from, device_port, &peer, next_conn_id()});
        known = &udp_peers_.back();
    }
    known->peer = &peer;
    known->device_port = device_port;
    const ConnId conn = known->conn;
    datagram_to_device(device_port, from, conn, std::string(bytes));
    return conn;
}

void VirtualNet::datagram_to_device(std::uint16_t device_port, hal::NetAddress from, ConnId conn,
                                    std::string bytes) {
    const auto at = datagram_arrival(link_, Direction::Downstream, bytes.size(), scheduler_.now());
    if (!at) return; // lost on the way, as a client link's UDP
    later(*at, [this, device_port, from, conn, bytes = std::move(bytes), epoch = epoch_] {
        const auto id = attached() ? find_listener(listens_, hal::Proto::Udp, device_port) : std::nullopt;
        if (!id || epoch != epoch_) {
            counters_.udp_rx_unbound++;
            return;
        }
        if (NetObserver* o = observer_for(*id)) o->on_to_device(*id, conn, bytes);
        if (hal::NetListener* l = listener_for(*id)) l->on_datagram(*id, from, bytes);
    });
}

VirtualNet::UdpPeer* VirtualNet::find_udp_peer(ConnId conn) {
    for (UdpPeer& p : udp_peers_)
        if (p.conn == conn) return &p;
    return nullptr;
}

bool VirtualNet::send_to(hal::LinkId id, const hal::NetAddress& to, std::string_view bytes) {
    if (id >= listens_.size() || !listens_[id].active || listens_[id].proto != hal::Proto::Udp) {
        counters_.send_refused++;
        return false;
    }
    const auto at = datagram_arrival(link_, Direction::Upstream, bytes.size(), scheduler_.now());
    if (!at) return true; // lost on the radio: the sender believes it was sent
    later(*at, [this, to, data = std::string(bytes)] {
        for (const UdpPeer& p : udp_peers_)
            if (p.address == to || to.ip == 0xFFFFFFFF)
                p.peer->on_data(p.conn, data); // broadcast: every peer
    });
    return true;
}

} // namespace dtu::hal_sim
