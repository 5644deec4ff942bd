#pragma once
// Real network peers on 127.0.0.1 for the hal_sim::AsioNet tests, on the test's io_context: a TCP
// server (collect or echo, close or reset a session, flood) and a UDP server. Single-threaded.
#include <array>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/write.hpp>

#include "dtu/hal/net.hpp"

namespace dtu::itest {

using SteadyTime = std::chrono::steady_clock::time_point;

/// Accepts every connection; each session keeps what it received (and echoes it in echo mode).
class TcpPeer {
public:
    struct Session {
        explicit Session(boost::asio::io_context& io) : socket(io) {}
        boost::asio::ip::tcp::socket socket;
        std::string received;
        std::vector<std::pair<SteadyTime, std::size_t>> arrivals; ///< (when, received.size() after)
        bool ended = false;                                       ///< EOF or error read
        boost::system::error_code end;
        std::array<char, 65536> buf{};
        std::deque<std::string> out;
        bool writing = false;
        bool fin_after_writes = false;
    };

    explicit TcpPeer(boost::asio::io_context& io, bool echo = false)
        : io_(io), acceptor_(io, {boost::asio::ip::address_v4::loopback(), 0}), echo_(echo) {
        accept();
    }

    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    std::vector<std::shared_ptr<Session>> sessions;

    /// Queue bytes to session i.
    void send(std::size_t i, std::string bytes) { write(sessions.at(i), std::move(bytes)); }
    /// FIN once everything queued is written.
    void close(std::size_t i) {
        auto s = sessions.at(i);
        s->fin_after_writes = true;
        if (!s->writing) finish(s);
    }
    /// RST (SO_LINGER 0 and close).
    void reset(std::size_t i) {
        auto s = sessions.at(i);
        boost::system::error_code ec;
        s->socket.set_option(boost::asio::socket_base::linger(true, 0), ec);
        s->socket.close(ec);
    }
    /// Close the listening socket: later connects are refused.
    void stop_accepting() {
        boost::system::error_code ec;
        acceptor_.close(ec);
    }

private:
    void accept() {
        auto s = std::make_shared<Session>(io_);
        acceptor_.async_accept(s->socket, [this, s](const boost::system::error_code& ec) {
            if (ec) return;
            sessions.push_back(s);
            read(s);
            accept();
        });
    }
    void read(const std::shared_ptr<Session>& s) {
        s->socket.async_read_some(
            boost::asio::buffer(s->buf), [this, s](const boost::system::error_code& ec, std::size_t n) {
                if (n > 0) {
                    s->received.append(s->buf.data(), n);
                    s->arrivals.emplace_back(std::chrono::steady_clock::now(), s->received.size());
                    if (echo_) write(s, std::string(s->buf.data(), n));
                }
                if (ec) {
                    s->ended = true;
                    s->end = ec;
                    return;
                }
                read(s);
            });
    }
    void write(const std::shared_ptr<Session>& s, std::string bytes) {
        s->out.push_back(std::move(bytes));
        if (!s->writing) write_next(s);
    }
    void write_next(const std::shared_ptr<Session>& s) {
        if (s->out.empty()) {
            s->writing = false;
            if (s->fin_after_writes) finish(s);
            return;
        }
        s->writing = true;
        boost::asio::async_write(s->socket, boost::asio::buffer(s->out.front()),
                                 [this, s](const boost::system::error_code& ec, std::size_t) {
                                     if (ec) {
                                         s->writing = false;
                                         return;
                                     }
                                     s->out.pop_front();
                                     write_next(s);
                                 });
    }
    void finish(const std::shared_ptr<Session>& s) {
        boost::system::error_code ec;
        s->socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
    }

    boost::asio::io_context& io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    bool echo_;
};

/// A UDP server: keeps every datagram with its sender; echo mode answers each one.
class UdpPeer {
public:
    struct Datagram {
        std::string bytes;
        boost::asio::ip::udp::endpoint from;
        SteadyTime when;
    };

    explicit UdpPeer(boost::asio::io_context& io, bool echo = false)
        : socket_(io, {boost::asio::ip::address_v4::loopback(), 0}), echo_(echo) {
        receive();
    }

    std::uint16_t port() const { return socket_.local_endpoint().port(); }
    std::vector<Datagram> got;

    /// Send one datagram to the sender of the last datagram (synchronous: loopback never blocks here).
    void reply(const std::string& bytes) { send_to(bytes, got.back().from); }
    void send_to(const std::string& bytes, const boost::asio::ip::udp::endpoint& to) {
        socket_.send_to(boost::asio::buffer(bytes), to);
    }

private:
    void receive() {
        socket_.async_receive_from(
            boost::asio::buffer(buf_), from_, [this](const boost::system::error_code& ec, std::size_t n) {
                if (ec == boost::asio::error::operation_aborted) return;
                if (!ec) {
                    got.push_back({std::string(buf_.data(), n), from_, std::chrono::steady_clock::now()});
                    if (echo_) reply(got.back().bytes);
                }
                receive();
            });
    }

    boost::asio::ip::udp::socket socket_;
    bool echo_;
    std::array<char, 65536> buf_{};
    boost::asio::ip::udp::endpoint from_;
};

} // namespace dtu::itest
