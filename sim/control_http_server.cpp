#include "sim/control_http_server.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <string>

namespace dtu::sim {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// How often a wait checks whether the server is stopping.
constexpr milliseconds kStopCheck{50};

/// "ip", port of a socket's own (local) or peer's address.
void address_of(int fd, bool local, std::string& ip, int& port) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    auto* sa = reinterpret_cast<sockaddr*>(&addr);
    if ((local ? ::getsockname(fd, sa, &len) : ::getpeername(fd, sa, &len)) != 0) return;
    std::array<char, NI_MAXHOST> host{};
    std::array<char, NI_MAXSERV> serv{};
    if (::getnameinfo(sa, len, host.data(), host.size(), serv.data(), serv.size(),
                      NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return;
    ip = host.data();
    port = std::atoi(serv.data());
}

/// A connection's socket for httplib, every read bounded by the current request's deadline (not
/// per recv, as httplib's own stream) and every wait cut short when the server stops.
class DeadlineStream final : public httplib::Stream {
public:
    DeadlineStream(int fd, const std::atomic<socket_t>& listening) : fd_(fd), listening_(listening) {}

    /// Wait up to idle for the next request to begin. False: idle, closed, or the server stops.
    bool next_request(milliseconds idle) {
        if (start_ == end_ && !wait(POLLIN, Clock::now() + idle)) return false;
        deadline_ = Clock::now() + ControlHttpServer::kRequestDeadline;
        return true;
    }

    bool is_readable() const override { return start_ != end_ || wait(POLLIN, deadline_); }
    bool is_writable() const override {
        return wait(POLLOUT, Clock::now() + ControlHttpServer::kWriteTimeout);
    }

    ssize_t read(char* ptr, size_t size) override {
        if (start_ == end_) {
            if (!wait(POLLIN, deadline_)) return -1; // the deadline passed: the request is dropped
            const ssize_t n = ::recv(fd_, buf_.data(), buf_.size(), 0);
            if (n <= 0) return n;
            start_ = 0;
            end_ = static_cast<std::size_t>(n);
        }
        const std::size_t n = std::min(size, end_ - start_);
        std::memcpy(ptr, buf_.data() + start_, n);
        start_ += n;
        return static_cast<ssize_t>(n);
    }

    ssize_t write(const char* ptr, size_t size) override {
        if (!is_writable()) return -1;
        return ::send(fd_, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        address_of(fd_, false, ip, port);
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override { address_of(fd_, true, ip, port); }
    socket_t socket() const override { return fd_; }

private:
    /// Poll for events until the deadline, in slices so that a stopping server is noticed.
    bool wait(short events, Clock::time_point deadline) const {
        for (;;) {
            if (listening_.load() == INVALID_SOCKET) return false;
            const auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) return false;
            pollfd p{fd_, events, 0};
            const int r = ::poll(&p, 1, static_cast<int>(std::min(left, kStopCheck).count()));
            if (r > 0) return true; // readable, writable, or an error/hang-up the next call reports
            if (r < 0 && errno != EINTR) return false;
        }
    }

    const int fd_;
    const std::atomic<socket_t>& listening_;
    Clock::time_point deadline_ = Clock::now();
    std::array<char, 4096> buf_{};
    std::size_t start_ = 0;
    std::size_t end_ = 0;
};

} // namespace

ControlHttpServer::ControlHttpServer() {
    // httplib owns (and deletes) the queue it gets.
    new_task_queue = [] { return new httplib::ThreadPool(kWorkers); };
}

bool ControlHttpServer::process_and_close_socket(socket_t sock) {
    DeadlineStream stream(sock, svr_sock_);
    const milliseconds idle{1000 * keep_alive_timeout_sec_};
    bool ok = false;
    for (std::size_t left = keep_alive_max_count_; left > 0 && stream.next_request(idle); --left) {
        bool closed = false;
        ok = process_request(stream, left == 1, closed, nullptr);
        if (!ok || closed) break;
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
}

} // namespace dtu::sim
