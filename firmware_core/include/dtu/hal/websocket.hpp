#pragma once
// HAL: the module's websocket server, "webpage to serial" (K7 §4.2.6, spec k7 §9). The board does
// the RFC 6455 handshake and framing (its websocket library); the firmware decides which clients it
// takes and what their messages mean.
#include <cstdint>
#include <string_view>

#include "dtu/hal/net.hpp"

namespace dtu::hal {

/// A websocket client of the module, 0.. in the order they connected (reused after they close).
using WsClientId = std::uint8_t;

/// Events, delivered on the firmware executor, never inside a WebSockets call.
class WebSocketListener {
public:
    virtual ~WebSocketListener() = default;
    /// A client finished the opening handshake. False refuses it (the board closes it at once with
    /// status 1013 "try again later"); true: it is open until on_ws_closed or close().
    virtual bool on_ws_open(WsClientId client, const NetAddress& peer) = 0;
    /// One whole message (binary, or text as its UTF-8 bytes) from an open client.
    virtual void on_ws_message(WsClientId client, std::string_view bytes) = 0;
    /// An open client went away (closed, reset, or a protocol error the board refused). Not called
    /// after close().
    virtual void on_ws_closed(WsClientId client) = 0;
};

class WebSockets {
public:
    virtual ~WebSockets() = default;
    /// Accept websocket clients on the module's `port` (the host may map it). A serve() before
    /// replaces it. False (logged) when the board cannot serve that port.
    virtual bool serve(std::uint16_t port, WebSocketListener& listener) = 0;
    /// One binary message to an open client. False when it is not open or its queue is full.
    virtual bool send(WsClientId client, std::string_view bytes) = 0;
    /// Close one client (close frame 1000). No event follows for it.
    virtual void close(WsClientId client) = 0;
    /// Stop serving and close every client; no event follows.
    virtual void stop() = 0;
};

} // namespace dtu::hal
