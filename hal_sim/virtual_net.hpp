#pragma once
// hal::Net in virtual time: the device's sockets reach in-process servers (the scenario's peers)
// instead of host sockets. Every byte and every FIN/RST passes through the device's LinkImpairment
// exactly as in AsioNet (asio_net.hpp documents the contract this class keeps: connect time, stall,
// attach loss, queue caps, close() delivering what was sent, close_all()), scheduled on a Scheduler,
// so with a VirtualScheduler a run is deterministic and time jumps from event to event.
//
// Servers are registered by (protocol, host, port) as the device dials them (names compared as
// written, case-insensitive). A name no server declares does not resolve (DnsFailed); a declared
// host with no server on that port refuses TCP (Refused) and swallows UDP. TLS needs real peers:
// open() with tls fails with TlsFailed ("TLS needs --real-time"), logged.
#include <cstdint>
#include <string>
#include <string_view>

#include "dtu/hal/log.hpp"
#include "dtu/hal/net.hpp"
#include "hal_sim/link_impairment.hpp"
#include "hal_sim/scheduler.hpp"

namespace dtu::hal_sim {

/// One connection as a server sees it: 1, 2, ... per VirtualNet (never reused).
using ConnId = std::uint32_t;

/// The server side of a connection (implemented by the scenario's peers). Calls come from the
/// scheduler, never inside a VirtualNet call.
class VirtualServer {
public:
    virtual ~VirtualServer() = default;
    /// TCP: a SYN arrived; return false to refuse (the device gets Refused). UDP: the first datagram
    /// of a new device socket is about to arrive (the return value is ignored).
    virtual bool on_connect(ConnId conn) = 0;
    /// Bytes that reached the server (TCP: a chunk of the stream; UDP: one datagram).
    virtual void on_data(ConnId conn, std::string_view bytes) = 0;
    /// The device closed (FIN, reset = false) or the connection was reset (RST: link_reset, or the
    /// device's registration was lost). Not called after the server's own close().
    virtual void on_closed(ConnId conn, bool reset) = 0;
};

/// What the device side did, for traces (each call at the moment it happens).
class NetObserver {
public:
    virtual ~NetObserver() = default;
    virtual void on_open(hal::LinkId link, hal::Proto proto, std::string_view host, std::uint16_t port) = 0;
    /// on_connected / on_connect_failed as the firmware gets it (why == None: connected).
    virtual void on_result(hal::LinkId link, hal::NetError why) = 0;
    /// Bytes delivered to the firmware on link from the server's conn.
    virtual void on_to_device(hal::LinkId link, ConnId conn, std::string_view bytes) = 0;
};

} // namespace dtu::hal_sim
