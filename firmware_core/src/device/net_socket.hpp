#pragma once
// One NET-mode socket (A..D): connection state machine, registration, network heartbeat,
// cache while disconnected, short connection (G771 §2.2; spec net-transparent §5-§9).
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>

#include "drop_report.hpp"
#include "dtu/device/device.hpp"
#include "dtu/hal/hal.hpp"
#include "timer.hpp"

namespace dtu::device {

struct Endpoint {
    hal::Proto proto = hal::Proto::Tcp;
    std::string host;
    std::uint16_t port = 0;
};

/// Everything a socket needs to know, read from the saved parameters at start.
struct SocketConfig {
    char name = 'A';
    hal::LinkId id = 0;
    bool enabled = false;
    Endpoint main;
    bool backup_enabled = false;
    Endpoint backup;
    bool short_connection = false;
    std::uint32_t short_idle_ms = 10000;
    std::uint32_t retry_ms = 5000;
    std::uint32_t max_failures = 60; ///< failed connects in a row that restart the module; 0 = none
    /// The module restarts when the socket has not been connected for this long (732 SOCKRSTIM /
    /// SHORTIM, §3.1.7.41-42); 0 = never.
    std::uint32_t down_restart_ms = 0;
    bool cache = true;
    std::size_t cache_limit = 4096;
    std::string registration; ///< bytes; empty = none
    bool register_on_link = false;
    bool register_with_data = false;
    bool net_heartbeat = false;
    std::uint32_t heartbeat_ms = 30000;
    /// Data from the server delays the heartbeat too (732 §2.3.2, 7S4 §2.3.2), not only data sent.
    bool heartbeat_quiet_on_data = false;
};

class NetSocket {
public:
    struct Hooks {
        std::function<std::string()> heartbeat; ///< current heartbeat bytes
        std::function<void(char name)> gave_up; ///< SOCKRSNUM failures in a row
        std::function<void(hal::LogLevel, const std::string&)> log;
    };

    NetSocket(hal::Hal hal, SocketConfig config, Hooks hooks);
    /// Long connection: connect now. Short: wait for data.
    void start();
    /// A serial frame for the server (user data).
    void send_frame(std::string_view frame);
    void on_connected();
    void on_connect_failed(hal::NetError why);
    void on_closed(hal::NetError why);
    /// Bytes arrived from the server (counted; keeps a short connection alive).
    void on_received(std::size_t bytes);
    /// Answer on this socket (network AT): not user data, no registration prefix.
    void send_reply(std::string_view bytes);
    /// Registration lost: the connection is gone, retry when attached again.
    void on_detached();
    void on_attached();
    /// New registration packet bytes (the SIM card, and so the ICCID, may have changed).
    void set_registration(std::string bytes) { cfg_.registration = std::move(bytes); }

    bool connected() const { return state_ == LinkState::Connected; }
    /// Connected, and the module's send queue for it is over its limit (flow control).
    bool busy() const { return connected() && hal_.net.send_busy(cfg_.id); }
    SocketStatus status() const;
    const SocketConfig& config() const { return cfg_; }

private:
    void connect();
    void schedule_retry();
    void arm_down_restart();
    void failed(hal::NetError why);
    void transmit(std::string_view bytes, bool user_data);
    void flush_cache();
    void cache_frame(std::string_view frame);
    void arm_heartbeat();
    void arm_short_idle();
    const Endpoint& target() const { return on_backup_ ? cfg_.backup : cfg_.main; }
    void log(hal::LogLevel level, const std::string& line) const;

    hal::Hal hal_;
    SocketConfig cfg_;
    Hooks hooks_;
    DropReport drops_; ///< user data lost: cache full, cache off, send buffer full
    LinkState state_ = LinkState::Disabled;
    bool on_backup_ = false;
    std::uint32_t failures_ = 0;
    std::deque<std::string> cache_;
    std::size_t cached_bytes_ = 0;
    Timer retry_timer_;
    Timer heartbeat_timer_;
    Timer idle_timer_;
    Timer down_timer_; ///< running while the socket should be, but is not, connected
    SocketStatus counters_;
};

} // namespace dtu::device
