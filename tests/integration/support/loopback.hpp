#pragma once
// 127.0.0.1 addresses and ports for the test peers (brokers, servers) that run beside dtu-sim.
#include <netinet/in.h>

#include <cstdint>

namespace dtu::itest {

/// 127.0.0.1:port.
sockaddr_in loopback(std::uint16_t port);

/// A TCP port on 127.0.0.1 that nobody listens on right now (bound to 0, read, released): for a
/// peer process that binds it itself. Throws std::system_error if the kernel gives none.
std::uint16_t free_tcp_port();

} // namespace dtu::itest
