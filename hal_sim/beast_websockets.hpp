#pragma once
// hal::WebSockets on Boost.Beast (RFC 6455): the K7's websocket server (K7 §4.2.6; spec
// k7-ethernet §9), async on the device's io_context (single-threaded). It binds through
// host_acceptor.hpp and records "tcp/<port>" in HostPorts. Messages out are binary; each client has a
// bounded send queue; a message over the read limit closes that client with 1009, a protocol error
// (Beast's checks: unmasked, bad opcode, bad continuation...) closes that client only; a client the
// firmware refuses is closed with 1013.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "dtu/hal/log.hpp"
#include "dtu/hal/websocket.hpp"
#include "hal_sim/host_acceptor.hpp"
#include "hal_sim/host_ports.hpp"

namespace dtu::hal_sim {

struct BeastWebSocketsOptions {
    std::size_t queue_limit = 64;        ///< messages waiting per client; send() false beyond
    std::size_t max_message = 64 * 1024; ///< read limit: a longer message closes with 1009
    std::size_t max_connections = 8;     ///< TCP connections at once (handshaking or open)
};

/// What the server saw since it was made.
struct BeastWebSocketsCounters {
    std::uint64_t connections = 0;     ///< TCP connections accepted
    std::uint64_t handshakes = 0;      ///< completed opening handshakes
    std::uint64_t bad_handshakes = 0;  ///< not a websocket upgrade, or it failed
    std::uint64_t refused = 0;         ///< closed with 1013: the firmware did not take it
    std::uint64_t too_big = 0;         ///< closed with 1009: a message over max_message
    std::uint64_t protocol_errors = 0; ///< closed for a bad frame
    std::uint64_t queue_full = 0;      ///< send() refused: the client's queue was full
};

class BeastWebSockets final : public hal::WebSockets {
public:
    BeastWebSockets(boost::asio::io_context& io, HostPorts& ports, hal::Log& log,
                    BeastWebSocketsOptions options = {});
    ~BeastWebSockets() override;
    BeastWebSockets(const BeastWebSockets&) = delete;
    BeastWebSockets& operator=(const BeastWebSockets&) = delete;

    bool serve(std::uint16_t port, hal::WebSocketListener& listener) override;
    bool send(hal::WsClientId client, std::string_view bytes) override;
    void close(hal::WsClientId client) override;
    void stop() override;

    const BeastWebSocketsCounters& counters() const { return counters_; }

    class Session; // beast_websockets.cpp

private:
    friend class Session;
    void on_accepted(boost::asio::ip::tcp::socket socket);
    /// A client finished its handshake: ask the firmware.
    void opened(const std::shared_ptr<Session>& session);
    void message(hal::WsClientId id, std::string_view bytes);
    /// A session ended (error, close, protocol violation); events only for an open one.
    void ended(hal::WsClientId id, bool was_open);
    void log(hal::LogLevel level, const std::string& line) const;

    hal::Log& log_;
    BeastWebSocketsOptions options_;
    HostAcceptor acceptor_;
    hal::WebSocketListener* listener_ = nullptr;
    std::map<hal::WsClientId, std::shared_ptr<Session>> sessions_;
    BeastWebSocketsCounters counters_;
};

} // namespace dtu::hal_sim
