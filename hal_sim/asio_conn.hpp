#pragma once
// AsioNet::Conn: one connection attempt / connection of one slot: its host sockets, its two delay
// lines through the LinkImpairment and, on a TLS link, its TlsSession. Every asio handler holds a
// shared_ptr to it and returns at once when closed_ is set, so a closed Conn never touches the net
// again; its timed tasks are on the net's Scheduler and end with it. The member functions are defined by
// responsibility:
//   asio_conn.cpp       lifecycle: connect, handshake time, connected / failed / ended, close
//   asio_conn_tcp.cpp   the TCP socket: connect or accepted, read (backpressure)
//   asio_conn_udp.cpp   the UDP socket: bind, read (only the server is heard)
//   asio_conn_tls.cpp   its side of the TLS link (TlsTransport, tls_link.hpp)
//   asio_conn_flow.cpp  bytes through the delay lines: send, pump, write, deliver
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

#include "hal_sim/asio_net.hpp"
#include "hal_sim/delay_line.hpp"
#include "hal_sim/scheduler_task.hpp"

namespace dtu::hal_sim {

class AsioNet::Conn final : public std::enable_shared_from_this<AsioNet::Conn>, private TlsTransport {
public:
    using tcp = boost::asio::ip::tcp;
    using udp = boost::asio::ip::udp;
    using error_code = boost::system::error_code;

    Conn(AsioNet& net, hal::LinkId id, std::uint32_t gen, hal::Proto proto, std::string host,
         std::uint16_t port, std::unique_ptr<TlsSession> tls);
    ~Conn();

    NetLinkState state() const { return state_; }
    hal::Proto proto() const { return proto_; }
    /// Connect to host:port instead of what the firmware asked for (AsioNetOptions::redirects).
    void dial(std::string host, std::uint16_t port) {
        dial_host_ = std::move(host);
        dial_port_ = port;
    }
    bool closed() const { return closed_; }

    void start();
    /// A client the host accepted on TCP listener `listener` (AsioNet::accept): connected after the
    /// simulated handshake time, then reported on_accepted(listener, id, peer).
    void start_accepted(tcp::socket socket, hal::LinkId listener, const hal::NetAddress& peer);
    bool send(std::string_view bytes);
    /// Flow control (hal::Net::send_busy): over send_busy_bytes queued upstream, until half drained.
    bool busy() const { return busy_ && state_ == NetLinkState::Connected && !detached_; }
    /// The firmware closed this link (close() or open() over it). True if it keeps delivering the
    /// bytes already sent (the net keeps it in draining_ until finish_draining).
    bool close_by_firmware();
    /// Reset injection: the connection ends with an RST (SO_LINGER 0, no FIN), as when the
    /// network or a middlebox drops it hard.
    void reset();
    /// Close now: no event, queued bytes dropped, FIN to the server.
    void abort();
    /// A stall was cleared (or the config changed otherwise): move what waited.
    void resume();
    NetLinkSnapshot snapshot() const;

private:
    using Item = DelayItem;

    static constexpr std::size_t kMaxDatagram = 65536;

    bool stalled_any() const {
        return net_.link_.stalled(Direction::Upstream) || net_.link_.stalled(Direction::Downstream);
    }

    // ---- lifecycle (asio_conn.cpp) ----------------------------------------------------------------
    /// The host socket is ready; report it after the simulated handshake time.
    void handshake(std::chrono::nanoseconds delay, bool needs_link);
    /// TCP (and the simulated TCP handshake) done: the link is up, or its TLS handshake starts.
    void transport_ready();
    void report_connected();
    void fail_connect(hal::NetError why, const error_code& ec = {});
    /// The connection ended (the end marker went through the downstream delay line).
    void finish_closed(hal::NetError why);
    /// The peer ended the connection: the end follows the data already read.
    void queue_end(hal::NetError why);

    // ---- TCP (asio_conn_tcp.cpp) ------------------------------------------------------------------
    void on_resolved_tcp(const error_code& ec, const tcp::resolver::results_type& results);
    void on_read_tcp(const error_code& ec, std::size_t n);

    // ---- UDP (asio_conn_udp.cpp) ------------------------------------------------------------------
    void on_resolved_udp(const error_code& ec, const udp::resolver::results_type& results);
    /// The address the host sends from towards ep, as connect() on a throwaway socket picks it.
    boost::asio::ip::address source_address(const udp::endpoint& ep, error_code& ec);
    void on_read_udp(const error_code& ec, std::size_t n);

    // ---- TLS (asio_conn_tls.cpp): TlsTransport ---------------------------------------------------
    void tls_send(std::string records) override { offer_up(std::move(records)); }
    void tls_connected() override { report_connected(); }
    void tls_plaintext(const std::string& plaintext) override { deliver_plain(plaintext); }
    void tls_failed() override;
    void tls_ended(hal::NetError why) override { finish_closed(why); }
    bool tls_gone() const override { return closed_ || detached_; }
    const std::string& tls_remote() const override { return remote_; }

    // ---- the delay lines (asio_conn_flow.cpp) -----------------------------------------------------
    void start_read();
    /// Bytes for the server into the upstream delay line (no cap: the caller checked it).
    void offer_up(std::string bytes);
    void offer_down(std::string bytes);
    void deliver_down(Item item);
    void deliver_plain(const std::string& data);
    void maybe_resume_read();
    void write(std::string data);
    void write_next();
    void on_written(const error_code& ec);
    std::size_t up_queued() const { return up_.bytes() + write_bytes_; }
    void maybe_drained();
    void maybe_finish_drain();
    /// A line's earliest item is due (its task): the Conn stays alive while it delivers.
    void wake(void (Conn::*pump)());
    void pump_up();
    void pump_down();

    AsioNet& net_;
    const hal::LinkId id_;
    const std::uint32_t gen_;
    const hal::Proto proto_;
    const std::string host_;
    const std::uint16_t port_;
    const std::unique_ptr<TlsLink> tls_; ///< TLS links only
    NetLinkState state_ = NetLinkState::Idle;
    bool closed_ = false;   ///< sockets closed: every handler returns at once
    bool detached_ = false; ///< the firmware closed it: no events, downstream discarded
    bool handshake_due_ = false;
    bool reading_ = false;
    bool read_paused_ = false;
    bool end_queued_ = false;
    bool writing_ = false;
    bool busy_ = false;             ///< over send_busy_bytes upstream, not yet half drained
    std::string dial_host_ = host_; ///< where the connection really goes (dial())
    std::uint16_t dial_port_ = port_;
    tcp::resolver tcp_resolver_;
    udp::resolver udp_resolver_;
    tcp::socket tcp_;
    udp::socket udp_;
    udp::endpoint peer_; ///< the UDP server: the only sender heard
    udp::endpoint from_; ///< sender of the datagram being received
    SchedulerTask connect_timer_;
    SchedulerTask handshake_timer_;
    SchedulerTask linger_timer_;
    DelayLine up_;
    DelayLine down_;
    std::deque<std::string> writes_; ///< due upstream data, written one at a time in order
    std::size_t write_bytes_ = 0;
    std::vector<char> rbuf_;
    std::string remote_, local_;
    std::optional<std::pair<hal::LinkId, hal::NetAddress>> accepted_by_; ///< listener, peer (start_accepted)
    std::uint64_t tx_bytes_ = 0, tx_packets_ = 0, rx_bytes_ = 0, rx_packets_ = 0;
};

} // namespace dtu::hal_sim
