#pragma once
// The server sockets a simulated net keeps (AsioNet in real time, VirtualNet in virtual time): which
// link ids are listening on which device port, and the id an accepted client gets. One definition
// for both nets; the sockets themselves (a host acceptor, an in-process port) are each net's own.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dtu/hal/net.hpp"
#include "dtu/hal/net_address_text.hpp"

namespace dtu::hal_sim {

/// One link id's server socket (Net::listen), if it has one.
struct NetListen {
    bool active = false;
    hal::Proto proto = hal::Proto::Tcp;
    std::uint16_t port = 0;    ///< the device's port (what the firmware asked for)
    hal::LinkRange accepted{}; ///< TCP: the ids its clients get
};

using NetListens = std::array<NetListen, hal::kMaxLinks>;

/// Why a listen() cannot start, or nullopt. K7 §4.2.2: a server needs a local port; the accepted
/// range must be real link ids that do not include the listener's own.
inline std::optional<hal::NetError> listen_invalid(hal::LinkId id, hal::Proto proto, std::uint16_t port,
                                                   hal::LinkRange accepted) {
    if (id >= hal::kMaxLinks || port == 0) return hal::NetError::Invalid;
    if (proto == hal::Proto::Tcp &&
        (accepted.count == 0 || accepted.first + accepted.count > hal::kMaxLinks || accepted.contains(id)))
        return hal::NetError::Invalid;
    return std::nullopt;
}

/// The link id listening for proto on device port, or nullopt.
inline std::optional<hal::LinkId> find_listener(const NetListens& listens, hal::Proto proto,
                                                std::uint16_t port) {
    for (hal::LinkId id = 0; id < listens.size(); ++id)
        if (listens[id].active && listens[id].proto == proto && listens[id].port == port) return id;
    return std::nullopt;
}

/// The first id of range that is free (in_use(id) false, not a listener), or nullopt: the client
/// is refused (hal::Net::listen).
template <class InUse>
std::optional<hal::LinkId> free_accept_id(const NetListens& listens, hal::LinkRange range, InUse in_use) {
    for (unsigned i = 0; i < range.count; ++i) {
        const auto id = static_cast<hal::LinkId>(range.first + i);
        if (id < listens.size() && !listens[id].active && !in_use(id)) return id;
    }
    return std::nullopt;
}

/// A server socket as the status shows it.
struct NetListenSnapshot {
    hal::LinkId id = 0;
    hal::Proto proto = hal::Proto::Tcp;
    std::uint16_t port = 0;    ///< the device's port (HostPorts says where the host bound it)
    hal::LinkRange accepted{}; ///< TCP: the ids its clients get
    unsigned clients = 0;      ///< TCP: accepted clients open now
};

/// Every active server socket, by id; in_use(id) says whether an accepted id is an open link.
template <class InUse>
std::vector<NetListenSnapshot> listen_snapshot(const NetListens& listens, InUse in_use) {
    std::vector<NetListenSnapshot> out;
    for (hal::LinkId id = 0; id < listens.size(); ++id) {
        const NetListen& l = listens[id];
        if (!l.active) continue;
        NetListenSnapshot s{id, l.proto, l.port, l.accepted, 0};
        if (l.proto == hal::Proto::Tcp)
            for (unsigned i = 0; i < l.accepted.count; ++i)
                if (in_use(static_cast<hal::LinkId>(l.accepted.first + i))) ++s.clients;
        out.push_back(s);
    }
    return out;
}

/// "tcp/23" for logs and status.
inline std::string listen_name(hal::Proto proto, std::uint16_t port) {
    return std::string(proto == hal::Proto::Tcp ? "tcp/" : "udp/") + std::to_string(port);
}

/// "192.168.0.7" (ip in host order).
inline std::string net_ip_text(std::uint32_t ip) { return hal::ip_text(ip); }

/// "192.168.0.7:4001".
inline std::string net_address_text(const hal::NetAddress& a) { return hal::address_text(a); }

} // namespace dtu::hal_sim
