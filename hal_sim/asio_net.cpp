#include "hal_sim/asio_net.hpp"

#include <deque>
#include <map>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "hal_sim/delay_line.hpp"
#include "hal_sim/host_name.hpp"
#include "hal_sim/tls_session.hpp"

namespace dtu::hal_sim {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using udp = asio::ip::udp;
using boost::system::error_code;
using TimePoint = LinkImpairment::TimePoint;

namespace {

constexpr std::size_t kMaxDatagram = 65536;

template <typename Endpoint> std::string endpoint_string(const Endpoint& ep) {
    const auto a = ep.address();
    return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(ep.port());
}

hal::NetError connect_error(const error_code& ec) {
    namespace e = asio::error;
    if (ec == e::connection_refused) return hal::NetError::Refused;
    if (ec == e::timed_out || ec == e::host_unreachable || ec == e::network_unreachable)
        return hal::NetError::Timeout;
    return hal::NetError::Refused;
}

std::chrono::nanoseconds ms(double v) {
    if (!(v > 0.0)) return std::chrono::nanoseconds::zero();
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double, std::milli>(v));
}

} // namespace

// One connection attempt / connection of one slot. Every asio handler holds a shared_ptr to it and
// returns at once when closed_ is set, so a closed Conn never touches the net again.
class AsioNet::Conn : public std::enable_shared_from_this<AsioNet::Conn> {
public:
    Conn(AsioNet& net, hal::LinkId id, std::uint32_t gen, hal::Proto proto, std::string host,
         std::uint16_t port, std::unique_ptr<TlsSession> tls)
        : net_(net), id_(id), gen_(gen), proto_(proto), host_(std::move(host)), port_(port),
          tls_(std::move(tls)), tcp_resolver_(net.io_), udp_resolver_(net.io_), tcp_(net.io_), udp_(net.io_),
          connect_timer_(net.io_), handshake_timer_(net.io_), linger_timer_(net.io_),
          up_(net.io_, Direction::Upstream, proto), down_(net.io_, Direction::Downstream, proto),
          rbuf_(proto == hal::Proto::Udp ? kMaxDatagram : std::max<std::size_t>(net.options_.read_chunk, 1)) {
    }

    NetLinkState state() const { return state_; }
    hal::Proto proto() const { return proto_; }
    /// Connect to host:port instead of what the firmware asked for (AsioNetOptions::redirects).
    void dial(std::string host, std::uint16_t port) {
        dial_host_ = std::move(host);
        dial_port_ = port;
    }
    bool closed() const { return closed_; }

    void start() {
        auto self = shared_from_this();
        state_ = NetLinkState::Resolving;
        connect_timer_.expires_after(net_.options_.connect_timeout);
        connect_timer_.async_wait([self](const error_code& ec) {
            if (ec || self->closed_ || self->state_ == NetLinkState::Connected) return;
            self->fail_connect(hal::NetError::Timeout);
        });
        error_code literal;
        asio::ip::make_address(host_, literal); // an IP address needs no name server
        if (net_.link_.config().dns_failure && literal) {
            asio::post(net_.io_, [self] {
                if (!self->closed_) self->fail_connect(hal::NetError::DnsFailed);
            });
            return;
        }
        const std::string service = std::to_string(dial_port_);
        if (proto_ == hal::Proto::Tcp) {
            tcp_resolver_.async_resolve(
                dial_host_, service,
                [self](const error_code& ec, const tcp::resolver::results_type& results) {
                    self->on_resolved_tcp(ec, results);
                });
        } else {
            udp_resolver_.async_resolve(
                dial_host_, service,
                [self](const error_code& ec, const udp::resolver::results_type& results) {
                    self->on_resolved_udp(ec, results);
                });
        }
    }

    bool send(std::string_view bytes) {
        if (closed_ || detached_ || state_ != NetLinkState::Connected) return false;
        if (bytes.empty() && proto_ == hal::Proto::Tcp) return true; // nothing to stream
        if (up_.bytes + write_bytes_ + bytes.size() > net_.options_.max_queue_bytes) {
            net_.link_.count_overflow(Direction::Upstream, bytes.size());
            return false;
        }
        auto self = shared_from_this();
        if (tls_) { // the cap above counts the plaintext; the records are a little larger
            if (!tls_->write(bytes)) return false;
            flush_tls();
        } else {
            offer_up(std::string(bytes));
        }
        if (up_queued() > net_.options_.send_busy_bytes) busy_ = true;
        return true;
    }

    /// Flow control (hal::Net::send_busy): over send_busy_bytes queued upstream, until half drained.
    bool busy() const { return busy_ && state_ == NetLinkState::Connected && !detached_; }

    /// The firmware closed this link (close() or open() over it). True if it keeps delivering the
    /// bytes already sent (the net keeps it in draining_ until finish_draining).
    bool close_by_firmware() {
        if (closed_) return false;
        auto self = shared_from_this();
        detached_ = true;
        down_.clear();
        if (tls_ && state_ == NetLinkState::Connected) {
            tls_->shutdown(); // close_notify goes out behind the data already sent
            flush_tls();
        }
        if (state_ != NetLinkState::Connected || (up_.items.empty() && writes_.empty())) {
            abort();
            return false;
        }
        state_ = NetLinkState::Closing;
        linger_timer_.expires_after(net_.options_.linger);
        linger_timer_.async_wait([self](const error_code& ec) {
            if (ec || self->closed_) return;
            self->abort();
            self->net_.finish_draining(self.get());
        });
        return true;
    }

    /// Close now: no event, queued bytes dropped, FIN to the server.
    /// Reset injection: the connection ends with an RST (SO_LINGER 0, no FIN), as when the
    /// network or a middlebox drops it hard.
    void reset() {
        if (tcp_.is_open()) {
            error_code ignored;
            tcp_.set_option(tcp::socket::linger(true, 0), ignored);
            tcp_.close(ignored);
        }
        abort();
    }

    void abort() {
        if (closed_) return;
        closed_ = true;
        state_ = NetLinkState::Idle;
        error_code ignored;
        tcp_resolver_.cancel();
        udp_resolver_.cancel();
        connect_timer_.cancel();
        handshake_timer_.cancel();
        linger_timer_.cancel();
        up_.clear();
        down_.clear();
        writes_.clear();
        write_bytes_ = 0;
        if (tcp_.is_open()) {
            tcp_.shutdown(tcp::socket::shutdown_both, ignored);
            tcp_.close(ignored);
        }
        if (udp_.is_open()) udp_.close(ignored);
    }

    /// A stall was cleared (or the config changed otherwise): move what waited.
    void resume() {
        if (closed_) return;
        auto self = shared_from_this();
        if (handshake_due_ && !stalled_any()) {
            handshake_due_ = false;
            transport_ready();
            if (closed_) return;
        }
        pump(Direction::Upstream);
        if (closed_ || detached_) return;
        pump(Direction::Downstream);
    }

    NetLinkSnapshot snapshot() const {
        NetLinkSnapshot s;
        s.id = id_;
        s.proto = proto_;
        s.host = host_;
        s.port = port_;
        s.remote = remote_;
        s.local = local_;
        s.state = state_;
        s.tx_bytes = tx_bytes_;
        s.tx_packets = tx_packets_;
        s.rx_bytes = rx_bytes_;
        s.rx_packets = rx_packets_;
        s.up_queued_bytes = up_.bytes + write_bytes_;
        s.down_queued_bytes = down_.bytes;
        if (tls_) {
            s.tls = true;
            s.tls_version = tls_->outcome().version;
            s.tls_cipher = tls_->outcome().cipher;
            s.tls_verified = tls_->outcome().verified;
        }
        return s;
    }

private:
    using Item = DelayItem;

    /// One direction's delay line: items ordered by delivery time (equal times keep their order),
    /// one timer armed for the earliest.
    struct Queue {
        Queue(asio::io_context& io, Direction d, hal::Proto proto) : timer(io) {
            flow.direction = d;
            flow.stream = proto == hal::Proto::Tcp;
        }
        void push(TimePoint t, Item item) {
            bytes += item.data.size();
            items.emplace(t, std::move(item));
        }
        void clear() {
            items.clear();
            bytes = 0;
            ++seq; // a pending wait becomes stale
            armed = false;
            timer.cancel();
        }
        DelayItems items;
        std::size_t bytes = 0;
        asio::steady_timer timer;
        bool armed = false;
        TimePoint armed_at{};
        std::uint64_t seq = 0;
        LinkImpairment::Flow flow;
    };

    Queue& queue(Direction d) { return d == Direction::Upstream ? up_ : down_; }
    bool stalled_any() const {
        return net_.link_.stalled(Direction::Upstream) || net_.link_.stalled(Direction::Downstream);
    }

    void on_resolved_tcp(const error_code& ec, const tcp::resolver::results_type& results) {
        if (closed_) return;
        if (ec || results.empty()) return fail_connect(hal::NetError::DnsFailed, ec);
        if (net_.link_.config().refuse_connections) return fail_connect(hal::NetError::Refused);
        state_ = NetLinkState::Connecting;
        remote_ = endpoint_string(results.begin()->endpoint());
        auto self = shared_from_this();
        asio::async_connect(tcp_, results, [self](const error_code& cec, const tcp::endpoint& ep) {
            if (self->closed_) return;
            if (cec) return self->fail_connect(connect_error(cec), cec);
            error_code ignored;
            self->remote_ = endpoint_string(ep);
            self->local_ = endpoint_string(self->tcp_.local_endpoint(ignored));
            self->tcp_.set_option(tcp::no_delay(true), ignored); // frames go out as the firmware sends them
            if (const std::size_t n = self->net_.options_.socket_send_buffer; n != 0)
                self->bound_send_buffer(static_cast<int>(n));
            self->handshake(self->net_.link_.connect_time(), true);
        });
    }

    void bound_send_buffer(int bytes) {
        error_code ignored; // the host's default then: only the flow-control limit moves later
        tcp_.set_option(asio::socket_base::send_buffer_size(bytes), ignored);
    }

    void on_resolved_udp(const error_code& ec, const udp::resolver::results_type& results) {
        if (closed_) return;
        if (ec || results.empty()) return fail_connect(hal::NetError::DnsFailed, ec);
        udp::endpoint ep = results.begin()->endpoint();
        for (const auto& r : results) { // prefer IPv4, as a cellular bearer usually is
            if (r.endpoint().address().is_v4()) {
                ep = r.endpoint();
                break;
            }
        }
        state_ = NetLinkState::Connecting;
        remote_ = endpoint_string(ep);
        error_code oec;
        // Not connected: a connected socket would have the kernel drop other senders' datagrams
        // unseen; this one hears them and counts them before it drops them (on_read_udp). It is
        // bound to the source address a connect would pick, so `local` reads the same.
        const asio::ip::address source = source_address(ep, oec);
        if (!oec) udp_.open(ep.protocol(), oec);
        if (!oec) udp_.bind(udp::endpoint(source, 0), oec);
        if (oec) return fail_connect(connect_error(oec), oec);
        peer_ = ep;
        error_code ignored;
        local_ = endpoint_string(udp_.local_endpoint(ignored));
        handshake(ms(net_.link_.config().connect_delay_ms), false);
    }

    /// The address the host sends from towards ep, as connect() on a throwaway socket picks it.
    asio::ip::address source_address(const udp::endpoint& ep, error_code& ec) {
        udp::socket probe(net_.io_);
        probe.open(ep.protocol(), ec);
        if (!ec) probe.connect(ep, ec);
        const udp::endpoint local = ec ? udp::endpoint() : probe.local_endpoint(ec);
        return local.address();
    }

    /// The host socket is ready; report it after the simulated handshake time.
    void handshake(std::chrono::nanoseconds delay, bool needs_link) {
        auto self = shared_from_this();
        handshake_timer_.expires_after(delay);
        handshake_timer_.async_wait([self, needs_link](const error_code& ec) {
            if (ec || self->closed_) return;
            if (needs_link && self->stalled_any()) {
                self->handshake_due_ = true; // SYN / SYN-ACK cannot pass; resume() or the timeout decides
                return;
            }
            self->transport_ready();
        });
    }

    /// TCP (and the simulated TCP handshake) done: the link is up, or its TLS handshake starts.
    void transport_ready() {
        if (!tls_) return report_connected();
        tls_started_ = true;
        net_.log(hal::LogLevel::Debug,
                 net_link_name(id_) + ": TCP connected to " + remote_ + ", TLS handshake");
        tls_->start();
        flush_tls();
        if (closed_) return;
        if (tls_->state() == TlsSession::State::Failed) return fail_tls(tls_->error());
        start_read();
    }

    void report_connected() {
        state_ = NetLinkState::Connected;
        connect_timer_.cancel();
        net_.counters_.connects++;
        net_.log(hal::LogLevel::Debug, net_link_name(id_) + ": connected to " + remote_ + " from " + local_);
        net_.emit(id_, gen_, [id = id_](hal::NetListener& l) { l.on_connected(id); });
        if (closed_ || detached_) return;
        start_read();
    }

    void fail_connect(hal::NetError why, const error_code& ec = {}) {
        if (closed_) return;
        auto self = shared_from_this();
        abort();
        net_.counters_.connect_failures++;
        const std::string what = tls_started_                ? "TLS handshake with "
                                 : proto_ == hal::Proto::Tcp ? "TCP connect to "
                                                             : "UDP connect to ";
        net_.log(hal::LogLevel::Info, net_link_name(id_) + ": " + what + host_ + ":" + std::to_string(port_) +
                                          " failed: " + error_name(why) +
                                          (ec ? " (" + ec.message() + ")" : ""));
        net_.release(id_, gen_);
        net_.emit(id_, gen_, [id = id_, why](hal::NetListener& l) { l.on_connect_failed(id, why); });
    }

    /// The TLS handshake failed: on_connect_failed(TlsFailed), the reason logged and kept for status.
    void fail_tls(const std::string& reason) {
        if (closed_) return;
        auto self = shared_from_this();
        abort();
        net_.counters_.connect_failures++;
        net_.tls_failed(id_, host_, port_, reason);
        net_.release(id_, gen_);
        net_.emit(id_, gen_,
                  [id = id_](hal::NetListener& l) { l.on_connect_failed(id, hal::NetError::TlsFailed); });
    }

    /// The connection ended (the end marker went through the downstream delay line).
    void finish_closed(hal::NetError why) {
        if (closed_) return;
        auto self = shared_from_this();
        abort();
        net_.counters_.closed_by_peer++;
        net_.log(hal::LogLevel::Info,
                 net_link_name(id_) + ": connection to " + remote_ + " ended: " + error_name(why));
        net_.release(id_, gen_);
        net_.emit(id_, gen_, [id = id_, why](hal::NetListener& l) { l.on_closed(id, why); });
    }

    /// The peer ended the connection: the end follows the data already read.
    void queue_end(hal::NetError why) {
        if (end_queued_) return;
        end_queued_ = true;
        const TimePoint t = net_.link_.schedule_control(down_.flow, LinkImpairment::Clock::now());
        down_.push(t, Item{std::string(), true, why});
        pump(Direction::Downstream);
    }

    // ---- downstream -------------------------------------------------------------------------------

    void start_read() {
        if (closed_ || reading_ || read_paused_ || end_queued_) return;
        reading_ = true;
        auto self = shared_from_this();
        if (proto_ == hal::Proto::Tcp) {
            tcp_.async_read_some(asio::buffer(rbuf_),
                                 [self](const error_code& ec, std::size_t n) { self->on_read_tcp(ec, n); });
        } else {
            udp_.async_receive_from(asio::buffer(rbuf_), from_, [self](const error_code& ec, std::size_t n) {
                self->on_read_udp(ec, n);
            });
        }
    }

    void on_read_tcp(const error_code& ec, std::size_t n) {
        reading_ = false;
        if (closed_) return;
        if (detached_) { // draining after close(): keep the socket readable, discard
            if (!ec) start_read();
            return;
        }
        if (n > 0) offer_down(std::string(rbuf_.data(), n));
        if (closed_ || detached_) return;
        if (ec) {
            if (ec == asio::error::operation_aborted) return;
            queue_end(ec == asio::error::eof ? hal::NetError::PeerClosed : hal::NetError::Reset);
            return;
        }
        if (down_.bytes > net_.options_.max_queue_bytes) {
            read_paused_ = true; // TCP backpressure: the server's window closes
            return;
        }
        start_read();
    }

    void on_read_udp(const error_code& ec, std::size_t n) {
        reading_ = false;
        if (closed_) return;
        if (detached_) {
            if (!ec) start_read();
            return;
        }
        if (ec) {
            if (ec == asio::error::operation_aborted) return;
            // ICMP port/host unreachable and the like: a cellular UDP socket never notices them.
            net_.counters_.udp_rx_foreign++;
            start_read();
            return;
        }
        if (from_ != peer_) { // spec net-transparent §1: only the server is heard
            net_.counters_.udp_rx_foreign++;
            start_read();
            return;
        }
        if (down_.bytes + n > net_.options_.max_queue_bytes) {
            net_.link_.count_overflow(Direction::Downstream, n);
        } else {
            offer_down(std::string(rbuf_.data(), n));
        }
        if (closed_ || detached_) return;
        start_read();
    }

    /// Bytes for the server into the upstream delay line (no cap: the caller checked it).
    void offer_up(std::string bytes) {
        const auto v = net_.link_.schedule(up_.flow, bytes.size(), LinkImpairment::Clock::now());
        if (v.drop) return; // lost on the radio (UDP): the device believes it was sent
        up_.push(v.deliver_at, Item{std::move(bytes)});
        pump(Direction::Upstream);
    }

    void offer_down(std::string bytes) {
        const auto v = net_.link_.schedule(down_.flow, bytes.size(), LinkImpairment::Clock::now());
        if (v.drop) return;
        down_.push(v.deliver_at, Item{std::move(bytes)});
        pump(Direction::Downstream);
    }

    void deliver_down(Item item) {
        if (item.eof && tls_ && state_ != NetLinkState::Connected)
            return fail_tls(item.why == hal::NetError::Reset
                                ? "connection reset during the TLS handshake"
                                : "the server closed the connection during the TLS handshake");
        if (item.eof) return finish_closed(item.why);
        if (tls_) return deliver_tls(item.data);
        deliver_plain(item.data);
    }

    void deliver_plain(const std::string& data) {
        rx_bytes_ += data.size();
        rx_packets_++;
        net_.emit(id_, gen_, [id = id_, &data](hal::NetListener& l) { l.on_data(id, data); });
    }

    // ---- TLS --------------------------------------------------------------------------------------

    /// Records from the server: the handshake advances, or plaintext goes to the firmware.
    void deliver_tls(const std::string& records) {
        const bool handshaking = state_ != NetLinkState::Connected;
        tls_->feed(records);
        flush_tls();
        if (closed_) return;
        if (handshaking) {
            if (tls_->state() == TlsSession::State::Failed) return fail_tls(tls_->error());
            if (tls_->state() != TlsSession::State::Established) return; // more handshake to come
            const TlsOutcome& o = tls_->outcome();
            net_.log(hal::LogLevel::Debug, net_link_name(id_) + ": TLS " + o.version + " " + o.cipher +
                                               (o.verified ? ", server verified" : ", not verified"));
            report_connected();
            if (closed_ || detached_) return;
        }
        // What was decrypted before an error or the server's close_notify still goes to the firmware.
        const std::string plain = tls_->take_plaintext();
        if (!plain.empty()) deliver_plain(plain);
        if (closed_ || detached_) return;
        if (tls_->state() == TlsSession::State::Failed) {
            net_.tls_broken(id_, remote_, tls_->error());
            return finish_closed(hal::NetError::Reset); // a TLS error ends the connection
        }
        // close_notify: the server is done; the device closes as on a FIN (which usually follows).
        if (tls_->peer_closed()) finish_closed(hal::NetError::PeerClosed);
    }

    /// Move what the TLS session wrote (handshake, records, alerts, close_notify) upstream.
    void flush_tls() {
        std::string out = tls_->take_output();
        if (!out.empty()) offer_up(std::move(out));
    }

    void maybe_resume_read() {
        if (read_paused_ && !closed_ && !detached_ && down_.bytes <= net_.options_.max_queue_bytes / 2) {
            read_paused_ = false;
            start_read();
        }
    }

    // ---- upstream ---------------------------------------------------------------------------------

    void write(std::string data) {
        write_bytes_ += data.size();
        writes_.push_back(std::move(data));
        if (!writing_) write_next();
    }

    void write_next() {
        if (writes_.empty()) {
            writing_ = false;
            maybe_finish_drain();
            return;
        }
        writing_ = true;
        auto self = shared_from_this();
        auto done = [self](const error_code& ec, std::size_t) { self->on_written(ec); };
        if (proto_ == hal::Proto::Tcp) {
            asio::async_write(tcp_, asio::buffer(writes_.front()), done);
        } else {
            udp_.async_send_to(asio::buffer(writes_.front()), peer_, done);
        }
    }

    void on_written(const error_code& ec) {
        if (closed_) return;
        if (ec && proto_ == hal::Proto::Tcp) {
            writing_ = false;
            writes_.clear();
            write_bytes_ = 0;
            if (detached_) {
                abort();
                net_.finish_draining(this);
                return;
            }
            queue_end(hal::NetError::Reset);
            return;
        }
        // UDP: a send error (ICMP from an earlier datagram) loses this datagram, like the network would.
        if (!ec) {
            tx_bytes_ += writes_.front().size();
            tx_packets_++;
        }
        write_bytes_ -= writes_.front().size();
        writes_.pop_front();
        maybe_drained();
        write_next();
    }

    std::size_t up_queued() const { return up_.bytes + write_bytes_; }

    /// A busy link drained to half its limit: the firmware takes serial data for it again.
    void maybe_drained() {
        if (!busy_ || up_queued() > net_.options_.send_busy_bytes / 2) return;
        busy_ = false;
        if (detached_) return;
        const hal::LinkId id = id_;
        net_.post_event(id_, gen_, [id](hal::NetListener& l) { l.on_send_drained(id); });
    }

    void maybe_finish_drain() {
        if (detached_ && !closed_ && up_.items.empty() && writes_.empty() && !writing_) {
            abort();
            net_.finish_draining(this);
        }
    }

    // ---- the delay lines --------------------------------------------------------------------------

    void pump(Direction d) {
        Queue& q = queue(d);
        const TimePoint now = LinkImpairment::Clock::now();
        while (!closed_ && !q.items.empty()) {
            auto it = q.items.begin();
            if (it->first > now) {
                arm(d, it->first);
                break;
            }
            if (net_.link_.stalled(d)) {
                // Held until the stall clears (resume()).
                it = hold_due(q.items, now, net_.link_, d);
                if (it != q.items.end()) arm(d, it->first);
                return;
            }
            Item item = std::move(it->second);
            q.bytes -= item.data.size();
            q.items.erase(it);
            if (d == Direction::Upstream) {
                write(std::move(item.data));
            } else {
                deliver_down(std::move(item));
                if (detached_) return;
            }
        }
        if (closed_) return;
        if (d == Direction::Downstream)
            maybe_resume_read();
        else
            maybe_finish_drain();
    }

    void arm(Direction d, TimePoint t) {
        Queue& q = queue(d);
        if (q.armed && q.armed_at <= t) return;
        q.armed = true;
        q.armed_at = t;
        const std::uint64_t seq = ++q.seq;
        q.timer.expires_at(t);
        auto self = shared_from_this();
        q.timer.async_wait([self, d, seq](const error_code&) {
            Queue& qq = self->queue(d);
            if (self->closed_ || seq != qq.seq) return;
            qq.armed = false;
            self->pump(d);
        });
    }

    AsioNet& net_;
    const hal::LinkId id_;
    const std::uint32_t gen_;
    const hal::Proto proto_;
    const std::string host_;
    const std::uint16_t port_;
    const std::unique_ptr<TlsSession> tls_; ///< TLS links only
    NetLinkState state_ = NetLinkState::Idle;
    bool closed_ = false;   ///< sockets closed: every handler returns at once
    bool detached_ = false; ///< the firmware closed it: no events, downstream discarded
    bool handshake_due_ = false;
    bool tls_started_ = false; ///< the TLS handshake began: a connect failure is its failure
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
    asio::steady_timer connect_timer_;
    asio::steady_timer handshake_timer_;
    asio::steady_timer linger_timer_;
    Queue up_;
    Queue down_;
    std::deque<std::string> writes_; ///< due upstream data, written one at a time in order
    std::size_t write_bytes_ = 0;
    std::vector<char> rbuf_;
    std::string remote_, local_;
    std::uint64_t tx_bytes_ = 0, tx_packets_ = 0, rx_bytes_ = 0, rx_packets_ = 0;
};

// ---- AsioNet --------------------------------------------------------------------------------------

AsioNet::AsioNet(asio::io_context& io, LinkImpairment& link, hal::Log& log, AsioNetOptions options)
    : io_(io), link_(link), log_(log), options_(options), alive_(std::make_shared<AsioNet*>(this)) {
    link_.set_change_handler(
        [this](const LinkConfig& before, const LinkConfig& after) { on_config_changed(before, after); });
}

AsioNet::~AsioNet() {
    link_.set_change_handler(nullptr);
    ++epoch_;
    for (Slot& s : slots_) {
        if (s.conn) s.conn->abort();
        s.conn.reset();
    }
    for (auto& c : draining_)
        c->abort();
    draining_.clear();
}

void AsioNet::open(hal::LinkId id, hal::Proto proto, std::string_view host, std::uint16_t port,
                   const hal::TlsParams* tls) {
    counters_.opens++;
    if (id >= slots_.size()) {
        log(hal::LogLevel::Warn, "net: open on link id " + std::to_string(id) + " (only 0.." +
                                     std::to_string(slots_.size() - 1) + " exist)");
        counters_.connect_failures++;
        post_event(id, 0, [id](hal::NetListener& l) { l.on_connect_failed(id, hal::NetError::Invalid); });
        return;
    }
    if (proto == hal::Proto::Udp && port == 123) port = options_.ntp_port; // see AsioNetOptions::ntp_port
    Slot& slot = slots_[id];
    if (slot.conn) {
        auto old = std::move(slot.conn);
        counters_.closes++;
        if (old->close_by_firmware()) draining_.push_back(std::move(old));
    }
    const std::uint32_t gen = ++slot.gen;
    const char* what = proto == hal::Proto::Tcp ? "TCP" : "UDP";
    if (host.empty() || port == 0) {
        log(hal::LogLevel::Warn, net_link_name(id) + ": " + what + " open refused: invalid " +
                                     (host.empty() ? std::string("empty host") : "port 0") + " (" +
                                     std::string(host) + ":" + std::to_string(port) + ")");
        counters_.connect_failures++;
        post_event(id, gen, [id](hal::NetListener& l) { l.on_connect_failed(id, hal::NetError::Invalid); });
        return;
    }
    if (!attached()) {
        log(hal::LogLevel::Info, net_link_name(id) + ": " + what + " connect to " + std::string(host) + ":" +
                                     std::to_string(port) + " failed: not attached");
        counters_.connect_failures++;
        post_event(id, gen,
                   [id](hal::NetListener& l) { l.on_connect_failed(id, hal::NetError::NotAttached); });
        return;
    }
    std::unique_ptr<TlsSession> session;
    if (tls) {
        if (proto == hal::Proto::Udp) {
            log(hal::LogLevel::Warn, net_link_name(id) + ": UDP open refused: TLS needs TCP");
            counters_.connect_failures++;
            post_event(id, gen,
                       [id](hal::NetListener& l) { l.on_connect_failed(id, hal::NetError::Invalid); });
            return;
        }
        session = tls_session(id, *tls, host, port);
        if (!session) { // the settings cannot work (bad certificate text, key mismatch...): no connect
            counters_.connect_failures++;
            post_event(id, gen,
                       [id](hal::NetListener& l) { l.on_connect_failed(id, hal::NetError::TlsFailed); });
            return;
        }
    }
    slot.conn = std::make_shared<Conn>(*this, id, gen, proto, std::string(host), port, std::move(session));
    if (const AsioNetOptions::Redirect* r = redirect(proto, host, port))
        slot.conn->dial("127.0.0.1", r->to_port);
    slot.conn->start();
}

std::unique_ptr<TlsSession> AsioNet::tls_session(hal::LinkId id, const hal::TlsParams& tls,
                                                 std::string_view host, std::uint16_t port) {
    TlsContextCache& cache = options_.tls_contexts ? *options_.tls_contexts : TlsContextCache::shared();
    TlsContextResult ctx = cache.get(tls);
    std::string error = ctx.error;
    std::unique_ptr<TlsSession> session;
    if (ctx) {
        session = std::make_unique<TlsSession>(std::move(ctx.ctx), tls, host);
        if (session->state() == TlsSession::State::Failed) error = session->error();
    }
    if (error.empty()) return session;
    tls_failed(id, host, port, error);
    return nullptr;
}

void AsioNet::tls_failed(hal::LinkId id, std::string_view host, std::uint16_t port,
                         const std::string& reason) {
    counters_.tls_failures++;
    last_tls_error_ = net_link_name(id) + ": TLS handshake with " + std::string(host) + ":" +
                      std::to_string(port) + " failed: " + reason;
    log(hal::LogLevel::Warn, last_tls_error_);
}

void AsioNet::tls_broken(hal::LinkId id, const std::string& remote, const std::string& reason) {
    counters_.tls_errors++;
    last_tls_error_ = net_link_name(id) + ": TLS connection to " + remote + " broken: " + reason;
    log(hal::LogLevel::Warn, last_tls_error_);
}

bool AsioNet::send_busy(hal::LinkId id) const {
    return id < slots_.size() && slots_[id].conn && slots_[id].conn->busy();
}

bool AsioNet::send(hal::LinkId id, std::string_view bytes) {
    const bool ok = id < slots_.size() && slots_[id].conn && slots_[id].conn->send(bytes);
    if (!ok) counters_.send_refused++;
    return ok;
}

void AsioNet::close(hal::LinkId id) {
    if (id >= slots_.size()) return;
    Slot& slot = slots_[id];
    ++slot.gen; // events already posted for this link are dropped
    if (!slot.conn) return;
    auto conn = std::move(slot.conn);
    counters_.closes++;
    if (conn->close_by_firmware()) draining_.push_back(std::move(conn));
}

void AsioNet::set_link_listener(hal::LinkId id, hal::NetListener* listener) {
    if (id < link_listeners_.size()) link_listeners_[id] = listener;
}

void AsioNet::close_all() {
    ++epoch_;
    for (hal::LinkId id = 0; id < slots_.size(); ++id) {
        if (owned_by_module(id)) continue;
        Slot& s = slots_[id];
        ++s.gen;
        if (!s.conn) continue;
        s.conn->abort();
        s.conn.reset();
    }
    // Links already closed and still delivering their last bytes are cut, the module's own too
    // (their owner has let them go).
    for (auto& c : draining_)
        c->abort();
    draining_.clear();
}

std::size_t AsioNet::reset_connections() {
    const std::size_t n =
        take_links(slots_, connected_tcp<Conn>, [this](hal::LinkId id, std::uint32_t gen, Conn& conn) {
            conn.reset();
            post_event(id, gen, [id](hal::NetListener& l) { l.on_closed(id, hal::NetError::Reset); });
        });
    if (n) log(hal::LogLevel::Info, "net: " + std::to_string(n) + " TCP connection(s) reset (injected)");
    return n;
}

std::vector<NetLinkSnapshot> AsioNet::snapshot() const { return snapshot_slots(slots_); }

void AsioNet::set_radio_attached(bool up) {
    const bool before = attached();
    radio_attached_ = up;
    attach_changed(before, attached());
}

void AsioNet::on_config_changed(const LinkConfig& before, const LinkConfig& after) {
    attach_changed(before.attached && radio_attached_, after.attached && radio_attached_);
    if (unstalled(before, after)) {
        // Posted: resume() delivers data, and set_config is not an event of the firmware's.
        std::weak_ptr<AsioNet*> weak = alive_;
        asio::post(io_, [this, weak] {
            if (weak.expired()) return;
            for (auto& c : live_conns(slots_, draining_))
                c->resume();
        });
    }
}

void AsioNet::attach_changed(bool before, bool after) {
    if (before && !after) {
        // Registration lost: every socket goes at once; the firmware hears of it from the io_context.
        post_event(hal::kMaxLinks, 0, [](hal::NetListener& l) { l.on_attach_changed(false); });
        for (auto& c : draining_)
            c->abort();
        draining_.clear();
        take_links(slots_, every_link<Conn>, [this](hal::LinkId id, std::uint32_t gen, Conn& conn) {
            const bool was_connected = conn.state() == NetLinkState::Connected;
            conn.abort();
            if (was_connected) {
                counters_.closed_not_attached++;
                post_event(id, gen,
                           [id](hal::NetListener& l) { l.on_closed(id, hal::NetError::NotAttached); });
            } else {
                counters_.connect_failures++;
                post_event(id, gen, [id](hal::NetListener& l) {
                    l.on_connect_failed(id, hal::NetError::NotAttached);
                });
            }
        });
        log(hal::LogLevel::Info, "net: data link detached, all links closed");
    } else if (!before && after) {
        log(hal::LogLevel::Info, "net: data link attached");
        post_event(hal::kMaxLinks, 0, [](hal::NetListener& l) { l.on_attach_changed(true); });
    }
}

void AsioNet::post_event(hal::LinkId id, std::uint32_t gen, std::function<void(hal::NetListener&)> event) {
    std::weak_ptr<AsioNet*> weak = alive_;
    asio::post(io_, [this, weak, id, gen, epoch = epoch_, event = std::move(event)] {
        if (weak.expired()) return;
        // close_all() (epoch) spares the module's own links; their generation still applies.
        if (epoch != epoch_ && !owned_by_module(id)) return;
        if (id < slots_.size() && slots_[id].gen != gen) return;
        if (hal::NetListener* l = listener_for(id)) event(*l);
    });
}

const AsioNetOptions::Redirect* AsioNet::redirect(hal::Proto proto, std::string_view host,
                                                  std::uint16_t port) const {
    const std::string key = host_key(host);
    for (const AsioNetOptions::Redirect& r : options_.redirects)
        if (r.proto == proto && r.port == port && host_key(r.host) == key) return &r;
    return nullptr;
}

void AsioNet::emit(hal::LinkId id, std::uint32_t gen, const std::function<void(hal::NetListener&)>& event) {
    if (!current(id, gen)) return;
    if (hal::NetListener* l = listener_for(id)) event(*l);
}

void AsioNet::release(hal::LinkId id, std::uint32_t gen) {
    if (current(id, gen)) slots_[id].conn.reset();
}

void AsioNet::finish_draining(const Conn* conn) {
    for (auto it = draining_.begin(); it != draining_.end(); ++it) {
        if (it->get() == conn) {
            // The caller holds its own shared_ptr (every handler does), so erasing cannot destroy it.
            draining_.erase(it);
            return;
        }
    }
}

const char* AsioNet::state_name(NetLinkState state) { return net_state_name(state); }

const char* AsioNet::error_name(hal::NetError error) { return net_error_name(error); }

} // namespace dtu::hal_sim
