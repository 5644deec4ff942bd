#include "net_util.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstdlib>
#include <httplib.h>
#include <iostream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

#include "bench_util.hpp"

namespace dtu::bench {

Fd& Fd::operator=(Fd&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) close(fd_);
        fd_ = o.release();
    }
    return *this;
}

Fd::~Fd() {
    if (fd_ >= 0) close(fd_);
}

int Fd::release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
}

namespace {

sockaddr_in loopback(int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

Fd bind_loopback(int type, int* port) {
    Fd fd(socket(AF_INET, type | SOCK_NONBLOCK, 0));
    sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    if (fd.get() < 0 || bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0)
        throw std::runtime_error("cannot bind a loopback socket");
    *port = ntohs(a.sin_port);
    return fd;
}

bool wait_fd(int fd, short events, double timeout_s) {
    pollfd p{fd, events, 0};
    return poll(&p, 1, static_cast<int>(timeout_s * 1000)) > 0;
}

} // namespace

Fd tcp_listen(int* port) {
    Fd fd = bind_loopback(SOCK_STREAM, port);
    if (listen(fd.get(), 4) != 0) throw std::runtime_error("listen failed");
    return fd;
}

Fd tcp_accept(const Fd& listener, double timeout_s) {
    if (!wait_fd(listener.get(), POLLIN, timeout_s)) return Fd();
    Fd fd(accept4(listener.get(), nullptr, nullptr, SOCK_NONBLOCK));
    const int one = 1;
    setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

Fd udp_bind(int* port, int rcvbuf) {
    Fd fd = bind_loopback(SOCK_DGRAM, port);
    // SO_RCVBUFFORCE passes rmem_max when allowed (root); else SO_RCVBUF, capped by the kernel.
    if (setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0)
        setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    return fd;
}

void write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n > 0)
            bytes.remove_prefix(static_cast<std::size_t>(n));
        else if (errno == EAGAIN)
            wait_fd(fd, POLLOUT, 0.1);
        else if (errno != EINTR)
            throw std::runtime_error("write failed");
    }
}

bool read_exact(int fd, char* buf, std::size_t n, double timeout_s) {
    const auto t0 = Clock::now();
    while (n > 0) {
        const double left = timeout_s - micros_since(t0) / 1e6;
        if (left <= 0) return false;
        const std::size_t got = read_some(fd, buf, n, left);
        if (got == 0) return false;
        buf += got;
        n -= got;
    }
    return true;
}

std::size_t read_some(int fd, char* buf, std::size_t cap, double timeout_s) {
    const auto t0 = Clock::now();
    for (;;) {
        const ssize_t n = ::read(fd, buf, cap);
        if (n > 0) return static_cast<std::size_t>(n);
        if (n == 0 || (errno != EAGAIN && errno != EINTR)) return 0;
        const double left = timeout_s - micros_since(t0) / 1e6;
        if (left <= 0 || !wait_fd(fd, POLLIN, left)) return 0;
    }
}

std::string api(const std::string& base, const std::string& method, const std::string& path,
                const std::string& body) {
    httplib::Client client(base);
    auto res =
        method == "PUT" ? client.Put(path.c_str(), body, "application/json") : client.Get(path.c_str());
    if (!res || res->status != 200) {
        std::cerr << method << " " << path << " failed" << (res ? ": " + res->body : std::string()) << "\n";
        std::exit(1);
    }
    return res->body;
}

double json_number(const std::string& json, std::initializer_list<std::string_view> keys) {
    std::size_t pos = 0;
    for (std::string_view key : keys) {
        pos = json.find("\"" + std::string(key) + "\":", pos);
        if (pos == std::string::npos) return -1;
        pos += key.size() + 3;
    }
    return std::strtod(json.c_str() + pos, nullptr);
}

} // namespace dtu::bench
