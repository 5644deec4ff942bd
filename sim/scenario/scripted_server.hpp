#pragma once
// A scenario's in-process server (`servers:`): it takes the device's connections on the
// VirtualNet, keeps everything it received as one stream for server_expect, and does what the steps
// say (send, close, refuse). An `http` server answers each complete request with its canned
// response and closes. Every action and observation goes into the trace.
//
// Replay mode (passive): the server does nothing by itself; accept decisions come from the trace
// and its sends and closes are the trace's inputs.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hal_sim/net_peer.hpp"
#include "hal_sim/virtual_net.hpp"
#include "hal_sim/virtual_websockets.hpp"
#include "sim/scenario/match_stream.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/trace_recorder.hpp"

namespace dtu::sim::scenario {

/// The most one server_send can hand over: a connection's downstream queue (VirtualNet's
/// max_queue_bytes per link and direction); a larger send could never be taken.
inline constexpr std::size_t kMaxServerSendBytes = hal_sim::VirtualNetOptions{}.max_queue_bytes;

class ScriptedServer final : public hal_sim::VirtualServer {
public:
    /// link: where its sends and closes go (the VirtualNet, or a LoopbackServer in real time).
    ScriptedServer(ServerSpec spec, hal_sim::ServerLink& link, TraceRecorder& trace);

    // hal_sim::VirtualServer
    bool on_connect(hal_sim::ConnId conn) override;
    void on_data(hal_sim::ConnId conn, std::string_view bytes) override;
    void on_closed(hal_sim::ConnId conn, bool reset) override;

    // What steps do.
    enum class Sent : std::uint8_t {
        Yes,
        NoConnection, ///< none is open
        Refused       ///< the newest one did not take the bytes (its queue is full, or it is closing)
    };
    /// A `clients:` peer (spec().client): it dials the device through net (virtual time only).
    void dial_through(hal_sim::VirtualNet& net) { net_ = &net; }
    /// A websocket `clients:` peer: it opens its websocket on the board's server (virtual time only);
    /// its sends and closes go to ws (the link it was made with).
    void dial_websocket(hal_sim::VirtualWebSockets& ws) { ws_ = &ws; }
    /// A TCP client connects to the device now (recorded: client_connect); the device's accept
    /// comes as on_connect, a refusal as on_closed(reset).
    void connect();
    /// Send on the newest open connection. A UDP client: one datagram to the device's port.
    Sent send(std::string_view bytes);
    /// Close every open connection (FIN, or RST).
    void close_all(bool reset);
    void set_accept(bool accept);
    void set_response(HttpResponse response) { spec_.response = std::move(response); }

    /// Replay: act only on the trace. decisions: conn -> accepted.
    void make_passive(std::map<hal_sim::ConnId, bool> decisions);
    /// Replay input: send on a given connection / close it.
    bool send_on(hal_sim::ConnId conn, std::string_view bytes);
    void close_one(hal_sim::ConnId conn, bool reset);

    const ServerSpec& spec() const { return spec_; }
    MatchStream& received() { return received_; }
    std::uint64_t connects() const { return connects_; }
    std::uint64_t disconnects() const { return disconnects_; }
    std::size_t open_connections() const { return open_.size(); }
    /// Whether conn ever reached this server.
    bool knows(hal_sim::ConnId conn) const { return seen_.count(conn) != 0; }

private:
    void answer_http(hal_sim::ConnId conn);
    std::string http_response_bytes() const;

    hal::NetAddress client_address() const;

    ServerSpec spec_;
    hal_sim::ServerLink& link_;
    hal_sim::VirtualNet* net_ = nullptr;       ///< a client's way to the device
    hal_sim::VirtualWebSockets* ws_ = nullptr; ///< a websocket client's
    TraceRecorder& trace_;
    MatchStream received_;
    std::vector<hal_sim::ConnId> open_; ///< in the order they opened
    std::set<hal_sim::ConnId> seen_;
    std::map<hal_sim::ConnId, std::string> http_; ///< request bytes not answered yet
    bool passive_ = false;
    std::map<hal_sim::ConnId, bool> decisions_;
    std::uint64_t connects_ = 0, disconnects_ = 0;
};

} // namespace dtu::sim::scenario
