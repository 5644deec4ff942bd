#pragma once
// One of the board's own TCP servers on the host (the K7's web page, its websocket bridge): bound
// through listen_device_port (the device's port, or a free one, recorded in HostPorts) and accepting
// until closed. The accept loop both servers need, written once; what a connection then speaks is
// theirs.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "dtu/hal/log.hpp"
#include "hal_sim/host_ports.hpp"

namespace dtu::hal_sim {

class HostAcceptor {
public:
    using OnSocket = std::function<void(boost::asio::ip::tcp::socket)>;

    /// what names it in log lines ("web", "websocket"). ports and log outlive it.
    HostAcceptor(boost::asio::io_context& io, HostPorts& ports, hal::Log& log, std::string what);
    ~HostAcceptor();
    HostAcceptor(const HostAcceptor&) = delete;
    HostAcceptor& operator=(const HostAcceptor&) = delete;

    /// Bind device_port (or a free port) and hand every accepted socket to on_socket, on the
    /// io_context, until close(). False: nothing could be bound (logged); it stays closed.
    bool open(std::uint16_t device_port, OnSocket on_socket);
    /// Stop accepting and release the port (HostPorts unbound). No on_socket runs after it.
    void close();
    bool is_open() const { return open_; }

private:
    void accept();

    HostPorts& ports_;
    hal::Log& log_;
    std::string what_;
    boost::asio::ip::tcp::acceptor acceptor_;
    OnSocket on_socket_;
    std::uint16_t port_ = 0;
    bool open_ = false;
    std::shared_ptr<HostAcceptor*> alive_; ///< the accept handler holds a weak_ptr: nothing runs after ~
};

} // namespace dtu::hal_sim
