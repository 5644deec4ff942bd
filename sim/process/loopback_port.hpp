#pragma once
// 127.0.0.1 addresses and ports for peer processes (a mosquitto broker, test servers) that run
// beside the device.
#include <netinet/in.h>

#include <cstdint>

namespace dtu::sim::process {

/// 127.0.0.1:port.
sockaddr_in loopback(std::uint16_t port);

/// A TCP port on 127.0.0.1 that nobody listens on right now (bound to 0, read, released): for a
/// peer process that binds it itself. Throws std::system_error if the kernel gives none.
std::uint16_t free_tcp_port();

/// Whether something accepts a TCP connection on 127.0.0.1:port now.
bool tcp_accepts(std::uint16_t port);

} // namespace dtu::sim::process
