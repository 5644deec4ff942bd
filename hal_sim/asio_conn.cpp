// AsioNet::Conn's lifecycle: resolve, the simulated handshake time, connected / failed / ended, the
// firmware's close and the net's abort and reset.
#include "hal_sim/asio_conn.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>

#include "hal_sim/tls_session.hpp"

namespace dtu::hal_sim {

namespace asio = boost::asio;

AsioNet::Conn::Conn(AsioNet& net, hal::LinkId id, std::uint32_t gen, hal::Proto proto, std::string host,
                    std::uint16_t port, std::unique_ptr<TlsSession> tls)
    : net_(net), id_(id), gen_(gen), proto_(proto), host_(std::move(host)), port_(port),
      tls_(tls ? std::make_unique<TlsLink>(std::move(tls), static_cast<TlsTransport&>(*this), net.tls_report_,
                                           net.log_, id, host_, port)
               : nullptr),
      tcp_resolver_(net.io_), udp_resolver_(net.io_), tcp_(net.io_), udp_(net.io_),
      connect_timer_(net.scheduler_), handshake_timer_(net.scheduler_), linger_timer_(net.scheduler_),
      up_(net.scheduler_, net.link_, Direction::Upstream, proto == hal::Proto::Tcp,
          [this] { wake(&Conn::pump_up); }),
      down_(net.scheduler_, net.link_, Direction::Downstream, proto == hal::Proto::Tcp,
            [this] { wake(&Conn::pump_down); }),
      rbuf_(proto == hal::Proto::Udp ? kMaxDatagram : std::max<std::size_t>(net.options_.read_chunk, 1)) {}

AsioNet::Conn::~Conn() = default; // here, where TlsSession is complete

void AsioNet::Conn::start() {
    auto self = shared_from_this();
    state_ = NetLinkState::Resolving;
    connect_timer_.after(net_.options_.connect_timeout, [this] {
        if (closed_ || state_ == NetLinkState::Connected) return;
        fail_connect(hal::NetError::Timeout);
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
        tcp_resolver_.async_resolve(dial_host_, service,
                                    [self](const error_code& ec, const tcp::resolver::results_type& results) {
                                        self->on_resolved_tcp(ec, results);
                                    });
    } else {
        udp_resolver_.async_resolve(dial_host_, service,
                                    [self](const error_code& ec, const udp::resolver::results_type& results) {
                                        self->on_resolved_udp(ec, results);
                                    });
    }
}

bool AsioNet::Conn::close_by_firmware() {
    if (closed_) return false;
    auto self = shared_from_this();
    detached_ = true;
    down_.clear();
    if (tls_ && state_ == NetLinkState::Connected) tls_->close(); // close_notify behind the data sent
    if (state_ != NetLinkState::Connected || (up_.empty() && writes_.empty())) {
        abort();
        return false;
    }
    state_ = NetLinkState::Closing;
    linger_timer_.after(net_.options_.linger, [this] {
        if (closed_) return;
        auto me = shared_from_this(); // finish_draining lets the net drop it
        abort();
        net_.finish_draining(this);
    });
    return true;
}

void AsioNet::Conn::reset() {
    if (tcp_.is_open()) {
        error_code ignored;
        tcp_.set_option(tcp::socket::linger(true, 0), ignored);
        tcp_.close(ignored);
    }
    abort();
}

void AsioNet::Conn::abort() {
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

NetLinkSnapshot AsioNet::Conn::snapshot() const {
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
    s.up_queued_bytes = up_queued();
    s.down_queued_bytes = down_.bytes();
    if (tls_) tls_->fill(s);
    return s;
}

void AsioNet::Conn::handshake(std::chrono::nanoseconds delay, bool needs_link) {
    handshake_timer_.after(delay, [this, needs_link] {
        if (closed_) return;
        if (needs_link && stalled_any()) {
            handshake_due_ = true; // SYN / SYN-ACK cannot pass; resume() or the timeout decides
            return;
        }
        auto self = shared_from_this();
        transport_ready();
    });
}

void AsioNet::Conn::transport_ready() {
    if (!tls_) return report_connected();
    net_.log(hal::LogLevel::Debug, net_link_name(id_) + ": TCP connected to " + remote_ + ", TLS handshake");
    tls_->start(std::nullopt); // real time: certificates are checked against the host's clock
    if (closed_) return;
    start_read();
}

void AsioNet::Conn::report_connected() {
    state_ = NetLinkState::Connected;
    connect_timer_.cancel();
    if (!accepted_by_) net_.counters_.connects++; // an accepted client counts as an accept (AsioNet::accept)
    if (accepted_by_) {
        net_.log(hal::LogLevel::Debug, net_link_name(id_) + ": client " + remote_ + " on " + local_);
        net_.emit(id_, gen_, [id = id_, by = *accepted_by_](hal::NetListener& l) {
            l.on_accepted(by.first, id, by.second);
        });
    } else {
        net_.log(hal::LogLevel::Debug, net_link_name(id_) + ": connected to " + remote_ + " from " + local_);
        net_.emit(id_, gen_, [id = id_](hal::NetListener& l) { l.on_connected(id); });
    }
    if (closed_ || detached_) return;
    start_read();
}

void AsioNet::Conn::fail_connect(hal::NetError why, const error_code& ec) {
    if (closed_) return;
    auto self = shared_from_this();
    abort();
    net_.counters_.connect_failures++;
    const std::string what = tls_ && tls_->started()     ? "TLS handshake with "
                             : proto_ == hal::Proto::Tcp ? "TCP connect to "
                                                         : "UDP connect to ";
    net_.log(hal::LogLevel::Info, net_link_name(id_) + ": " + what + host_ + ":" + std::to_string(port_) +
                                      " failed: " + error_name(why) + (ec ? " (" + ec.message() + ")" : ""));
    net_.release(id_, gen_);
    net_.emit(id_, gen_, [id = id_, why](hal::NetListener& l) { l.on_connect_failed(id, why); });
}

void AsioNet::Conn::finish_closed(hal::NetError why) {
    if (closed_) return;
    auto self = shared_from_this();
    abort();
    net_.counters_.closed_by_peer++;
    net_.log(hal::LogLevel::Info,
             net_link_name(id_) + ": connection to " + remote_ + " ended: " + error_name(why));
    net_.release(id_, gen_);
    net_.emit(id_, gen_, [id = id_, why](hal::NetListener& l) { l.on_closed(id, why); });
}

void AsioNet::Conn::queue_end(hal::NetError why) {
    if (end_queued_) return;
    end_queued_ = true;
    down_.offer_end(why);
    pump_down();
}

} // namespace dtu::hal_sim
