#pragma once
// The USR-K7's websocket "webpage to serial" bridge (K7 §4.2.6, §2.2; spec k7-ethernet §9
// RECOMMENDED): up to lan.websocket_clients clients on WEBSOCKPORT; every serial data frame goes to
// every open client as one binary message, every client message (binary or text) goes to the serial
// port. It runs beside the socket work mode, whatever that is.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "dtu/device/device.hpp"
#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"

namespace dtu::device {

class WebSocketBridge final : public hal::WebSocketListener {
public:
    struct Hooks {
        std::function<void(std::string_view)> to_serial;
        std::function<void(hal::LogLevel, const std::string&)> log;
    };

    /// saved: the parameters in effect since boot (WEBSOCKPORT).
    WebSocketBridge(const profile::Profile& profile, hal::WebSockets& sockets, const params::Store& saved,
                    Hooks hooks);
    ~WebSocketBridge() override;
    WebSocketBridge(const WebSocketBridge&) = delete;
    WebSocketBridge& operator=(const WebSocketBridge&) = delete;

    void start();
    /// One serial data frame: to every open client.
    void serial_frame(std::string_view frame);
    WebSocketStatus status() const;

    bool on_ws_open(hal::WsClientId client, const hal::NetAddress& peer) override;
    void on_ws_message(hal::WsClientId client, std::string_view bytes) override;
    void on_ws_closed(hal::WsClientId client) override;

private:
    bool is_open(hal::WsClientId client) const;
    void log(hal::LogLevel level, const std::string& line) const;

    const profile::Profile& profile_;
    hal::WebSockets& sockets_;
    const params::Store& saved_;
    Hooks hooks_;
    std::uint16_t port_ = 0;
    std::vector<hal::WsClientId> open_; ///< the open clients, in the order they opened
    WebSocketStatus status_;
};

} // namespace dtu::device
