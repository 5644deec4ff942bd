#pragma once
// Real network peers for the device on 127.0.0.1: a TCP server and a UDP server, driven from the
// test thread with timeouts (no fixed sleeps).
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace dtu::itest {

using std::chrono::milliseconds;

/// A listening TCP socket on 127.0.0.1 with one accepted connection at a time.
class TcpServer {
public:
    /// port 0 picks a free port.
    explicit TcpServer(std::uint16_t port = 0);
    ~TcpServer();
    TcpServer(const TcpServer&) = delete;
    TcpServer& operator=(const TcpServer&) = delete;

    std::uint16_t port() const { return port_; }
    /// Wait for the next connection (closing the current one); false on timeout.
    bool accept(milliseconds timeout);
    /// Read until `pattern` has arrived; returns everything up to and including it (or what came
    /// before the timeout). Bytes after it stay buffered.
    std::string read_until(std::string_view pattern, milliseconds timeout);
    /// Read exactly n bytes (or fewer on timeout).
    std::string read_n(std::size_t n, milliseconds timeout);
    /// True if nothing arrives within quiet.
    bool silent_for(milliseconds quiet);
    void write(std::string_view bytes);
    /// Close the accepted connection (FIN).
    void close_connection();
    /// Stop listening too (connects are refused afterwards).
    void stop_listening();
    /// True once the peer has closed the connection.
    bool peer_closed() const { return closed_; }

private:
    bool fill(milliseconds timeout);

    int listen_fd_ = -1;
    int conn_fd_ = -1;
    std::uint16_t port_ = 0;
    std::string buf_;
    bool closed_ = false;
};

/// A UDP socket on 127.0.0.1 that answers the last sender.
class UdpServer {
public:
    UdpServer();
    ~UdpServer();
    UdpServer(const UdpServer&) = delete;
    UdpServer& operator=(const UdpServer&) = delete;

    std::uint16_t port() const { return port_; }
    /// Next datagram, or nullopt-like empty + false on timeout.
    bool receive(std::string& datagram, milliseconds timeout);
    /// Send to the last sender.
    void reply(std::string_view bytes);

private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
    unsigned char peer_[128] = {};
    unsigned peer_len_ = 0;
};

/// A TCP port on 127.0.0.1 where nothing listens (connects are refused).
std::uint16_t unused_tcp_port();

} // namespace dtu::itest
