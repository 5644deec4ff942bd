// AsioNet's server sockets (hal::Net::listen, send_to; K7 §4.2.2, §4.2.4): AsioNet::Listener's host
// sockets, where they bind (HostPorts), the clients they accept and the datagrams they carry.
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/address.hpp>

#include "hal_sim/asio_conn.hpp"
#include "hal_sim/asio_endpoints.hpp"
#include "hal_sim/asio_listener.hpp"
#include "hal_sim/tls_session.hpp"

namespace dtu::hal_sim {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using udp = asio::ip::udp;

namespace {

hal::NetAddress net_address(const asio::ip::address& a, std::uint16_t port) {
    return {a.is_v4() ? a.to_v4().to_uint() : 0u, port};
}

} // namespace

// ---- AsioNet ------------------------------------------------------------------------------------

bool AsioNet::listen(hal::LinkId id, hal::Proto proto, std::uint16_t port, hal::LinkRange accepted) {
    close(id); // an id in use is closed first
    const std::uint32_t gen = id < slots_.size() ? slots_[id].gen : 0;
    std::optional<hal::NetError> why = listen_invalid(id, proto, port, accepted);
    if (!why && !attached()) why = hal::NetError::NotAttached;
    if (!why && find_listener(listens_, proto, port)) why = hal::NetError::Invalid; // port taken
    if (why) {
        listen_failed(id, gen, proto, port, *why, net_error_name(*why));
        return true;
    }
    auto listener = std::make_shared<Listener>(*this, id, gen, proto, port);
    const std::string address = options_.ports ? options_.ports->listen_address() : "127.0.0.1";
    HostBind bound;
    if (const auto ec = listener->bind(address, bound)) {
        listen_failed(id, gen, proto, port, hal::NetError::Invalid, address + ": " + ec.message());
        return true;
    }
    if (!bound.refused.empty()) log(hal::LogLevel::Warn, remapped_line(proto, port, address, bound));
    listens_[id] = NetListen{true, proto, port, accepted};
    listeners_[id] = listener;
    listener->start();
    listening(id, gen, listener->host_port());
    return true;
}

void AsioNet::listening(hal::LinkId id, std::uint32_t gen, std::uint16_t host_port) {
    const NetListen& l = listens_[id];
    if (options_.ports) options_.ports->bound(l.proto, l.port, host_port);
    const std::string address = options_.ports ? options_.ports->listen_address() : "127.0.0.1";
    log(hal::LogLevel::Info, net_link_name(id) + ": listening on " + listen_name(l.proto, l.port) + " at " +
                                 address + ":" + std::to_string(host_port));
    post_event(id, gen, [id](hal::NetListener& n) { n.on_listening(id); });
}

void AsioNet::listen_failed(hal::LinkId id, std::uint32_t gen, hal::Proto proto, std::uint16_t port,
                            hal::NetError why, const std::string& reason) {
    log(hal::LogLevel::Info,
        net_link_name(id) + ": listen " + listen_name(proto, port) + " failed: " + reason);
    post_event(id, gen, [id, why](hal::NetListener& n) { n.on_listen_failed(id, why); });
}

void AsioNet::stop_listening(hal::LinkId id) {
    if (id >= listens_.size() || !listens_[id].active) return;
    NetListen& l = listens_[id];
    l.active = false; // K7 §4.2.2: the clients it accepted stay open
    if (listeners_[id]) listeners_[id]->close();
    listeners_[id].reset();
    if (options_.ports) options_.ports->unbound(l.proto, l.port);
    log(hal::LogLevel::Info, net_link_name(id) + ": stopped listening on " + listen_name(l.proto, l.port));
}

void AsioNet::stop_all_listeners() {
    for (hal::LinkId id = 0; id < listens_.size(); ++id)
        stop_listening(id);
}

void AsioNet::accept(hal::LinkId listener, tcp::socket socket) {
    boost::system::error_code ec;
    const tcp::endpoint remote = socket.remote_endpoint(ec);
    if (ec) return; // gone before we looked
    const NetListen& l = listens_[listener];
    const auto id =
        free_accept_id(listens_, l.accepted, [this](hal::LinkId i) { return slots_[i].conn != nullptr; });
    if (!id || !attached()) { // hal::Net::listen: no free id, the client is closed at once
        counters_.accept_refused++;
        log(hal::LogLevel::Info, net_link_name(listener) + ": " + listen_name(l.proto, l.port) + " client " +
                                     endpoint_string(remote) + " refused (no free link)");
        socket.close(ec);
        return;
    }
    Slot& slot = slots_[*id];
    const std::uint32_t gen = ++slot.gen;
    slot.conn = std::make_shared<Conn>(*this, *id, gen, hal::Proto::Tcp, remote.address().to_string(),
                                       remote.port(), nullptr);
    counters_.accepts++;
    slot.conn->start_accepted(std::move(socket), listener, net_address(remote.address(), remote.port()));
}

bool AsioNet::send_to(hal::LinkId id, const hal::NetAddress& to, std::string_view bytes) {
    const bool ok = id < listens_.size() && listens_[id].active && listens_[id].proto == hal::Proto::Udp &&
                    listeners_[id] && listeners_[id]->send_to(to, std::string(bytes));
    if (!ok) counters_.send_refused++;
    return ok;
}

void AsioNet::at_time(Scheduler::TimePoint t, std::function<void()> fn) {
    std::weak_ptr<AsioNet*> weak = alive_;
    scheduler_.at(t, [weak, fn = std::move(fn)] {
        if (!weak.expired()) fn();
    });
}

// ---- AsioNet::Listener --------------------------------------------------------------------------

AsioNet::Listener::Listener(AsioNet& net, hal::LinkId id, std::uint32_t gen, hal::Proto proto,
                            std::uint16_t device_port)
    : net_(net), id_(id), gen_(gen), proto_(proto), device_port_(device_port), acceptor_(net.io_),
      udp_(net.io_) {}

AsioNet::Listener::error_code AsioNet::Listener::bind(const std::string& address, HostBind& out) {
    error_code ec = proto_ == hal::Proto::Tcp ? bind_tcp_listener(acceptor_, address, device_port_, out)
                                              : bind_udp(address, out);
    host_port_ = out.host_port;
    return ec;
}

AsioNet::Listener::error_code AsioNet::Listener::bind_udp(const std::string& address, HostBind& out) {
    error_code ec;
    const asio::ip::address a = asio::ip::make_address(address, ec);
    if (ec) return ec;
    ec = bind_udp_at(a, device_port_, out);
    if (!ec) return ec;
    out.refused = ec.message(); // below 1024 without privilege, or in use: a free port instead
    return bind_udp_at(a, 0, out);
}

AsioNet::Listener::error_code AsioNet::Listener::bind_udp_at(const asio::ip::address& a, std::uint16_t port,
                                                             HostBind& out) {
    error_code ec;
    udp_.close(ec);
    udp_.open(a.is_v4() ? udp::v4() : udp::v6(), ec);
    if (!ec) udp_.bind(udp::endpoint(a, port), ec);
    if (!ec) udp_.set_option(asio::socket_base::broadcast(true), ec); // send_to 255.255.255.255
    if (!ec) out.host_port = udp_.local_endpoint(ec).port();
    buf_.resize(kMaxDatagram);
    return ec;
}

void AsioNet::Listener::start() { proto_ == hal::Proto::Tcp ? accept_next() : receive_next(); }

void AsioNet::Listener::close() {
    closed_ = true;
    error_code ignored;
    acceptor_.close(ignored);
    udp_.close(ignored);
}

void AsioNet::Listener::accept_next() {
    auto self = shared_from_this();
    acceptor_.async_accept([self](const error_code& ec, tcp::socket socket) {
        if (self->closed_) return;
        if (!ec) self->net_.accept(self->id_, std::move(socket));
        if (self->closed_) return;
        if (ec == asio::error::operation_aborted) return;
        self->accept_next();
    });
}

void AsioNet::Listener::receive_next() {
    auto self = shared_from_this();
    udp_.async_receive_from(asio::buffer(buf_), from_, [self](const error_code& ec, std::size_t n) {
        if (self->closed_ || ec == asio::error::operation_aborted) return;
        if (!ec) self->on_datagram(n);
        self->receive_next(); // an ICMP error on a bound socket is not the device's concern
    });
}

void AsioNet::Listener::on_datagram(std::size_t n) {
    const auto at = datagram_arrival(net_.link_, Direction::Downstream, n, net_.scheduler_.now());
    if (!at) return; // lost on the way, as a client link's UDP
    auto self = shared_from_this();
    net_.at_time(
        *at, [self, from = net_address(from_.address(), from_.port()), data = std::string(buf_.data(), n)] {
            if (self->closed_) return;
            self->net_.emit(self->id_, self->gen_, [id = self->id_, &from, &data](hal::NetListener& l) {
                l.on_datagram(id, from, data);
            });
        });
}

bool AsioNet::Listener::send_to(const hal::NetAddress& to, std::string bytes) {
    if (closed_) return false;
    const auto at = datagram_arrival(net_.link_, Direction::Upstream, bytes.size(), net_.scheduler_.now());
    if (!at) return true; // lost on the radio: the sender believes it was sent
    auto self = shared_from_this();
    net_.at_time(*at, [self, to, data = std::make_shared<std::string>(std::move(bytes))] {
        if (self->closed_) return;
        const udp::endpoint ep(asio::ip::address_v4(to.ip), to.port);
        self->udp_.async_send_to(asio::buffer(*data), ep, [data](const error_code&, std::size_t) {});
    });
    return true;
}

} // namespace dtu::hal_sim
