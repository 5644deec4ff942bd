#include "udp_server_mode.hpp"

#include "dtu/hal/net_address_text.hpp"

namespace dtu::device {

UdpServerMode::UdpServerMode(hal::Hal hal, const params::Store& saved, ModeHooks hooks)
    : hal_(hal), hooks_(std::move(hooks)),
      // Spec k7 §4 (GAP-20): for UDPS the port of SOCKA is the local one.
      listen_(hal.net, kSocket, hal::Proto::Udp, static_cast<std::uint16_t>(saved.number("SOCKA", 2, 0)), {},
              [this](hal::LogLevel level, const std::string& line) { hooks_.log(level, line); }),
      drops_(
          [this](hal::LogLevel level, const std::string& line) { hooks_.log(level, "UDP server: " + line); }),
      no_data_(
          hal.clock, NoDataRestart::seconds_from(saved), [this](hal::ResetCause c) { hooks_.restart(c); },
          [this](hal::LogLevel level, const std::string& line) { hooks_.log(level, line); },
          "datagram from the network") {
    counters_.name = 'A';
    counters_.enabled = true;
    counters_.protocol = "UDP";
    counters_.port = listen_.port();
}

void UdpServerMode::start() {
    listen_.start();
    no_data_.arm();
}

bool UdpServerMode::on_frame(std::string_view frame) {
    if (!listen_.listening()) {
        dropped(frame.size(), "the UDP socket is not bound");
        return true;
    }
    if (!last_sender_) {
        dropped(frame.size(), "no datagram received yet, so no address to answer");
        return true;
    }
    // K7 §4.2.4: "the turn back to the last IP and port".
    if (!hal_.net.send_to(kSocket, *last_sender_, frame)) {
        dropped(frame.size(), "the module's send buffer is full");
        return true;
    }
    drops_.passed();
    counters_.tx_bytes += frame.size();
    ++counters_.tx_packets;
    return true;
}

void UdpServerMode::dropped(std::size_t bytes, std::string_view why) {
    counters_.cache_dropped_bytes += bytes;
    drops_.dropped(bytes, why);
}

void UdpServerMode::on_datagram(hal::LinkId id, const hal::NetAddress& from, std::string_view bytes) {
    if (id != kSocket) return;
    if (last_sender_ != from)
        hooks_.log(hal::LogLevel::Info, "UDP server: answering " + hal::address_text(from) + " from now on");
    last_sender_ = from;
    counters_.rx_bytes += bytes.size();
    ++counters_.rx_packets;
    no_data_.arm();                       // K7 §4.4.8: data from the network keeps the device alive
    if (hooks_.in_command_mode()) return; // GAP-46: network data is discarded in command mode
    hooks_.to_serial(bytes);
}

void UdpServerMode::on_listening(hal::LinkId id) {
    if (id == kSocket) listen_.on_listening();
}

void UdpServerMode::on_listen_failed(hal::LinkId id, hal::NetError why) {
    if (id == kSocket) listen_.on_failed(why);
}

void UdpServerMode::report(Status& status) const {
    // The host is the last sender (the address answered), the port the local one; spec k7 §12.1
    // RECOMMENDED: a UDP server socket is CONNECTED once bound.
    SocketStatus s = counters_;
    s.state = listen_.listening() ? LinkState::Connected : listen_.link_state();
    if (last_sender_) s.host = hal::ip_text(last_sender_->ip);
    status.sockets.clear();
    status.sockets.push_back(s);
}

void UdpServerMode::report(LiveState& live) const { live.socket_connected[0] = listen_.listening(); }

} // namespace dtu::device
