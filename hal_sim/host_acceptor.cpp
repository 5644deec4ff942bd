#include "hal_sim/host_acceptor.hpp"

#include <utility>

#include "hal_sim/host_bind.hpp"

namespace dtu::hal_sim {

namespace asio = boost::asio;
using boost::system::error_code;
using tcp = asio::ip::tcp;

HostAcceptor::HostAcceptor(asio::io_context& io, HostPorts& ports, hal::Log& log, std::string what)
    : ports_(ports), log_(log), what_(std::move(what)), acceptor_(io),
      alive_(std::make_shared<HostAcceptor*>(this)) {}

HostAcceptor::~HostAcceptor() {
    close();
    alive_.reset();
}

bool HostAcceptor::open(std::uint16_t device_port, OnSocket on_socket) {
    close();
    if (!listen_device_port(acceptor_, ports_, device_port, what_, log_)) return false;
    on_socket_ = std::move(on_socket);
    port_ = device_port;
    open_ = true;
    accept();
    return true;
}

void HostAcceptor::close() {
    if (!open_) return;
    open_ = false;
    on_socket_ = nullptr;
    error_code ignored;
    acceptor_.close(ignored);
    ports_.unbound(hal::Proto::Tcp, port_);
}

void HostAcceptor::accept() {
    acceptor_.async_accept([weak = std::weak_ptr<HostAcceptor*>(alive_)](error_code ec, tcp::socket socket) {
        const auto alive = weak.lock();
        if (!alive || ec == asio::error::operation_aborted) return;
        HostAcceptor& self = **alive;
        if (!self.open_) return;
        if (!ec) self.on_socket_(std::move(socket));
        if (self.open_) self.accept(); // on_socket may have closed it
    });
}

} // namespace dtu::hal_sim
