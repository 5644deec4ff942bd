#include "net_socket.hpp"

#include <algorithm>

#include "link_router.hpp"

namespace dtu::device {
namespace {

std::string_view proto_name(hal::Proto p) { return p == hal::Proto::Tcp ? "TCP" : "UDP"; }

} // namespace

NetSocket::NetSocket(hal::Hal hal, SocketConfig config, Hooks hooks)
    : hal_(hal), cfg_(std::move(config)), hooks_(std::move(hooks)),
      drops_([this](hal::LogLevel level, const std::string& line) { log(level, line); }),
      retry_timer_(hal.clock), heartbeat_timer_(hal.clock), idle_timer_(hal.clock), down_timer_(hal.clock) {
    counters_.name = cfg_.name;
    counters_.enabled = cfg_.enabled;
}

void NetSocket::log(hal::LogLevel level, const std::string& line) const {
    if (hooks_.log) hooks_.log(level, std::string("socket ") + cfg_.name + ": " + line);
}

void NetSocket::start() {
    if (!cfg_.enabled) return;
    if (cfg_.short_connection) {
        state_ = LinkState::Idle;
        return;
    }
    connect();
}

void NetSocket::connect() {
    retry_timer_.cancel();
    arm_down_restart();
    state_ = LinkState::Connecting;
    const Endpoint& to = target();
    log(hal::LogLevel::Info, "connecting to " + std::string(proto_name(to.proto)) + " " + to.host + ":" +
                                 std::to_string(to.port) + (on_backup_ ? " (backup)" : ""));
    hal_.net.open(cfg_.id, to.proto, to.host, to.port);
}

void NetSocket::on_connected() {
    if (state_ != LinkState::Connecting) return;
    state_ = LinkState::Connected;
    failures_ = 0;
    down_timer_.cancel();
    ++counters_.connects;
    log(hal::LogLevel::Info, "connected");
    // Spec net-transparent §5.3/§9: registration after every connect, then the cache in order.
    if (cfg_.register_on_link && !cfg_.registration.empty()) transmit(cfg_.registration, false);
    flush_cache();
    arm_heartbeat();
    arm_short_idle();
}

void NetSocket::on_connect_failed(hal::NetError why) {
    if (state_ != LinkState::Connecting) return;
    log(hal::LogLevel::Warn, std::string("connect failed: ") + std::string(net_error_name(why)));
    failed(why);
}

void NetSocket::on_closed(hal::NetError why) {
    if (state_ != LinkState::Connected) return;
    log(hal::LogLevel::Warn, std::string("connection lost: ") + std::string(net_error_name(why)));
    heartbeat_timer_.cancel();
    idle_timer_.cancel();
    on_backup_ = false; // spec §8: after a disconnect the next attempt is the main server
    if (cfg_.short_connection && cache_.empty()) {
        state_ = LinkState::Idle;
        return;
    }
    state_ = LinkState::Waiting;
    arm_down_restart();
    schedule_retry();
}

void NetSocket::arm_down_restart() {
    // 732 §3.1.7.41: a connection that cannot be recovered restarts the module; the time runs from
    // the loss (or the first attempt) until a connect succeeds.
    if (cfg_.down_restart_ms == 0 || down_timer_.active()) return;
    down_timer_.start(cfg_.down_restart_ms, [this] {
        log(hal::LogLevel::Error, "not connected for " + std::to_string(cfg_.down_restart_ms / 1000) + " s");
        if (hooks_.gave_up) hooks_.gave_up(cfg_.name);
    });
}

void NetSocket::failed(hal::NetError why) {
    if (why == hal::NetError::NotAttached) {
        // No registration: no attempt was made, so none is counted towards SOCKRSNUM (else a card
        // without service would restart the device before AT+SIMSWITCH's 5 minutes); on_attached()
        // retries when the network is back.
        state_ = LinkState::Waiting;
        return;
    }
    ++failures_;
    // G771: SOCKRSNUM consecutive failures restart the device (spec net-transparent §5.3).
    if (cfg_.max_failures != 0 && failures_ >= cfg_.max_failures) {
        log(hal::LogLevel::Error, std::to_string(failures_) + " connection attempts failed in a row");
        if (hooks_.gave_up) hooks_.gave_up(cfg_.name);
        return;
    }
    if (cfg_.backup_enabled) on_backup_ = !on_backup_; // alternate main and backup (spec §8)
    state_ = LinkState::Waiting;
    schedule_retry();
}

void NetSocket::schedule_retry() {
    retry_timer_.start(cfg_.retry_ms, [this] {
        ++counters_.reconnects;
        connect();
    });
}

void NetSocket::on_detached() {
    if (state_ == LinkState::Disabled || state_ == LinkState::Idle) return;
    hal_.net.close(cfg_.id);
    heartbeat_timer_.cancel();
    idle_timer_.cancel();
    retry_timer_.cancel();
    state_ = LinkState::Waiting;
}

void NetSocket::on_attached() {
    if (state_ == LinkState::Waiting && !retry_timer_.active()) schedule_retry();
}

void NetSocket::send_frame(std::string_view frame) {
    if (state_ == LinkState::Disabled) return;
    if (state_ == LinkState::Connected) {
        transmit(frame, true);
        return;
    }
    // Short connection: the frame waits in the cache and opens the connection (spec §5.3).
    if (cfg_.cache || cfg_.short_connection) {
        cache_frame(frame);
    } else {
        counters_.cache_dropped_bytes += frame.size();
        drops_.dropped(frame.size(), "not connected and AT+CACHEN is off");
    }
    if (state_ == LinkState::Idle) connect();
}

void NetSocket::cache_frame(std::string_view frame) {
    // GAP-29: keep the oldest data; what does not fit is dropped and counted.
    const std::size_t room = cfg_.cache_limit - cached_bytes_;
    const std::size_t keep = std::min(room, frame.size());
    if (keep < frame.size()) {
        counters_.cache_dropped_bytes += frame.size() - keep;
        drops_.dropped(frame.size() - keep, "cache full (" + std::to_string(cfg_.cache_limit) + " bytes)");
    }
    if (keep == 0) return;
    if (keep == frame.size()) drops_.passed();
    cache_.emplace_back(frame.substr(0, keep));
    cached_bytes_ += keep;
}

void NetSocket::flush_cache() {
    while (!cache_.empty() && state_ == LinkState::Connected) {
        const std::string frame = std::move(cache_.front());
        cache_.pop_front();
        cached_bytes_ -= frame.size();
        transmit(frame, true);
    }
}

void NetSocket::transmit(std::string_view bytes, bool user_data) {
    std::string packet;
    if (user_data && cfg_.register_with_data) packet = cfg_.registration;
    packet.append(bytes);
    if (!hal_.net.send(cfg_.id, packet)) {
        // The module's send buffer is full (a server that does not read): counted, never silent.
        counters_.cache_dropped_bytes += bytes.size();
        drops_.dropped(bytes.size(), "the module's send buffer is full (the server reads too slowly)");
        return;
    }
    if (user_data) drops_.passed();
    counters_.tx_bytes += packet.size();
    ++counters_.tx_packets;
    // G771 §2.2.2: the network heartbeat goes out only after a heartbeat time without data sent.
    if (user_data) {
        arm_heartbeat();
        arm_short_idle();
    }
}

void NetSocket::send_reply(std::string_view bytes) {
    if (state_ != LinkState::Connected) return;
    if (hal_.net.send(cfg_.id, bytes)) {
        counters_.tx_bytes += bytes.size();
        ++counters_.tx_packets;
    }
}

void NetSocket::on_received(std::size_t bytes) {
    counters_.rx_bytes += bytes;
    ++counters_.rx_packets;
    arm_short_idle();
    if (cfg_.heartbeat_quiet_on_data) arm_heartbeat(); // 732 §2.3.2, 7S4 §2.3.2
}

void NetSocket::arm_heartbeat() {
    if (!cfg_.net_heartbeat || state_ != LinkState::Connected) return;
    heartbeat_timer_.start(cfg_.heartbeat_ms, [this] {
        const std::string beat = hooks_.heartbeat ? hooks_.heartbeat() : std::string();
        if (!beat.empty()) transmit(beat, false);
        arm_heartbeat();
    });
}

void NetSocket::arm_short_idle() {
    if (!cfg_.short_connection || state_ != LinkState::Connected) return;
    // SHORTATM: no data either way for this long closes the short connection.
    idle_timer_.start(cfg_.short_idle_ms, [this] {
        log(hal::LogLevel::Info, "short connection idle: closing");
        hal_.net.close(cfg_.id);
        heartbeat_timer_.cancel();
        state_ = LinkState::Idle;
    });
}

SocketStatus NetSocket::status() const {
    SocketStatus s = counters_;
    const Endpoint& to = target();
    s.protocol = std::string(proto_name(to.proto));
    s.host = to.host;
    s.port = to.port;
    s.on_backup = on_backup_;
    s.state = state_;
    s.cached_bytes = cached_bytes_;
    return s;
}

} // namespace dtu::device
