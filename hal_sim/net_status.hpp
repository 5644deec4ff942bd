#pragma once
// What a simulated net (AsioNet in real time, VirtualNet in virtual time) shows about its links, for
// the control API's status and the scenario runner: one definition for both.
#include <cstddef>
#include <cstdint>
#include <string>

#include "dtu/hal/net.hpp"

namespace dtu::hal_sim {

/// State of one link slot, for status.
enum class NetLinkState : std::uint8_t { Idle, Resolving, Connecting, Connected, Closing };

/// One link as the control API shows it.
struct NetLinkSnapshot {
    hal::LinkId id = 0;
    hal::Proto proto = hal::Proto::Tcp;
    std::string host;
    std::uint16_t port = 0;
    std::string remote; ///< resolved server "ip:port" ("[v6]:port"), empty before
    std::string local;  ///< local "ip:port", empty before connected
    NetLinkState state = NetLinkState::Idle;
    std::uint64_t tx_bytes = 0, tx_packets = 0; ///< written to the server (TLS: record bytes)
    std::uint64_t rx_bytes = 0, rx_packets = 0; ///< delivered to the firmware (TLS: plaintext)
    std::size_t up_queued_bytes = 0;            ///< accepted by send(), not yet written
    std::size_t down_queued_bytes = 0;          ///< read from the server, not yet delivered
    bool tls = false;                           ///< opened with TLS (AT+SSLEN=ON)
    std::string tls_version, tls_cipher;        ///< negotiated; empty until the handshake completed
    bool tls_verified = false;                  ///< the server's certificate was verified (PEER/ALL)
};

/// Totals since the net was created.
struct NetCounters {
    std::uint64_t opens = 0;
    std::uint64_t connects = 0;         ///< on_connected
    std::uint64_t connect_failures = 0; ///< on_connect_failed (any reason)
    std::uint64_t closed_by_peer = 0;   ///< on_closed PeerClosed or Reset
    std::uint64_t closed_not_attached = 0;
    std::uint64_t closes = 0;         ///< close() on an open or opening link
    std::uint64_t send_refused = 0;   ///< send() returned false (not connected or queue full)
    std::uint64_t udp_rx_foreign = 0; ///< UDP datagrams from anyone but the server (dropped), receive errors
    std::uint64_t tls_failures = 0;   ///< on_connect_failed(TlsFailed): settings or handshake
    std::uint64_t tls_errors = 0;     ///< established TLS links ended by a TLS error
    std::uint64_t accepts = 0;        ///< on_accepted: a client of a TCP listener got a link id
    std::uint64_t accept_refused = 0; ///< a client came when the listener's range was full: closed at once
    std::uint64_t udp_rx_unbound = 0; ///< datagrams to a device port no UDP socket is bound to (dropped)
};

/// "link A" .. "link D" for the firmware's sockets, "link N" otherwise (log lines).
inline std::string net_link_name(hal::LinkId id) {
    if (id < 4) return std::string("link ") + static_cast<char>('A' + id);
    return "link " + std::to_string(id);
}

/// "idle", "resolving", "connecting", "connected", "closing".
inline const char* net_state_name(NetLinkState state) {
    switch (state) {
    case NetLinkState::Idle: return "idle";
    case NetLinkState::Resolving: return "resolving";
    case NetLinkState::Connecting: return "connecting";
    case NetLinkState::Connected: return "connected";
    case NetLinkState::Closing: return "closing";
    }
    return "?";
}

/// "none", "dns-failed", "refused", ... (logs and status).
inline const char* net_error_name(hal::NetError error) {
    switch (error) {
    case hal::NetError::None: return "none";
    case hal::NetError::DnsFailed: return "dns-failed";
    case hal::NetError::Refused: return "refused";
    case hal::NetError::Timeout: return "timeout";
    case hal::NetError::Reset: return "reset";
    case hal::NetError::PeerClosed: return "peer-closed";
    case hal::NetError::NotAttached: return "not-attached";
    case hal::NetError::Invalid: return "invalid";
    case hal::NetError::TlsFailed: return "tls-failed";
    }
    return "?";
}

} // namespace dtu::hal_sim
