// AsioNet::Conn's UDP socket: bound like a connected one, reading whole datagrams from the server
// only.
#include "hal_sim/asio_conn.hpp"

#include "hal_sim/asio_endpoints.hpp"

namespace dtu::hal_sim {

namespace asio = boost::asio;

void AsioNet::Conn::on_resolved_udp(const error_code& ec, const udp::resolver::results_type& results) {
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
    handshake(net_.link_.connect_delay(), false);
}

asio::ip::address AsioNet::Conn::source_address(const udp::endpoint& ep, error_code& ec) {
    udp::socket probe(net_.io_);
    probe.open(ep.protocol(), ec);
    if (!ec) probe.connect(ep, ec);
    const udp::endpoint local = ec ? udp::endpoint() : probe.local_endpoint(ec);
    return local.address();
}

void AsioNet::Conn::on_read_udp(const error_code& ec, std::size_t n) {
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
    if (down_.bytes() + n > net_.options_.max_queue_bytes) {
        net_.link_.count_overflow(Direction::Downstream, n);
    } else {
        offer_down(std::string(rbuf_.data(), n));
    }
    if (closed_ || detached_) return;
    start_read();
}

} // namespace dtu::hal_sim
