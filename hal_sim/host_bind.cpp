#include "hal_sim/host_bind.hpp"

#include "hal_sim/net_listeners.hpp"

namespace dtu::hal_sim {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

error_code bind_at(tcp::acceptor& acceptor, const asio::ip::address& a, std::uint16_t port, HostBind& out) {
    error_code ec;
    acceptor.close(ec);
    acceptor.open(a.is_v4() ? tcp::v4() : tcp::v6(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(tcp::endpoint(a, port), ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) out.host_port = acceptor.local_endpoint(ec).port();
    return ec;
}

} // namespace

error_code bind_tcp_listener(tcp::acceptor& acceptor, const std::string& address, std::uint16_t device_port,
                             HostBind& out) {
    error_code ec;
    const asio::ip::address a = asio::ip::make_address(address, ec);
    if (ec) return ec;
    ec = bind_at(acceptor, a, device_port, out);
    if (!ec) return ec;
    out.refused = ec.message(); // below 1024 without privilege, or in use: a free port instead
    return bind_at(acceptor, a, 0, out);
}

std::string remapped_line(hal::Proto proto, std::uint16_t device_port, const std::string& address,
                          const HostBind& bind) {
    return "net: " + listen_name(proto, device_port) + " cannot be bound on " + address + ":" +
           std::to_string(device_port) + " (" + bind.refused + "); listening on " + address + ":" +
           std::to_string(bind.host_port) + " instead";
}

bool listen_device_port(tcp::acceptor& acceptor, HostPorts& ports, std::uint16_t device_port,
                        const std::string& what, hal::Log& log) {
    const std::string key = HostPorts::key(hal::Proto::Tcp, device_port);
    HostBind bound;
    const error_code ec = bind_tcp_listener(acceptor, ports.listen_address(), device_port, bound);
    if (ec) {
        log.write(hal::LogLevel::Warn,
                  what + ": cannot listen on " + key + " at " + ports.listen_address() + ": " + ec.message());
        return false;
    }
    if (!bound.refused.empty())
        log.write(hal::LogLevel::Warn,
                  remapped_line(hal::Proto::Tcp, device_port, ports.listen_address(), bound));
    ports.bound(hal::Proto::Tcp, device_port, bound.host_port);
    log.write(hal::LogLevel::Info, what + ": listening on " + key + " at " + ports.listen_address() + ":" +
                                       std::to_string(bound.host_port));
    return true;
}

} // namespace dtu::hal_sim
