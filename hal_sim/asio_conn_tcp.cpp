// AsioNet::Conn's TCP socket: the connect after the name lookup, and reading with TCP backpressure.
#include "hal_sim/asio_conn.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>

#include "hal_sim/asio_endpoints.hpp"

namespace dtu::hal_sim {

namespace asio = boost::asio;

void AsioNet::Conn::on_resolved_tcp(const error_code& ec, const tcp::resolver::results_type& results) {
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
        // The host's default when refused: only the flow-control limit moves later.
        if (const std::size_t n = self->net_.options_.socket_send_buffer; n != 0)
            self->tcp_.set_option(asio::socket_base::send_buffer_size(static_cast<int>(n)), ignored);
        self->handshake(self->net_.link_.connect_time(), true);
    });
}

void AsioNet::Conn::start_accepted(tcp::socket socket, hal::LinkId listener, const hal::NetAddress& peer) {
    error_code ignored;
    tcp_ = std::move(socket);
    accepted_by_ = std::make_pair(listener, peer);
    state_ = NetLinkState::Connecting;
    remote_ = endpoint_string(tcp_.remote_endpoint(ignored));
    local_ = endpoint_string(tcp_.local_endpoint(ignored));
    tcp_.set_option(tcp::no_delay(true), ignored);
    if (const std::size_t n = net_.options_.socket_send_buffer; n != 0)
        tcp_.set_option(asio::socket_base::send_buffer_size(static_cast<int>(n)), ignored);
    handshake(net_.link_.connect_time(), true); // the client's SYN crosses the simulated link too
}

void AsioNet::Conn::on_read_tcp(const error_code& ec, std::size_t n) {
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
    if (down_.bytes() > net_.options_.max_queue_bytes) {
        read_paused_ = true; // TCP backpressure: the server's window closes
        return;
    }
    start_read();
}

} // namespace dtu::hal_sim
