#pragma once
// The server side of the device's connections, as the scenario's peers see it: the peer
// (VirtualServer) gets connects, bytes and closes; it answers through a ServerLink. In virtual time
// the link is the VirtualNet itself; in real time it is a LoopbackServer (real sockets on
// 127.0.0.1 that the device's AsioNet is redirected to). NetObserver reports the device's side.
#include <cstdint>
#include <string_view>

#include "dtu/hal/net.hpp"

namespace dtu::hal_sim {

/// One connection as a server sees it: 1, 2, ... per VirtualNet or LoopbackServer (never reused).
using ConnId = std::uint32_t;

/// The server side of a connection (implemented by the scenario's peers). Calls come from the
/// scheduler (or the io_context), never inside a ServerLink call.
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
    /// An open link ended as the firmware gets it (on_closed: peer FIN/RST, reset injection,
    /// registration lost). Not called for the firmware's own close().
    virtual void on_closed(hal::LinkId /*link*/, hal::NetError /*why*/) {}
    /// Bytes the firmware sent on link, and the firmware's own close of it. VirtualNet's servers see
    /// both themselves; ObservedNet reports them for peers nothing in-process sees (dtu-sim --trace).
    virtual void on_to_server(hal::LinkId /*link*/, std::string_view /*bytes*/) {}
    virtual void on_device_close(hal::LinkId /*link*/) {}
};

/// Where a peer's answers go: bytes towards the device and the end of a connection.
class ServerLink {
public:
    virtual ~ServerLink() = default;
    /// Bytes towards the device (UDP: one datagram). False if conn is not open or cannot take more.
    virtual bool server_send(ConnId conn, std::string_view bytes) = 0;
    /// The server ends conn: a FIN after what it sent (reset = false) or an RST. UDP: the server
    /// just stops receiving on conn.
    virtual void server_close(ConnId conn, bool reset) = 0;
    /// Whether new TCP connections are taken at all. A VirtualNet asks the peer at each SYN
    /// (VirtualServer::on_connect), so it ignores this; a real listener stops listening, so the
    /// host refuses connections as a real closed port does.
    virtual void set_accepting(bool /*accepting*/) {}
};

} // namespace dtu::hal_sim
