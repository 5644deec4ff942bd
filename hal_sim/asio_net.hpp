#pragma once
// hal::Net on the host: real TCP and UDP client sockets (Boost.Asio, on the device's io_context),
// every byte in both directions passing through the device's LinkImpairment.
//
// - open(): empty host or port 0 -> Invalid (logged); not attached -> NotAttached; dns_failure or
//   a name that does not resolve -> DnsFailed (an IP address is not looked up, so dns_failure
//   spares it); refuse_connections (TCP) or a closed port -> Refused; nothing within the connect
//   timeout -> Timeout. A TCP connect reports on_connected one simulated round trip
//   (+ connect_delay_ms) after the host's connect succeeded; while a direction is stalled the
//   handshake cannot complete (so a stall during connect ends in Timeout).
// - UDP: a connected socket (the kernel delivers only datagrams from the server's address and port);
//   one send() = one datagram; ICMP errors are ignored (a cellular UDP socket never notices them).
// - Upstream (send): queued through the impairment, then written to the socket in order. A send that
//   would make the link's upstream queue exceed max_queue_bytes is refused (false, counted as
//   overflow): whole frames are refused, never a part of one, so a TCP stream stays consistent.
//   Above send_busy_bytes queued the link is send_busy() (flow control) until half of that has
//   been written to the socket; then on_send_drained(id) is posted.
// - Downstream: read in chunks of read_chunk bytes (UDP: whole datagrams) and queued through the
//   impairment. Above max_queue_bytes queued, TCP stops reading until the queue is half drained (the
//   server feels TCP backpressure); UDP drops the datagram and counts it as overflow.
// - The peer's FIN or reset reaches the firmware as on_closed(PeerClosed / Reset) after every byte
//   that arrived before it.
// - close(): no event follows. Bytes already accepted by send() are still delivered (like a TCP
//   stack with a send buffer; capped at the linger time), then the socket is shut down (FIN).
//   close_all() (firmware reset) closes everything at once, queued bytes included.
// - attached() = the link impairment's `attached` AND the radio's (set_radio_attached: the modem
//   model is registered and the SIM has credit). Either going false is registration loss:
// - attach -> false: every socket is closed (the server sees a FIN; a real network would leave it
//   half-open) and the firmware gets on_attach_changed(false), then on_closed(NotAttached) for each
//   connected link and on_connect_failed(NotAttached) for each connecting one. attach -> true:
//   on_attach_changed(true).
// - set_link_listener(): a link id the firmware does not use (the module's own MQTT service, see
//   kMqttServiceLink) can have its own listener; its events go there, not to the firmware, and
//   close_all() (a firmware reset) leaves it to its owner. Impairment, attach loss and reset
//   injection act on it like on every link.
// - TLS (open() with tls, G771 §2.6.2): TCP only (UDP -> Invalid). The SSL_CTX comes from the
//   TlsContextCache; settings that cannot work (no CA for PEER, text that is not a certificate, a key
//   that does not match) fail at once with TlsFailed, without a connection. Otherwise, after the TCP
//   connect and the simulated handshake time, a TlsSession runs the handshake over memory BIOs: its
//   records pass through the impairment delay lines both ways like any data (latency, loss, stall),
//   within connect_timeout. on_connected follows a completed handshake; a failed one is
//   on_connect_failed(TlsFailed), logged as "link A: TLS handshake with host:port failed: <reason>",
//   counted (tls_failures) and kept (last_tls_error()). send() encrypts (the queue cap counts the
//   plaintext), on_data carries the plaintext, close() sends close_notify before the FIN; the
//   server's close_notify is a PeerClosed; a TLS error on an established link ends it as Reset
//   (logged, tls_errors). Stall, queue caps, linger and reset injection work as for plain TCP.
// - Server sockets (listen, K7 §4.2.2 / §4.2.4): bound on AsioNetOptions::ports' listen address at
//   the device's port, or at a free port when the process cannot bind that one (below 1024, in
//   use), with a log line; what was bound is recorded in the HostPorts. A TCP client the host
//   accepts becomes a Conn of the listener's range (the same delay lines, impairment, counters and
//   snapshot as a client link), reported on_accepted after the simulated handshake time; with no
//   free id it is closed at once (accept_refused). A UDP socket bound by listen() hears every
//   sender: each datagram goes through the downstream delay line to on_datagram(id, from); send_to
//   through the upstream one. Registration loss ends the accepted clients (like every link) and
//   keeps the listeners; close_all() (firmware reset) closes the listeners too.
// Events are delivered from the io_context, never inside a Net call. Single-threaded: call
// everything (set_config of the LinkImpairment too) on the io_context's thread.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "dtu/hal/log.hpp"
#include "dtu/hal/net.hpp"
#include "hal_sim/host_ports.hpp"
#include "hal_sim/link_impairment.hpp"
#include "hal_sim/net_listeners.hpp"
#include "hal_sim/net_slots.hpp"
#include "hal_sim/net_status.hpp"
#include "hal_sim/scheduler.hpp"
#include "hal_sim/tls_context.hpp"
#include "hal_sim/tls_link.hpp"

namespace dtu::hal_sim {

class TlsSession;
struct OpenRefusal;

struct AsioNetOptions {
    std::chrono::milliseconds connect_timeout{10000};   ///< DNS + connect + simulated handshake
    std::chrono::milliseconds linger{10000};            ///< how long close() keeps delivering sent bytes
    std::size_t read_chunk = 4096;                      ///< TCP read size (one downstream "chunk")
    std::size_t max_queue_bytes = std::size_t{1} << 20; ///< per link and direction
    /// Flow control: a link with more than this queued upstream is send_busy() until half of it
    /// has gone (then on_send_drained), so the firmware holds its serial port instead of reaching
    /// max_queue_bytes and dropping. 64 KiB: several seconds of a 115200 baud line.
    std::size_t send_busy_bytes = std::size_t{64} << 10;
    /// SO_SNDBUF of the host's TCP sockets (0: the host's autotuning, up to megabytes). A cellular
    /// module's TCP send window is tens of KB; unbounded, the host kernel would swallow a slow
    /// server's backlog where neither send_busy_bytes nor the status (up_queued_bytes) can see it.
    std::size_t socket_send_buffer = std::size_t{64} << 10;
    /// Simulator knob (dtu-sim --ntp-port): a UDP open aimed at port 123 (NTP) goes to this port
    /// instead, so tests can run an NTP responder without the privilege to bind 123. The firmware
    /// still asks for 123, as the device does; snapshots show the port actually used.
    std::uint16_t ntp_port = 123;
    /// Simulator knob (scenario peers in real time, sim/scenario/world.hpp): an open aimed at a
    /// listed (proto, host, port) connects to 127.0.0.1:to_port instead, where the peer listens
    /// (hal_sim/loopback_server.hpp). The name is not looked up, but dns_failure still fails it.
    struct Redirect {
        hal::Proto proto = hal::Proto::Tcp;
        std::string host; ///< compared case-insensitively
        std::uint16_t port = 0;
        std::uint16_t to_port = 0;
    };
    std::vector<Redirect> redirects;
    /// Where TLS links get their SSL_CTX; nullptr = TlsContextCache::shared().
    TlsContextCache* tls_contexts = nullptr;
    /// Where listen() binds and records what it bound (host_ports.hpp); nullptr = 127.0.0.1, unrecorded.
    HostPorts* ports = nullptr;
};

class AsioNet final : public hal::Net {
public:
    /// scheduler is the io_context's AsioScheduler: the net's only clock (delay lines, connect,
    /// handshake and linger times). It and link must outlive this object. log receives one line per
    /// connect failure and bad open().
    AsioNet(boost::asio::io_context& io, Scheduler& scheduler, LinkImpairment& link, hal::Log& log,
            AsioNetOptions options = {});
    ~AsioNet() override;
    AsioNet(const AsioNet&) = delete;
    AsioNet& operator=(const AsioNet&) = delete;

    void set_listener(hal::NetListener* listener) override { listener_ = listener; }
    /// Route the events of link id to listener instead of the firmware's (nullptr: back to the
    /// firmware's). For links the module itself uses; close_all() then leaves that link alone.
    void set_link_listener(hal::LinkId id, hal::NetListener* listener);
    bool attached() const override { return link_.attached() && radio_attached_; }
    /// The modem's side of the attach (SimModem::data_ready()); acts like LinkConfig::attached.
    void set_radio_attached(bool up);
    using hal::Net::open;
    void open(hal::LinkId id, hal::Proto proto, std::string_view host, std::uint16_t port,
              const hal::TlsParams* tls) override;
    bool send(hal::LinkId id, std::string_view bytes) override;
    bool send_busy(hal::LinkId id) const override;
    void close(hal::LinkId id) override;
    bool listen(hal::LinkId id, hal::Proto proto, std::uint16_t port, hal::LinkRange accepted) override;
    bool send_to(hal::LinkId id, const hal::NetAddress& to, std::string_view bytes) override;

    /// Firmware reset: close every link now (FIN), drop queued bytes, and drop every event not yet
    /// delivered (links with their own listener excepted: their owner closes them). The listener is
    /// kept (set a new one, or nullptr, before the old one dies).
    void close_all();
    /// Reset injection: every connected TCP link ends with an RST to the server and
    /// on_closed(Reset) to the firmware. Returns how many.
    std::size_t reset_connections();

    /// Every slot that is not Idle.
    std::vector<NetLinkSnapshot> snapshot() const;
    /// Its server sockets (listen()), with the clients each has now.
    std::vector<NetListenSnapshot> listeners() const;
    const NetCounters& counters() const { return counters_; }
    /// The last TLS failure ("link A: TLS handshake with host:port failed: certificate has expired"),
    /// empty if none since the net was created.
    const std::string& last_tls_error() const { return tls_report_.last_error(); }
    const AsioNetOptions& options() const { return options_; }
    LinkImpairment& link() { return link_; }

    static const char* state_name(NetLinkState state);
    static const char* error_name(hal::NetError error);

private:
    class Conn;
    friend class Conn;
    class Listener;
    friend class Listener;

    using Slot = NetSlot<Conn>;

    void on_config_changed(const LinkConfig& before, const LinkConfig& after);
    /// Registration lost (close every link) or back, when the combined attach changed.
    void attach_changed(bool before, bool after);
    /// Post an event for slot id of generation gen (dropped if the slot moved on meanwhile).
    void post_event(hal::LinkId id, std::uint32_t gen, std::function<void(hal::NetListener&)> event);
    /// Call the listener now (from an asio handler) if the slot is still at generation gen.
    void emit(hal::LinkId id, std::uint32_t gen, const std::function<void(hal::NetListener&)>& event);
    /// Where the events of link id go (id == kMaxLinks: attach events, always the firmware's).
    hal::NetListener* listener_for(hal::LinkId id) const {
        return id < link_listeners_.size() && link_listeners_[id] ? link_listeners_[id] : listener_;
    }
    bool owned_by_module(hal::LinkId id) const { return id < link_listeners_.size() && link_listeners_[id]; }
    /// A link that ended by itself leaves its slot (unless the slot moved on).
    void release(hal::LinkId id, std::uint32_t gen);
    /// An open that cannot start: logged, counted, on_connect_failed posted.
    void refuse(hal::LinkId id, std::uint32_t gen, const OpenRefusal& refusal);
    const AsioNetOptions::Redirect* redirect(hal::Proto proto, std::string_view host,
                                             std::uint16_t port) const;
    /// A listener's port is bound: on_listening posted, HostPorts told (asio_net_server.cpp).
    void listening(hal::LinkId id, std::uint32_t gen, std::uint16_t host_port);
    void listen_failed(hal::LinkId id, std::uint32_t gen, hal::Proto proto, std::uint16_t port,
                       hal::NetError why, const std::string& reason);
    /// A TCP client the host accepted on listener: a Conn of its range, or closed at once.
    void accept(hal::LinkId listener, boost::asio::ip::tcp::socket socket);
    /// id's server socket closes; the clients it accepted stay.
    void stop_listening(hal::LinkId id);
    void stop_all_listeners();
    /// Run fn at t on the scheduler, unless the net is gone by then.
    void at_time(Scheduler::TimePoint t, std::function<void()> fn);
    /// A draining link is done (delivered, or its linger time is up).
    void finish_draining(const Conn* conn);
    /// Cut every link still delivering after the firmware closed it.
    void abort_draining();
    void log(hal::LogLevel level, const std::string& line) { log_.write(level, line); }

    boost::asio::io_context& io_;
    Scheduler& scheduler_;
    LinkImpairment& link_;
    hal::Log& log_;
    AsioNetOptions options_;
    hal::NetListener* listener_ = nullptr;
    std::array<hal::NetListener*, hal::kMaxLinks> link_listeners_{}; ///< see set_link_listener
    bool radio_attached_ = true;
    NetSlots<Conn> slots_;
    NetListens listens_;                                                ///< net_listeners.hpp
    std::array<std::shared_ptr<Listener>, hal::kMaxLinks> listeners_{}; ///< their host sockets
    std::vector<std::shared_ptr<Conn>> draining_; ///< closed by the firmware, still delivering sent bytes
    NetCounters counters_;
    TlsNetReport tls_report_{log_, counters_};
    std::uint64_t epoch_ = 0; ///< bumped by close_all: posted events of an older epoch are dropped
    /// Posted handlers hold a weak_ptr to this: they do nothing once the net is gone.
    std::shared_ptr<AsioNet*> alive_;
};

} // namespace dtu::hal_sim
