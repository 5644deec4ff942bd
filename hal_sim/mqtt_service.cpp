#include "hal_sim/mqtt_service.hpp"

#include <mosquitto.h>

namespace dtu::hal_sim {

using hal::MqttError;

const char* mqtt_service_state_name(MqttServiceState state) {
    switch (state) {
    case MqttServiceState::Idle: return "idle";
    case MqttServiceState::Connecting: return "connecting";
    case MqttServiceState::Connected: return "connected";
    }
    return "?";
}

const char* mqtt_error_name(MqttError error) {
    switch (error) {
    case MqttError::None: return "none";
    case MqttError::NotAttached: return "not-attached";
    case MqttError::DnsFailed: return "dns-failed";
    case MqttError::Refused: return "refused";
    case MqttError::Timeout: return "timeout";
    case MqttError::TlsFailed: return "tls-failed";
    case MqttError::Rejected: return "rejected";
    case MqttError::ConnectionLost: return "connection-lost";
    case MqttError::KeepAlive: return "keep-alive";
    case MqttError::Protocol: return "protocol";
    case MqttError::Invalid: return "invalid";
    }
    return "?";
}

std::string mqtt_connack_text(int code) { return mosquitto_connack_string(code); }

MqttError mqtt_error_from_link(hal::NetError why) {
    switch (why) {
    case hal::NetError::NotAttached: return MqttError::NotAttached;
    case hal::NetError::DnsFailed: return MqttError::DnsFailed;
    case hal::NetError::Timeout: return MqttError::Timeout;
    case hal::NetError::Invalid: return MqttError::Invalid;
    case hal::NetError::TlsFailed: return MqttError::TlsFailed;
    default: return MqttError::Refused;
    }
}

std::string mqtt_seconds(std::chrono::milliseconds d) {
    return std::to_string(d.count() / 1000) + "." + std::to_string(d.count() % 1000 / 100) + " s";
}

std::string mqtt_shown_topic(std::string_view topic) {
    constexpr std::size_t kMax = 96;
    return topic.size() <= kMax ? std::string(topic) : std::string(topic.substr(0, kMax)) + "...";
}

std::optional<std::string> mqtt_connect_invalid(const hal::MqttConnect& p) {
    if (p.host.empty()) return "empty broker host";
    if (p.port == 0) return "broker port 0";
    if (p.protocol_level != 3 && p.protocol_level != 4)
        return "protocol level " + std::to_string(p.protocol_level) + " (3 or 4)";
    if (p.client_id.empty() && !p.clean_session) return "a persistent session needs a client id";
    if (p.will && p.will->qos > 2) return "will QoS " + std::to_string(p.will->qos);
    return std::nullopt;
}

std::uint16_t mqtt_keepalive_sent(const hal::MqttConnect& p, hal::Log& log) {
    if (p.keepalive_s == 0 || p.keepalive_s >= kMqttMinKeepalive) return p.keepalive_s;
    log.write(hal::LogLevel::Info, "MQTT: keep-alive " + std::to_string(p.keepalive_s) + " s raised to " +
                                       std::to_string(kMqttMinKeepalive) + " s (libmosquitto's minimum)");
    return kMqttMinKeepalive;
}

bool mqtt_password_sent(const hal::MqttConnect& p, hal::Log& log) {
    if (p.password.empty()) return false;
    if (!p.username.empty()) return true;
    log.write(hal::LogLevel::Info, "MQTT: a password without a user name is not sent (MQTT 3.1.1 §3.1.2.9)");
    return false;
}

// ---- MqttServiceRecord ------------------------------------------------------------------------------

void MqttServiceRecord::begin(const hal::MqttConnect& p) {
    clear_pending();
    info_.counters.connects++;
    info_.broker = std::string(p.host) + ":" + std::to_string(p.port);
    info_.client_id.assign(p.client_id);
    info_.protocol_level = p.protocol_level;
    info_.tls = p.tls != nullptr;
}

void MqttServiceRecord::connected() {
    info_.counters.sessions++;
    log(hal::LogLevel::Info, "MQTT: connected to " + info_.broker);
}

void MqttServiceRecord::connect_failed(MqttError why, int connack_code, const std::string& detail) {
    info_.counters.connect_failures++;
    info_.last_error = mqtt_error_name(why);
    if (why == MqttError::Rejected) info_.last_error += " (CONNACK " + std::to_string(connack_code) + ")";
    if (!detail.empty()) info_.last_error += ": " + detail;
    log(hal::LogLevel::Info, "MQTT: connect to " + info_.broker + " failed: " + info_.last_error);
}

void MqttServiceRecord::session_lost(MqttError why, const std::string& detail) {
    clear_pending();
    info_.counters.sessions_lost++;
    info_.last_error = std::string(mqtt_error_name(why)) + ": " + detail;
    log(hal::LogLevel::Info, "MQTT: session with " + info_.broker + " ended: " + info_.last_error);
}

bool MqttServiceRecord::publish_allowed(bool session, std::size_t payload) {
    if (!session) {
        info_.counters.publish_no_session++;
        return false;
    }
    if (payload <= options_.max_payload) return true;
    info_.counters.publish_oversize++;
    log(hal::LogLevel::Warn, "MQTT: publish of " + std::to_string(payload) + " bytes refused (limit " +
                                 std::to_string(options_.max_payload) + ")");
    return false;
}

bool MqttServiceRecord::admit(std::size_t bytes) {
    if (pending_.size() < options_.max_pending_messages &&
        pending_bytes_ + bytes <= options_.max_pending_bytes)
        return true;
    info_.counters.queue_full++;
    log(hal::LogLevel::Debug, "MQTT: refused: " + std::to_string(pending_.size()) + " messages (" +
                                  std::to_string(pending_bytes_) + " bytes) still waiting");
    return false;
}

void MqttServiceRecord::track(int id, std::size_t bytes) {
    const auto [it, added] = pending_.emplace(id, bytes);
    if (!added) return;
    pending_bytes_ += it->second;
}

bool MqttServiceRecord::complete(int id) {
    const auto it = pending_.find(id);
    if (it == pending_.end()) return false;
    pending_bytes_ -= it->second;
    pending_.erase(it);
    return true;
}

void MqttServiceRecord::clear_pending() {
    pending_.clear();
    pending_bytes_ = 0;
}

bool MqttServiceRecord::incoming_fits(std::string_view topic, std::size_t payload) {
    if (payload <= options_.max_payload) return true;
    incoming_dropped(topic, payload, "limit " + std::to_string(options_.max_payload));
    return false;
}

void MqttServiceRecord::incoming_dropped(std::string_view topic, std::size_t payload,
                                         const std::string& why) {
    info_.counters.incoming_dropped++;
    info_.counters.incoming_dropped_bytes += payload;
    log(hal::LogLevel::Warn, "MQTT: dropped a message of " + std::to_string(payload) + " bytes on \"" +
                                 mqtt_shown_topic(topic) + "\" (" + why + ")");
}

MqttServiceSnapshot MqttServiceRecord::snapshot(MqttServiceState state) const {
    MqttServiceSnapshot s = info_;
    s.state = state;
    s.pending_messages = pending_.size();
    s.pending_bytes = pending_bytes_;
    return s;
}

} // namespace dtu::hal_sim
