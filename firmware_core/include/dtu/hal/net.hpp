#pragma once
// HAL: the module's network as the firmware sees it — client sockets over the cellular bearer, and
// (Ethernet modules, K7 §4.2) server sockets on the LAN: TCP listeners whose accepted clients are
// links of their own, and UDP sockets bound to a local port that talk to any address.
#include <cstdint>
#include <string_view>

#include "dtu/hal/link_plan.hpp"
#include "dtu/hal/tls.hpp"

namespace dtu::hal {

enum class Proto : std::uint8_t { Tcp, Udp };

/// An IPv4 address and port on the module's network. ip in host order: 192.168.0.7 = 0xC0A80007.
struct NetAddress {
    std::uint32_t ip = 0;
    std::uint16_t port = 0;
    friend bool operator==(const NetAddress& a, const NetAddress& b) {
        return a.ip == b.ip && a.port == b.port;
    }
    friend bool operator!=(const NetAddress& a, const NetAddress& b) { return !(a == b); }
};

/// Why a connect failed or a connection ended.
enum class NetError : std::uint8_t {
    None,
    DnsFailed,   ///< the name did not resolve
    Refused,     ///< connection refused
    Timeout,     ///< no answer within the connect timeout
    Reset,       ///< the peer reset the connection
    PeerClosed,  ///< the peer closed (TCP FIN)
    NotAttached, ///< no data link (registration lost)
    Invalid,     ///< bad host or port
    TlsFailed,   ///< the TLS handshake failed (certificate not verified, version, bad key...)
};

/// Events from the link, delivered on the firmware executor, never inside a Net call.
class NetListener {
public:
    virtual ~NetListener() = default;
    virtual void on_connected(LinkId id) = 0;
    virtual void on_connect_failed(LinkId id, NetError why) = 0;
    /// Payload from the server (TCP: a chunk of the stream; UDP: one datagram).
    virtual void on_data(LinkId id, std::string_view bytes) = 0;
    /// An open connection ended (not called after close()).
    virtual void on_closed(LinkId id, NetError why) = 0;
    /// Network registration (data attach) changed.
    virtual void on_attach_changed(bool attached) = 0;
    /// A link that was send_busy() has drained below its limit: it takes serial data again.
    virtual void on_send_drained(LinkId id) { (void)id; }

    // ---- server sockets (Net::listen) ----
    /// listen(id, ...) is bound and taking connections / datagrams.
    virtual void on_listening(LinkId id) { (void)id; }
    /// listen(id, ...) could not start (Invalid: port 0 or a bad range; NotAttached: no network).
    virtual void on_listen_failed(LinkId id, NetError why) {
        (void)id;
        (void)why;
    }
    /// A client connected to TCP listener `listener`; it is link `conn` (one of the listen() range),
    /// already connected: send / close / on_data / on_closed as for a client link.
    virtual void on_accepted(LinkId listener, LinkId conn, const NetAddress& peer) {
        (void)listener;
        (void)conn;
        (void)peer;
    }
    /// A datagram reached UDP socket id bound by listen(); `from` is its source (answer with send_to).
    virtual void on_datagram(LinkId id, const NetAddress& from, std::string_view bytes) {
        (void)id;
        (void)from;
        (void)bytes;
    }
};

class Net {
public:
    virtual ~Net() = default;
    /// Where events go; nullptr stops them. Set once by the firmware at boot.
    virtual void set_listener(NetListener* listener) = 0;
    /// Whether the module is registered with a data bearer.
    virtual bool attached() const = 0;
    /// Start a client connection (UDP: bind a socket aimed at host:port). Exactly one of
    /// on_connected / on_connect_failed follows. An id already in use is closed first.
    /// tls (TCP only; nullptr = plain): on_connected comes after the TLS handshake, send() and
    /// on_data carry the plaintext; a failed handshake is on_connect_failed(TlsFailed).
    virtual void open(LinkId id, Proto proto, std::string_view host, std::uint16_t port,
                      const TlsParams* tls) = 0;
    /// A plain connection.
    void open(LinkId id, Proto proto, std::string_view host, std::uint16_t port) {
        open(id, proto, host, port, nullptr);
    }
    /// Queue bytes for the server (UDP: one datagram). False when id is not connected, or when its
    /// send queue is full (the module refuses the bytes).
    virtual bool send(LinkId id, std::string_view bytes) = 0;
    /// Flow control: id's send queue is over the module's limit (the server takes the bytes more
    /// slowly than they come). send() still takes bytes for a while; the firmware stops taking
    /// serial data (hal::Uart::hold_rx) until NetListener::on_send_drained(id). A link that is not
    /// connected is never busy. A module without the notion is never busy.
    virtual bool send_busy(LinkId id) const {
        (void)id;
        return false;
    }
    /// Close (TCP FIN). No event follows for this id. For a listener: it stops listening; the
    /// connections it accepted stay open (close them one by one).
    virtual void close(LinkId id) = 0;

    // ---- server sockets: Ethernet modules (K7 §4.2.2 TCP Server, §4.2.4 UDP Server) ----
    /// Listen on the module's local `port` (the port its parameters name; the host may map it, see
    /// hal_sim/host_ports.hpp). TCP: accepted clients get the free ids of `accepted` in turn
    /// (on_accepted); a client arriving when none is free is refused (closed at once, counted): the
    /// firmware keeps one id spare to accept and then close its oldest client. UDP: a socket bound
    /// to port that receives datagrams from any address (on_datagram) and sends with send_to;
    /// `accepted` is unused. One of on_listening / on_listen_failed follows. An id in use is
    /// closed first. Losing the registration ends the accepted clients, not the listener.
    /// False (and no event): the module has no server sockets.
    virtual bool listen(LinkId id, Proto proto, std::uint16_t port, LinkRange accepted) {
        (void)id;
        (void)proto;
        (void)port;
        (void)accepted;
        return false;
    }
    /// One datagram from UDP socket id (bound by listen(), or a client socket) to `to`; to.ip ==
    /// 0xFFFFFFFF is a broadcast. False when id is not a UDP socket or its queue is full.
    virtual bool send_to(LinkId id, const NetAddress& to, std::string_view bytes) {
        (void)id;
        (void)to;
        (void)bytes;
        return false;
    }
};

} // namespace dtu::hal
