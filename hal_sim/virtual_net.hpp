#pragma once
// hal::Net in virtual time: the device's sockets reach in-process servers (the scenario's peers)
// instead of host sockets. Every byte and every FIN/RST passes through the device's LinkImpairment
// exactly as in AsioNet (asio_net.hpp documents the contract this class keeps: connect time, stall,
// attach loss, queue caps, close() delivering what was sent, close_all()), scheduled on a Scheduler,
// so with a VirtualScheduler a run is deterministic and time jumps from event to event.
//
// Servers are registered by (protocol, host, port) as the device dials them (names compared as
// written, case-insensitive). A name no server declares does not resolve (DnsFailed); a declared
// host with no server on that port refuses TCP (Refused) and swallows UDP. An IP address is not
// looked up: one no server declares never answers (TCP: Timeout; UDP: datagrams vanish).
//
// TLS (open() with tls) is AsioNet's (TlsLink, tls_link.hpp: the same session, the same errors, the
// same log lines): after the SYN reached the server the client handshake runs over the delay lines,
// the server (an in-process peer behind TlsServerPeer, tls_server_peer.hpp) answering with records;
// on_connected follows the completed handshake, within connect_timeout. Certificates are checked
// against the network's time (set_network_time: a scenario's runs from 2026-01-01 with virtual time,
// so a certificate that expires on day 3 is refused from then on), not the host's clock.
//
// Timeline (all on the scheduler): a TCP SYN reaches the server (VirtualServer::on_connect)
// LinkImpairment::connect_time() after open() and the firmware's on_connected follows at once; a
// refused connect is reported then too (refuse_connections and DNS failures at once). A UDP socket
// is connected after connect_delay_ms. Data and FIN/RST take LinkImpairment::schedule /
// schedule_control. Differences from AsioNet, because the server is in-process: server_send() above
// max_queue_bytes queued downstream is refused (TCP: false) or dropped (UDP: counted as overflow)
// instead of TCP backpressure; the server's close() ends the server's half at once (it gets nothing
// more on that conn); close() of a UDP link tells the server nothing (UDP has no FIN).
//
// Server sockets (hal::Net::listen, K7 §4.2.2 TCP Server, §4.2.4 UDP Server): the scenario's peers
// are then the clients. A peer dials the device with connect_client(Tcp, device_port, from, peer):
// the SYN reaches the device LinkImpairment::connect_time() later; a TCP listener on device_port
// with a free id in its range takes it (the firmware gets on_accepted(listener, conn, from), the peer
// on_connect(conn) and from then on on_data / on_closed exactly as a server does, answering with
// server_send / server_close). No listener, or its range full (counted: accept_refused): the peer
// gets on_closed(conn, reset = true), as a real client's RST. An accepted link is a client link in
// every other way (the same Conn, delay lines, impairment, counters and snapshot: host is from's ip).
// UDP: client_datagram(device_port, from, bytes, peer) sends one datagram from `from`; the device's
// socket bound to device_port gets on_datagram(id, from, bytes) (none bound: dropped, counted
// udp_rx_unbound). The peer is registered at `from`: the firmware's send_to(id, from, ...) reaches
// peer.on_data(conn, ...) with the ConnId client_datagram returned, and peer's server_send(conn, ...)
// is one more datagram from `from`. Datagrams pass LinkImpairment::schedule (delay, loss) one by one.
//
// set_link_listener() as AsioNet's: a link the firmware does not use (kMqttServiceLink, VirtualMqtt's)
// reports to its own listener, close_all() leaves it to its owner, and the observer (traces of the
// firmware's sockets) does not see it; impairment, attach loss and reset injection act on it as on
// every link.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "dtu/hal/log.hpp"
#include "dtu/hal/net.hpp"
#include "hal_sim/link_impairment.hpp"
#include "hal_sim/net_listeners.hpp"
#include "hal_sim/net_peer.hpp"
#include "hal_sim/net_slots.hpp"
#include "hal_sim/net_status.hpp"
#include "hal_sim/scheduler.hpp"
#include "hal_sim/tls_context.hpp"
#include "hal_sim/tls_link.hpp"

namespace dtu::hal_sim {

struct OpenRefusal;
class TlsSession;

struct VirtualNetOptions {
    std::chrono::milliseconds connect_timeout{10000};    ///< open() to on_connected, at most
    std::chrono::milliseconds linger{10000};             ///< how long close() keeps delivering sent bytes
    std::size_t max_queue_bytes = std::size_t{1} << 20;  ///< per link and direction
    std::size_t send_busy_bytes = std::size_t{64} << 10; ///< flow control, as AsioNetOptions
    /// Where TLS links get their SSL_CTX; nullptr = TlsContextCache::shared().
    TlsContextCache* tls_contexts = nullptr;
};

class VirtualNet final : public hal::Net, public ServerLink {
public:
    /// scheduler, link, log (and every server added) must outlive this object.
    VirtualNet(Scheduler& scheduler, LinkImpairment& link, hal::Log& log, VirtualNetOptions options = {});
    ~VirtualNet() override;
    VirtualNet(const VirtualNet&) = delete;
    VirtualNet& operator=(const VirtualNet&) = delete;

    /// Declare a server at (proto, host, port); host is compared case-insensitively. A second server
    /// at the same place replaces the first (for connections opened from then on).
    void add_server(hal::Proto proto, std::string host, std::uint16_t port, VirtualServer& server);
    /// The UTC certificates are checked against at each TLS handshake (the scenario's network time);
    /// unset: the host's clock.
    void set_network_time(std::function<std::chrono::system_clock::time_point()> now) {
        network_time_ = std::move(now);
    }
    /// Where device-side events are reported (nullptr: nowhere).
    void set_observer(NetObserver* observer) { observer_ = observer; }

    /// Bytes from the server towards the device, through the impairment (UDP: one datagram). False
    /// if the conn is not open (closed, never connected, server already closed) or, TCP, the
    /// downstream queue is full.
    bool server_send(ConnId conn, std::string_view bytes) override;
    /// The server ends conn: a FIN (reset = false: the firmware gets on_closed(PeerClosed)) or an RST
    /// (on_closed(Reset)) after the bytes it sent before. UDP: the server just stops receiving.
    void server_close(ConnId conn, bool reset) override;

    /// A scenario peer at `from` connects to the device's TCP port device_port (see the header comment).
    /// Returns the ConnId the peer will see; the outcome comes to peer from the scheduler.
    ConnId connect_client(hal::Proto proto, std::uint16_t device_port, hal::NetAddress from,
                          VirtualServer& peer);
    /// A scenario peer at `from` sends one UDP datagram to the device's port device_port. Returns the
    /// peer's ConnId (one per address: the same on every call from `from`).
    ConnId client_datagram(std::uint16_t device_port, hal::NetAddress from, std::string_view bytes,
                           VirtualServer& peer);

    // hal::Net
    bool listen(hal::LinkId id, hal::Proto proto, std::uint16_t port, hal::LinkRange accepted) override;
    bool send_to(hal::LinkId id, const hal::NetAddress& to, std::string_view bytes) override;
    /// The server sockets (listen) now open.
    const NetListens& listens() const { return listens_; }
    void set_listener(hal::NetListener* listener) override { listener_ = listener; }
    /// Route the events of link id to listener instead of the firmware's (nullptr: back to the
    /// firmware's). For links the module itself uses; close_all() then leaves that link alone.
    void set_link_listener(hal::LinkId id, hal::NetListener* listener);
    bool attached() const override { return link_.attached() && radio_attached_; }
    using hal::Net::open;
    void open(hal::LinkId id, hal::Proto proto, std::string_view host, std::uint16_t port,
              const hal::TlsParams* tls) override;
    bool send(hal::LinkId id, std::string_view bytes) override;
    bool send_busy(hal::LinkId id) const override;
    void close(hal::LinkId id) override;

    /// The modem's side of the attach (SimModem::data_ready()); acts like LinkConfig::attached.
    void set_radio_attached(bool up);
    /// Firmware reset: close every link now (the server gets on_closed(FIN) from the scheduler), drop
    /// queued bytes and every event not yet delivered. The listener is kept.
    void close_all();
    /// Reset injection: every connected TCP link ends with an RST to the server and on_closed(Reset)
    /// to the firmware. Returns how many.
    std::size_t reset_connections();

    /// Every slot that is not Idle.
    std::vector<NetLinkSnapshot> snapshot() const;
    /// Its server sockets (listen()), with the clients each has now.
    std::vector<NetListenSnapshot> listeners() const;
    const NetCounters& counters() const { return counters_; }
    /// The last TLS failure ("link A: TLS handshake with host:port failed: certificate has expired"),
    /// empty if none since the net was created.
    const std::string& last_tls_error() const { return tls_report_.last_error(); }
    const VirtualNetOptions& options() const { return options_; }
    /// A new ConnId; other in-process peers' links (VirtualWebSockets) take theirs here too, so one
    /// id names one peer connection on the board.
    ConnId next_conn_id() { return ++last_conn_; }
    LinkImpairment& link() { return link_; }

private:
    class Conn;
    friend class Conn;
    using ServerKey = std::tuple<hal::Proto, std::string, std::uint16_t>;

    using Slot = NetSlot<Conn>;

    bool host_declared(std::string_view host) const;
    VirtualServer* find_server(hal::Proto proto, std::string_view host, std::uint16_t port) const;
    /// Find the link (open or draining) the server knows as conn.
    std::shared_ptr<Conn> find_conn(ConnId conn) const;
    bool open_rejected(hal::LinkId id, std::uint32_t gen, hal::Proto proto, std::string_view host,
                       std::uint16_t port, const hal::TlsParams* tls, std::unique_ptr<TlsSession>& session);
    /// The network's UTC now (nullopt: the host's clock decides).
    std::optional<std::time_t> network_time() const;
    /// An open that cannot start: logged, counted, on_connect_failed from the scheduler.
    void refuse(hal::LinkId id, std::uint32_t gen, const OpenRefusal& refusal);
    void on_config_changed(const LinkConfig& before, const LinkConfig& after);
    void attach_changed(bool before, bool after);
    /// Run fn from the scheduler unless this net is gone by then.
    Scheduler::TaskId later(Scheduler::TimePoint when, std::function<void()> fn);
    /// Tell the firmware (and the observer) a connect result / a close, now if still current.
    void emit_result(hal::LinkId id, std::uint32_t gen, hal::NetError why);
    void emit_closed(hal::LinkId id, std::uint32_t gen, hal::NetError why);
    /// The same, from the scheduler (never inside a Net call).
    void post_result(hal::LinkId id, std::uint32_t gen, hal::NetError why);
    void post_closed(hal::LinkId id, std::uint32_t gen, hal::NetError why);
    void post_drained(hal::LinkId id, std::uint32_t gen);
    void post_attach(bool up);
    void post_server_closed(VirtualServer* server, ConnId conn, bool reset);
    bool current(hal::LinkId id, std::uint32_t gen, std::uint64_t epoch) const {
        return (epoch == epoch_ || owned_by_module(id)) && id < slots_.size() && slots_[id].gen == gen;
    }
    /// Where the events of link id go (see set_link_listener).
    hal::NetListener* listener_for(hal::LinkId id) const {
        return owned_by_module(id) ? link_listeners_[id] : listener_;
    }
    bool owned_by_module(hal::LinkId id) const { return id < link_listeners_.size() && link_listeners_[id]; }
    /// The observer, for the firmware's links only.
    NetObserver* observer_for(hal::LinkId id) const { return owned_by_module(id) ? nullptr : observer_; }
    void release(hal::LinkId id, std::uint32_t gen);
    void finish_draining(const Conn* conn);
    void log(hal::LogLevel level, const std::string& line) { log_.write(level, line); }

    Scheduler& scheduler_;
    LinkImpairment& link_;
    hal::Log& log_;
    VirtualNetOptions options_;
    hal::NetListener* listener_ = nullptr;
    NetObserver* observer_ = nullptr;
    std::array<hal::NetListener*, hal::kMaxLinks> link_listeners_{}; ///< see set_link_listener
    bool radio_attached_ = true;
    std::map<ServerKey, VirtualServer*> servers_; ///< host lower-cased
    std::set<std::string> hosts_;                 ///< declared hosts, lower-cased
    NetSlots<Conn> slots_;
    std::vector<std::shared_ptr<Conn>> draining_; ///< closed by the firmware, still delivering sent bytes
    ConnId last_conn_ = 0;
    /// A UDP peer registered by client_datagram: where send_to(address) goes.
    struct UdpPeer {
        hal::NetAddress address;
        std::uint16_t device_port = 0;
        VirtualServer* peer = nullptr;
        ConnId conn = 0;
    };
    std::vector<UdpPeer> udp_peers_;
    NetListens listens_;
    void accept_client(ConnId conn, std::uint16_t device_port, hal::NetAddress from, VirtualServer& peer);
    /// conn: the peer's (reported to the observer with the bytes as they reach the device).
    void datagram_to_device(std::uint16_t device_port, hal::NetAddress from, ConnId conn, std::string bytes);
    UdpPeer* find_udp_peer(ConnId conn);
    void stop_listening(hal::LinkId id);
    NetCounters counters_;
    TlsNetReport tls_report_{log_, counters_};
    std::function<std::chrono::system_clock::time_point()> network_time_;
    std::uint64_t epoch_ = 0; ///< bumped by close_all: posted events of an older epoch are dropped
    /// Scheduled tasks hold a weak_ptr to this: they do nothing once the net is gone.
    std::shared_ptr<VirtualNet*> alive_;
};

} // namespace dtu::hal_sim
