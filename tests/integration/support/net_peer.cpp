#include "net_peer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <utility>

#include "loopback.hpp"

namespace dtu::itest {
namespace {

using Clock = std::chrono::steady_clock;

std::uint16_t bound_port(int fd) {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    return ntohs(a.sin_port);
}

int remaining(Clock::time_point deadline) {
    const auto ms = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    return ms < 0 ? 0 : static_cast<int>(ms);
}

bool readable(int fd, int timeout_ms) {
    pollfd p{fd, POLLIN, 0};
    return poll(&p, 1, timeout_ms) > 0;
}

} // namespace

TcpServer::TcpServer(std::uint16_t port) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a = loopback(port);
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(listen_fd_, 8) != 0)
        throw std::runtime_error("TcpServer: cannot listen");
    port_ = bound_port(listen_fd_);
}

TcpServer::~TcpServer() {
    close_connection();
    stop_listening();
}

bool TcpServer::accept(milliseconds timeout) {
    close_connection();
    if (listen_fd_ < 0 || !readable(listen_fd_, static_cast<int>(timeout.count()))) return false;
    conn_fd_ = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    buf_.clear();
    closed_ = false;
    return conn_fd_ >= 0;
}

bool TcpServer::fill(milliseconds timeout) {
    if (conn_fd_ < 0 || closed_ || !readable(conn_fd_, static_cast<int>(timeout.count()))) return false;
    char tmp[65536];
    const ssize_t n = ::read(conn_fd_, tmp, sizeof tmp);
    if (n <= 0) {
        closed_ = true;
        return false;
    }
    buf_.append(tmp, static_cast<std::size_t>(n));
    return true;
}

std::string TcpServer::read_until(std::string_view pattern, milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (const auto pos = buf_.find(pattern); pos != std::string::npos) {
            std::string out = buf_.substr(0, pos + pattern.size());
            buf_.erase(0, pos + pattern.size());
            return out;
        }
        if (!fill(milliseconds(remaining(deadline))) && (Clock::now() >= deadline || closed_)) break;
    }
    return std::exchange(buf_, {});
}

std::string TcpServer::read_n(std::size_t n, milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (buf_.size() < n)
        if (!fill(milliseconds(remaining(deadline))) && (Clock::now() >= deadline || closed_)) break;
    std::string out = buf_.substr(0, n);
    buf_.erase(0, out.size());
    return out;
}

bool TcpServer::silent_for(milliseconds quiet) { return buf_.empty() && !fill(quiet) && buf_.empty(); }

void TcpServer::write(std::string_view bytes) {
    while (!bytes.empty() && conn_fd_ >= 0) {
        const ssize_t n = ::send(conn_fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n <= 0) return;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

void TcpServer::close_connection() {
    if (conn_fd_ >= 0) ::close(conn_fd_);
    conn_fd_ = -1;
}

void TcpServer::stop_listening() {
    if (listen_fd_ >= 0) ::close(listen_fd_);
    listen_fd_ = -1;
}

UdpServer::UdpServer() {
    fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a = loopback(0);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
        throw std::runtime_error("UdpServer: bind");
    port_ = bound_port(fd_);
}

UdpServer::~UdpServer() {
    if (fd_ >= 0) ::close(fd_);
}

bool UdpServer::receive(std::string& datagram, milliseconds timeout) {
    if (!readable(fd_, static_cast<int>(timeout.count()))) return false;
    char tmp[65536];
    socklen_t len = sizeof peer_;
    const ssize_t n = recvfrom(fd_, tmp, sizeof tmp, 0, reinterpret_cast<sockaddr*>(peer_), &len);
    if (n < 0) return false;
    peer_len_ = len;
    datagram.assign(tmp, static_cast<std::size_t>(n));
    return true;
}

void UdpServer::reply(std::string_view bytes) {
    sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(peer_), peer_len_);
}

std::uint16_t unused_tcp_port() {
    TcpServer probe;
    const std::uint16_t port = probe.port();
    probe.stop_listening();
    return port; // nothing listens there now; the kernel will not hand it out again at once
}

} // namespace dtu::itest
