#pragma once
// AsioNet::Listener: one server socket of the device's (hal::Net::listen) on the host: a TCP acceptor
// whose clients become Conns of the listener's range (AsioNet::accept), or a bound UDP socket that
// hears every sender, its datagrams passing the link impairment both ways. Handlers hold a
// shared_ptr and return at once when closed_ is set.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

#include "hal_sim/asio_net.hpp"
#include "hal_sim/host_bind.hpp"

namespace dtu::hal_sim {

class AsioNet::Listener : public std::enable_shared_from_this<AsioNet::Listener> {
public:
    using tcp = boost::asio::ip::tcp;
    using udp = boost::asio::ip::udp;
    using error_code = boost::system::error_code;

    Listener(AsioNet& net, hal::LinkId id, std::uint32_t gen, hal::Proto proto, std::uint16_t device_port);

    /// Bind address at the device's port, or, when that fails, at a free port (why it failed in
    /// out.refused). An error: not even a free port could be bound (a bad address).
    error_code bind(const std::string& address, HostBind& out);
    std::uint16_t host_port() const { return host_port_; }
    /// Start accepting / receiving.
    void start();
    /// No handler touches the net after this.
    void close();
    /// One datagram to `to` through the upstream delay line (UDP only).
    bool send_to(const hal::NetAddress& to, std::string bytes);

private:
    error_code bind_udp(const std::string& address, HostBind& out);
    error_code bind_udp_at(const boost::asio::ip::address& address, std::uint16_t port, HostBind& out);
    void accept_next();
    void receive_next();
    void on_datagram(std::size_t n);

    static constexpr std::size_t kMaxDatagram = 65536;

    AsioNet& net_;
    const hal::LinkId id_;
    const std::uint32_t gen_;
    const hal::Proto proto_;
    const std::uint16_t device_port_;
    std::uint16_t host_port_ = 0;
    bool closed_ = false;
    tcp::acceptor acceptor_;
    udp::socket udp_;
    udp::endpoint from_;
    std::vector<char> buf_;
};

} // namespace dtu::hal_sim
