#pragma once
// The cellular module's path to the network for its own MQTT client: an in-process SOCKS5 server
// (RFC 1928, see socks5_protocol.hpp) on 127.0.0.1:<free port>. libmosquitto connects to it
// (mosquitto_socks5_set) and asks for the broker; the relay opens the broker through the device's
// AsioNet on one link reserved for it (kMqttServiceLink), so DNS failure, refusal, latency, loss,
// bandwidth, stall, registration loss and reset injection act on MQTT as on the sockets, and the
// net snapshot shows the connection.
//
// - Only the device's own client, so the relay is not an open proxy into the device's link (any
//   local process can connect to a loopback port). Two checks, each sufficient on its own:
//   1. The owner announces the client's local port with expect() right after libmosquitto's
//      non-blocking connect; a connection from any other address or port (another local process,
//      or a client the owner has already dropped) is closed at once and counted.
//   2. The client must authenticate (RFC 1929 username/password) with one-time credentials the
//      owner got from issue_credentials() and gave libmosquitto (mosquitto_socks5_set) before that
//      connect: random, used once, never leaving this process. A process that connects from the
//      announced port (say from another loopback address) still cannot guess them. A port check
//      alone would trust whatever the kernel lets another process bind; the secret does not.
// - Answers are faithful: the upstream's connect result becomes the SOCKS reply (refused ->
//   "connection refused", DNS failure -> "host unreachable", not attached -> "network
//   unreachable", timeout -> "TTL expired", invalid -> "general failure"), and the observer hears
//   the exact hal::NetError first, so the owner can report it precisely.
// - Relaying: client bytes go to AsioNet::send in chunks of up to 4 KiB; when the link's upstream
//   queue is full the relay stops reading the client (the loopback socket and then libmosquitto
//   hold the rest) and retries shortly. Server bytes are written to the client as they arrive; a
//   client that stops reading with more than max_client_queue bytes waiting loses the session.
// - The server's FIN reaches the client as a FIN after the data; a reset, registration loss or
//   injected reset as an RST. The client's close closes the link (its last bytes still go out).
// Single-threaded: everything on the device's io_context.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "dtu/hal/log.hpp"
#include "dtu/hal/net.hpp"
#include "hal_sim/asio_net.hpp"
#include "hal_sim/socks5_protocol.hpp"

namespace dtu::hal_sim {

/// What happened to a client's upstream, for the relay's owner.
struct RelayEvent {
    enum class Kind : std::uint8_t {
        Connected,     ///< the broker accepted the TCP connection; the client got "succeeded"
        ConnectFailed, ///< why: the link's reason; the client got the matching SOCKS reply
        Closed,        ///< the upstream ended (why: PeerClosed, Reset, NotAttached ...)
        BadRequest,    ///< the client did not speak SOCKS5 CONNECT with the relay's credentials
    };
    Kind kind = Kind::Connected;
    hal::NetError why = hal::NetError::None;
};

struct Socks5RelayCounters {
    std::uint64_t sessions = 0;         ///< expected clients accepted
    std::uint64_t foreign_clients = 0;  ///< other local connections, closed at once
    std::uint64_t bad_requests = 0;     ///< malformed or unsupported SOCKS messages
    std::uint64_t auth_failures = 0;    ///< wrong or missing one-time credentials
    std::uint64_t connects = 0;         ///< upstream connected
    std::uint64_t connect_failures = 0; ///< upstream connect failed
    std::uint64_t up_bytes = 0;         ///< client -> link
    std::uint64_t down_bytes = 0;       ///< link -> client
    std::uint64_t send_retries = 0;     ///< the link's upstream queue was full, the relay waited
    std::uint64_t client_overflows = 0; ///< sessions dropped: the client stopped reading
};

struct Socks5RelayOptions {
    std::chrono::milliseconds handshake_timeout{5000}; ///< greeting + request, and the final drain
    std::size_t max_client_queue = std::size_t{4} << 20;
    std::chrono::milliseconds send_retry{10}; ///< pause after the link refused a chunk (queue full)
};

class Socks5Relay final : private hal::NetListener {
public:
    using Observer = std::function<void(std::uint16_t client_port, const RelayEvent& event)>;

    /// Listens on 127.0.0.1 (a free port) and takes over link's events (AsioNet::set_link_listener).
    /// Throws boost::system::system_error if it cannot listen.
    Socks5Relay(boost::asio::io_context& io, AsioNet& net, hal::LinkId link, hal::Log& log,
                Socks5RelayOptions options = {});
    ~Socks5Relay() override;
    Socks5Relay(const Socks5Relay&) = delete;
    Socks5Relay& operator=(const Socks5Relay&) = delete;

    /// The port to give mosquitto_socks5_set.
    std::uint16_t port() const { return port_; }
    /// Fresh credentials for the next client (with mosquitto_socks5_set): the only ones the relay
    /// accepts from now on, once. Random (OpenSSL RAND_bytes), 32 hex digits each.
    socks5::Credentials issue_credentials();
    /// Events about each client's upstream (called from the io_context, never inside a relay call).
    void set_observer(Observer observer) { observer_ = std::move(observer); }
    /// Serve the next client from this local port (and no other). The current session ends: what its
    /// client has already written still goes to the link, then the link and the client are closed.
    void expect(std::uint16_t client_port);
    /// Drop the session (RST to the client, the link closed) and expect nobody.
    void reset();
    /// Whether a session exists (between accept and its end).
    bool busy() const { return session_ != nullptr; }
    const Socks5RelayCounters& counters() const { return counters_; }

private:
    class Session;
    friend class Session;

    void accept_next();
    /// Whether these are the issued credentials; either way they are used up.
    bool take_credentials(const socks5::UserPass& offered);
    void on_client_accepted(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
    void drop_session();
    void session_ended(const Session* session);
    void notify(std::uint16_t client_port, RelayEvent event);
    void log(hal::LogLevel level, std::string_view line) { log_.write(level, line); }

    // hal::NetListener, for the relay's link only
    void on_connected(hal::LinkId id) override;
    void on_connect_failed(hal::LinkId id, hal::NetError why) override;
    void on_data(hal::LinkId id, std::string_view bytes) override;
    void on_closed(hal::LinkId id, hal::NetError why) override;
    void on_attach_changed(bool) override {}

    boost::asio::io_context& io_;
    AsioNet& net_;
    const hal::LinkId link_;
    hal::Log& log_;
    const Socks5RelayOptions options_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
    std::uint16_t expected_port_ = 0;                ///< 0: nobody
    std::optional<socks5::Credentials> credentials_; ///< issued and not yet used
    std::shared_ptr<Session> session_;
    Observer observer_;
    Socks5RelayCounters counters_;
    bool closing_ = false;
};

} // namespace dtu::hal_sim
