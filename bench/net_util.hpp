#pragma once
// Loopback sockets and the control API for the network benchmark (dtu_net_bench).
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace dtu::bench {

/// A socket that closes itself.
class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    Fd(Fd&& o) noexcept : fd_(o.release()) {}
    Fd& operator=(Fd&& o) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd();
    int get() const { return fd_; }
    int release();

private:
    int fd_;
};

/// TCP listener on 127.0.0.1, a free port (written to *port).
Fd tcp_listen(int* port);
/// Accept one connection (TCP_NODELAY set); an invalid Fd on timeout.
Fd tcp_accept(const Fd& listener, double timeout_s);
/// UDP socket bound to 127.0.0.1, a free port, with a receive buffer of at least rcvbuf bytes.
Fd udp_bind(int* port, int rcvbuf);

/// Write everything (blocking or non-blocking fd).
void write_all(int fd, std::string_view bytes);
/// Read exactly n bytes; false on timeout or EOF.
bool read_exact(int fd, char* buf, std::size_t n, double timeout_s);
/// One read of up to cap bytes once readable; 0 on timeout or EOF.
std::size_t read_some(int fd, char* buf, std::size_t cap, double timeout_s);

/// HTTP request to the control API (base "http://127.0.0.1:N"); the body of a 200 answer, else exit.
std::string api(const std::string& base, const std::string& method, const std::string& path,
                const std::string& body = {});
/// The number at keys[0] ... keys[n-1] (each found after the previous) in compact JSON; -1 if missing.
double json_number(const std::string& json, std::initializer_list<std::string_view> keys);

} // namespace dtu::bench
