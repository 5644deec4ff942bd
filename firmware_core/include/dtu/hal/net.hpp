#pragma once
// HAL: the cellular data link as the firmware sees it — client sockets over the module's bearer.
#include <cstdint>
#include <string_view>

#include "dtu/hal/tls.hpp"

namespace dtu::hal {

enum class Proto : std::uint8_t { Tcp, Udp };

/// Socket slot: 0..3 = sockets A..D (the firmware decides what a slot is used for).
using LinkId = std::uint8_t;
inline constexpr LinkId kMaxLinks = 8;

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
    /// Close (TCP FIN). No event follows for this id.
    virtual void close(LinkId id) = 0;
};

} // namespace dtu::hal
