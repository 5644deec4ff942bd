#include "hal_sim/loopback_server.hpp"

#include <deque>
#include <string>
#include <utility>

#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/write.hpp>

namespace dtu::hal_sim {
namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using boost::system::error_code;

namespace {

constexpr std::size_t kReadChunk = 4096;
constexpr std::size_t kMaxDatagram = 65536;

bool is_reset(const error_code& ec) { return ec != asio::error::eof; }

} // namespace

/// One accepted connection. Handlers hold a shared_ptr to it and return at once once it is closed,
/// so a closed connection never touches its server again.
class LoopbackServer::TcpConn : public std::enable_shared_from_this<TcpConn> {
public:
    TcpConn(LoopbackServer& server, ConnId id, tcp::socket socket)
        : server_(server), id_(id), socket_(std::move(socket)) {}

    void start() {
        error_code ignored;
        socket_.set_option(tcp::no_delay(true), ignored); // the peer's sends go out as it makes them
        read();
    }

    bool send(std::string_view bytes) {
        if (closed_ || server_closed_) return false;
        out_.emplace_back(bytes);
        if (!writing_) write_next();
        return true;
    }

    /// The server's close: an RST now, or a FIN after what it sent. It hears nothing more.
    void close(bool reset) {
        server_closed_ = true;
        if (reset) return abort(true);
        fin_pending_ = true;
        if (!writing_) shutdown_send();
    }

    /// Close the socket now (with an RST if reset), no event follows.
    void abort(bool reset) {
        if (closed_) return;
        closed_ = true;
        error_code ignored;
        if (reset) socket_.set_option(asio::socket_base::linger(true, 0), ignored);
        socket_.close(ignored);
    }

private:
    void read() {
        socket_.async_read_some(
            asio::buffer(buf_),
            [self = shared_from_this()](const error_code& ec, std::size_t n) { self->on_read(ec, n); });
    }

    void on_read(const error_code& ec, std::size_t n) {
        if (closed_) return;
        if (ec) {
            abort(false);
            return server_.tcp_ended(id_, !server_closed_, is_reset(ec));
        }
        if (!server_closed_) server_.peer_->on_data(id_, std::string_view(buf_.data(), n));
        if (!closed_) read();
    }

    void write_next() {
        writing_ = true;
        asio::async_write(
            socket_, asio::buffer(out_.front()),
            [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_written(ec); });
    }

    void on_written(const error_code& ec) {
        if (closed_) return;
        writing_ = false;
        if (ec) return; // the read side sees the connection end and reports it
        out_.pop_front();
        if (!out_.empty()) return write_next();
        if (fin_pending_) shutdown_send();
    }

    void shutdown_send() {
        error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_send, ignored);
    }

    LoopbackServer& server_;
    const ConnId id_;
    tcp::socket socket_;
    std::array<char, kReadChunk> buf_{};
    std::deque<std::string> out_;
    bool writing_ = false, fin_pending_ = false, server_closed_ = false, closed_ = false;
};

LoopbackServer::LoopbackServer(asio::io_context& io, hal::Proto proto, hal::Log& log)
    : io_(io), proto_(proto), log_(log), acceptor_(io), udp_(io),
      alive_(std::make_shared<LoopbackServer*>(this)) {
    const auto loopback = asio::ip::address_v4::loopback();
    if (proto_ == hal::Proto::Tcp) {
        acceptor_.open(tcp::v4());
        acceptor_.bind(tcp::endpoint(loopback, 0));
        acceptor_.listen();
        port_ = acceptor_.local_endpoint().port();
    } else {
        udp_.open(udp::v4());
        udp_.bind(udp::endpoint(loopback, 0));
        port_ = udp_.local_endpoint().port();
    }
}

LoopbackServer::~LoopbackServer() {
    alive_.reset();
    error_code ignored;
    acceptor_.close(ignored);
    udp_.close(ignored);
    for (auto& [id, conn] : tcp_conns_)
        conn->abort(false);
}

void LoopbackServer::serve(VirtualServer& peer) {
    peer_ = &peer;
    if (proto_ == hal::Proto::Udp) return receive_next();
    if (accepting_) return accept_next();
    error_code ignored;
    acceptor_.close(ignored);
}

void LoopbackServer::set_accepting(bool accepting) {
    if (proto_ == hal::Proto::Udp || accepting == accepting_) return;
    accepting_ = accepting;
    if (!peer_) return; // serve() starts in that state
    if (accepting) return listen_again();
    error_code ignored;
    acceptor_.close(ignored);
}

void LoopbackServer::listen_again() {
    error_code ec;
    acceptor_.open(tcp::v4(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(tcp::endpoint(asio::ip::address_v4::loopback(), port_), ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        log_.write(hal::LogLevel::Warn, "loopback server: cannot listen on 127.0.0.1:" +
                                            std::to_string(port_) + " again: " + ec.message());
        error_code ignored;
        acceptor_.close(ignored);
        return;
    }
    accept_next();
}

void LoopbackServer::accept_next() {
    acceptor_.async_accept([this, weak = std::weak_ptr(alive_)](const error_code& ec, tcp::socket socket) {
        if (weak.expired()) return;
        if (ec) {
            log_.write(hal::LogLevel::Warn,
                       "loopback server :" + std::to_string(port_) + ": accept: " + ec.message());
            if (ec == asio::error::operation_aborted) return;
            return accept_next();
        }
        const ConnId id = ++last_conn_;
        auto conn = std::make_shared<TcpConn>(*this, id, std::move(socket));
        if (peer_->on_connect(id)) {
            tcp_conns_.emplace(id, conn);
            conn->start();
        } else {
            conn->abort(true); // the handshake is done already: an RST is the nearest thing to a refusal
        }
        accept_next();
    });
}

void LoopbackServer::tcp_ended(ConnId conn, bool notify, bool reset) {
    tcp_conns_.erase(conn);
    if (notify) peer_->on_closed(conn, reset);
}

void LoopbackServer::receive_next() {
    datagram_.resize(kMaxDatagram);
    udp_.async_receive_from(asio::buffer(datagram_), from_,
                            [this, weak = std::weak_ptr(alive_)](const error_code& ec, std::size_t n) {
                                if (weak.expired() || ec == asio::error::operation_aborted) return;
                                if (!ec) on_datagram(n); // ICMP errors from an earlier send are not news
                                receive_next();
                            });
}

void LoopbackServer::on_datagram(std::size_t size) {
    auto [it, fresh] = udp_conns_.try_emplace(from_, 0);
    if (fresh) {
        it->second = ++last_conn_;
        udp_peers_.emplace(it->second, from_);
        peer_->on_connect(it->second);
    }
    const ConnId id = it->second;
    if (udp_peers_.count(id)) peer_->on_data(id, std::string_view(datagram_.data(), size));
}

bool LoopbackServer::server_send(ConnId conn, std::string_view bytes) {
    if (proto_ == hal::Proto::Tcp) {
        const auto it = tcp_conns_.find(conn);
        return it != tcp_conns_.end() && it->second->send(bytes);
    }
    const auto it = udp_peers_.find(conn);
    if (it == udp_peers_.end()) return false;
    error_code ec;
    udp_.send_to(asio::buffer(bytes.data(), bytes.size()), it->second, 0, ec);
    return !ec;
}

void LoopbackServer::server_close(ConnId conn, bool reset) {
    if (proto_ == hal::Proto::Udp) {
        udp_peers_.erase(conn);
        return;
    }
    const auto it = tcp_conns_.find(conn);
    if (it == tcp_conns_.end()) return;
    const auto keep = it->second;
    keep->close(reset);
    if (reset) tcp_conns_.erase(it);
}

} // namespace dtu::hal_sim
