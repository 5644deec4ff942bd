#pragma once
// Binding one of the device's TCP listeners on the host (hal_sim/host_ports.hpp): the device's port
// on --listen-address, or a free port when the process cannot have that one. AsioNet's TCP server
// sockets, the web page and the websocket bridge all bind through here, so the rule and its log line
// are written once.
#include <cstdint>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include "dtu/hal/log.hpp"
#include "dtu/hal/net.hpp"
#include "hal_sim/host_ports.hpp"

namespace dtu::hal_sim {

/// What a bind got.
struct HostBind {
    std::uint16_t host_port = 0; ///< where it listens
    std::string refused;         ///< non-empty: why the device's port could not be had
};

/// Open, bind and listen `acceptor` at address:device_port, else at address:0. An error: not even a
/// free port could be bound (a bad address).
boost::system::error_code bind_tcp_listener(boost::asio::ip::tcp::acceptor& acceptor,
                                            const std::string& address, std::uint16_t device_port,
                                            HostBind& out);

/// The log line for a listener that got another port than its own:
/// "net: tcp/23 cannot be bound on 127.0.0.1:23 (...); listening on 127.0.0.1:40123 instead".
std::string remapped_line(hal::Proto proto, std::uint16_t device_port, const std::string& address,
                          const HostBind& bind);

/// A device's TCP listener named `what` ("websocket", "web") on ports.listen_address(): bound as
/// bind_tcp_listener does, the remap or the failure logged, the port recorded in ports. False:
/// nothing could be bound.
bool listen_device_port(boost::asio::ip::tcp::acceptor& acceptor, HostPorts& ports, std::uint16_t device_port,
                        const std::string& what, hal::Log& log);

} // namespace dtu::hal_sim
