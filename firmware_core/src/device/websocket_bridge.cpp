#include "websocket_bridge.hpp"

#include <algorithm>

#include "dtu/hal/net_address_text.hpp"

namespace dtu::device {

WebSocketBridge::WebSocketBridge(const profile::Profile& profile, hal::WebSockets& sockets,
                                 const params::Store& saved, Hooks hooks)
    : profile_(profile), sockets_(sockets), saved_(saved), hooks_(std::move(hooks)) {}

WebSocketBridge::~WebSocketBridge() {
    if (status_.listening) sockets_.stop(); // a restart or power-off closes every client
}

void WebSocketBridge::start() {
    // K7 §5.3.5 #17: AT+WEBSOCKPORT, default 6432 (K7 §4.2.6).
    port_ = static_cast<std::uint16_t>(saved_.number("WEBSOCKPORT", 0, 6432));
    status_.port = port_;
    status_.listening = sockets_.serve(port_, *this);
    log(status_.listening ? hal::LogLevel::Info : hal::LogLevel::Warn,
        "websocket: " + std::string(status_.listening ? "serving" : "cannot serve") + " port " +
            std::to_string(port_) + " (up to " + std::to_string(profile_.lan.websocket_clients) +
            " clients)");
}

bool WebSocketBridge::on_ws_open(hal::WsClientId client, const hal::NetAddress& peer) {
    // K7 §2.2: "two websockets are supported"; a further one is refused (the board closes it).
    if (open_.size() >= profile_.lan.websocket_clients || is_open(client)) {
        ++status_.refused;
        log(hal::LogLevel::Info, "websocket: client from " + hal::address_text(peer) + " refused (" +
                                     std::to_string(open_.size()) + " open)");
        return false;
    }
    open_.push_back(client);
    ++status_.accepted;
    status_.clients = static_cast<std::uint32_t>(open_.size());
    log(hal::LogLevel::Info,
        "websocket: client " + std::to_string(client) + " from " + hal::address_text(peer) + " open");
    return true;
}

void WebSocketBridge::on_ws_message(hal::WsClientId client, std::string_view bytes) {
    if (!is_open(client)) return;
    // Spec k7 §9: binary or text messages are written to the serial port (text as its UTF-8 bytes).
    ++status_.messages_in;
    status_.bytes_in += bytes.size();
    if (hooks_.to_serial) hooks_.to_serial(bytes);
}

void WebSocketBridge::on_ws_closed(hal::WsClientId client) {
    const auto it = std::find(open_.begin(), open_.end(), client);
    if (it == open_.end()) return;
    open_.erase(it);
    ++status_.closed;
    status_.clients = static_cast<std::uint32_t>(open_.size());
    log(hal::LogLevel::Info, "websocket: client " + std::to_string(client) + " closed");
}

void WebSocketBridge::serial_frame(std::string_view frame) {
    // Spec k7 §9: serial frames are sent as binary messages to every websocket client.
    for (const hal::WsClientId client : open_) {
        if (sockets_.send(client, frame)) {
            ++status_.messages_out;
            status_.bytes_out += frame.size();
        } else {
            ++status_.send_dropped;
        }
    }
}

WebSocketStatus WebSocketBridge::status() const { return status_; }

bool WebSocketBridge::is_open(hal::WsClientId client) const {
    return std::find(open_.begin(), open_.end(), client) != open_.end();
}

void WebSocketBridge::log(hal::LogLevel level, const std::string& line) const {
    if (hooks_.log) hooks_.log(level, line);
}

} // namespace dtu::device
