#include "tcp_server_mode.hpp"

#include "dtu/hal/net_address_text.hpp"

namespace dtu::device {
namespace {

/// Spec k7 §4 (GAP-20): for TCPS / UDPS the port of SOCKA is the local listening port.
std::uint16_t local_port(const params::Store& s) {
    return static_cast<std::uint16_t>(s.number("SOCKA", 2, 0));
}

/// K7 §5.3.5 #40-#41: AT+MODPOLL, AT+MODTO (ms, spec k7 §8 GAP-43).
ModbusGateway::Settings gateway_settings(const params::Store& s) {
    ModbusGateway::Settings g;
    g.polling = s.on("MODPOLL");
    g.timeout_ms = static_cast<std::uint32_t>(s.number("MODTO", 0, 200));
    return g;
}

} // namespace

TcpServerMode::TcpServerMode(const profile::Profile& profile, hal::Hal hal, const params::Store& saved,
                             ModeHooks hooks)
    : hal_(hal), saved_(saved), hooks_(std::move(hooks)),
      listen_(hal.net, kListener, hal::Proto::Tcp, local_port(saved), hal::links::accepted(0),
              [this](hal::LogLevel level, const std::string& line) { hooks_.log(level, line); }),
      clients_(profile.net.server_clients),
      backlog_(profile.net.cache_bytes,
               [this](hal::LogLevel level, const std::string& line) { log(level, line); }),
      drops_([this](hal::LogLevel level, const std::string& line) { log(level, line); }),
      no_data_(
          hal.clock, NoDataRestart::seconds_from(saved), [this](hal::ResetCause c) { hooks_.restart(c); },
          [this](hal::LogLevel level, const std::string& line) { hooks_.log(level, line); },
          "data from a TCP client"),
      reconfig_(
          profile, hal, saved, [this](hal::LinkId id, std::string_view b) { from_client(id, b); },
          [this](hal::LogLevel level, const std::string& line) { log(level, line); }) {
    counters_.name = 'A';
    counters_.enabled = true;
    counters_.protocol = "TCP";
    counters_.port = listen_.port();
    if (!saved.on("MODTCP")) return;
    // K7 §4.2.2: "TCP server supports ... modbus TCP".
    gateway_ = std::make_unique<ModbusGateway>(
        hal.clock, gateway_settings(saved), [this](std::string_view rtu) { hooks_.to_serial(rtu); },
        [this](hal::LinkId conn, std::string_view mbap) { send(conn, mbap); },
        [this](hal::LinkId conn) { close_client(conn); });
}

TcpServerMode::~TcpServerMode() {
    for (const auto& c : clients_.take_all())
        hal_.net.close(c.id);
}

void TcpServerMode::start() {
    listen_.start();
    no_data_.arm();
}

bool TcpServerMode::on_frame(std::string_view frame) {
    if (gateway_) {
        gateway_->from_serial(frame); // the gateway counts what it cannot use
        return true;
    }
    if (clients_.empty()) {
        backlog_.keep(frame);
        return true;
    }
    to_clients(frame);
    flow_changed();
    return true;
}

void TcpServerMode::to_clients(std::string_view bytes) {
    // K7 §4.2.2: "receive the data and sent all to the client connected".
    for (const auto& c : clients_)
        send(c.id, bytes);
}

void TcpServerMode::send(hal::LinkId id, std::string_view bytes) {
    if (!hal_.net.send(id, bytes)) {
        counters_.cache_dropped_bytes += bytes.size();
        drops_.dropped(bytes.size(), "a client's send buffer is full (it reads too slowly)");
        return;
    }
    drops_.passed();
    counters_.tx_bytes += bytes.size();
    ++counters_.tx_packets;
}

void TcpServerMode::on_data(hal::LinkId id, std::string_view bytes) {
    if (!clients_.has(id)) return;
    counters_.rx_bytes += bytes.size();
    ++counters_.rx_packets;
    no_data_.arm(); // K7 §4.4.8: data from the network keeps the device alive
    // K7 §4.3.4: with AT+RFCEN on, RFC2217-like frames are taken out before anything else (as in
    // NET mode, also in command mode).
    if (reconfig_.enabled()) return reconfig_.on_data(id, bytes);
    from_client(id, bytes);
}

void TcpServerMode::from_client(hal::LinkId id, std::string_view bytes) {
    if (hooks_.in_command_mode()) return; // GAP-46: network data is discarded in command mode
    if (gateway_)
        gateway_->from_network(id, bytes);
    else
        hooks_.to_serial(bytes);
}

void TcpServerMode::on_accepted(hal::LinkId listener, hal::LinkId conn, const hal::NetAddress& peer) {
    if (listener != kListener) return;
    const bool first = clients_.empty();
    const auto kicked = clients_.add({conn, peer});
    ++counters_.connects;
    log(hal::LogLevel::Info, "client " + hal::address_text(peer) + " accepted (link " + std::to_string(conn) +
                                 ", " + std::to_string(clients_.size()) + " of " +
                                 std::to_string(clients_.limit()) + ")");
    if (kicked) {
        // K7 §4.2.2: "kick off the oldest one".
        log(hal::LogLevel::Info, "more than " + std::to_string(clients_.limit()) +
                                     " clients: closing the oldest, " + hal::address_text(kicked->peer) +
                                     " (link " + std::to_string(kicked->id) + ")");
        hal_.net.close(kicked->id);
        forgotten(kicked->id);
    }
    if (first) first_client(conn);
}

void TcpServerMode::first_client(hal::LinkId id) {
    if (gateway_ || backlog_.size() == 0) return;
    const std::string kept = backlog_.take();
    // K7 §4.4.9: "After connecting the TCP connection, clear the buffer data or not can be choose".
    if (saved_.on("UARTCLBUF")) {
        log(hal::LogLevel::Info, "serial buffer cleared on connection (AT+UARTCLBUF=ON): " +
                                     std::to_string(kept.size()) + " bytes");
        return;
    }
    send(id, kept);
}

void TcpServerMode::on_closed(hal::LinkId id, hal::NetError why) {
    const auto c = clients_.remove(id);
    if (!c) return;
    log(hal::LogLevel::Info,
        "client " + hal::address_text(c->peer) + " closed: " + std::string(net_error_name(why)));
    forgotten(id);
    flow_changed(); // a closed link holds nothing back
}

void TcpServerMode::close_client(hal::LinkId id) {
    if (!clients_.remove(id)) return;
    hal_.net.close(id);
    forgotten(id);
    flow_changed();
}

void TcpServerMode::forgotten(hal::LinkId id) {
    reconfig_.forget(id); // before the gateway forgets it: held bytes are still its request's
    if (gateway_) gateway_->connection_closed(id);
}

void TcpServerMode::on_attach_changed(bool attached) {
    if (!attached) {
        const auto gone = clients_.take_all();
        if (!gone.empty())
            log(hal::LogLevel::Warn, "network lost: closing " + std::to_string(gone.size()) + " clients");
        for (const auto& c : gone) {
            hal_.net.close(c.id);
            forgotten(c.id);
        }
        flow_changed();
    }
    listen_.on_attach_changed(attached);
}

void TcpServerMode::on_listening(hal::LinkId id) {
    if (id == kListener) listen_.on_listening();
}

void TcpServerMode::on_listen_failed(hal::LinkId id, hal::NetError why) {
    if (id == kListener) listen_.on_failed(why);
}

bool TcpServerMode::accepting() const {
    for (const auto& c : clients_)
        if (hal_.net.send_busy(c.id)) return false;
    return true;
}

void TcpServerMode::flow_changed() {
    if (hooks_.flow_changed) hooks_.flow_changed();
}

void TcpServerMode::report(Status& status) const {
    // Spec k7 §12.1: LISTEN with no client, CONNECTED(n) with n; Status has no client count, so a
    // listening socket with no client is Idle, with clients Connected.
    SocketStatus s = counters_;
    s.state = clients_.empty() ? listen_.link_state() : LinkState::Connected;
    s.cached_bytes = backlog_.size();
    s.cache_dropped_bytes += backlog_.dropped();
    status.sockets.clear();
    status.sockets.push_back(s);
    reconfig_.report(status);
}

void TcpServerMode::report(LiveState& live) const {
    live.socket_connected[0] = !clients_.empty();
    // Spec k7 §12.1 RECOMMENDED: AT+SOCKLKA answers LISTEN / CONNECTED(n) from this.
    live.tcp_server[0] = ServerSocketLive{listen_.listening(), clients_.size()};
}

void TcpServerMode::log(hal::LogLevel level, const std::string& line) const {
    hooks_.log(level, listen_.name() + ": " + line);
}

} // namespace dtu::device
