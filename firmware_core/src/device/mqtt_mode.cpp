#include "mqtt_mode.hpp"

namespace dtu::device {
namespace {

std::string error_text(hal::MqttError why, int connack_code) {
    switch (why) {
    case hal::MqttError::None: return "none";
    case hal::MqttError::NotAttached: return "no data link";
    case hal::MqttError::DnsFailed: return "broker name not resolved";
    case hal::MqttError::Refused: return "connection refused";
    case hal::MqttError::Timeout: return "no CONNACK in time";
    case hal::MqttError::TlsFailed: return "TLS handshake failed";
    case hal::MqttError::Rejected: return "CONNACK return code " + std::to_string(connack_code);
    case hal::MqttError::ConnectionLost: return "connection lost";
    case hal::MqttError::KeepAlive: return "no PINGRESP within the keep-alive";
    case hal::MqttError::Protocol: return "protocol error";
    case hal::MqttError::Invalid: return "invalid connect parameters";
    }
    return "unknown";
}

} // namespace

MqttMode::MqttMode(const profile::Profile& profile, hal::Hal hal, const params::Store& saved, Hooks hooks)
    : hal_(hal), limits_(profile.mqtt), hooks_(std::move(hooks)),
      settings_(MqttSettings::from(saved, hal.crypto)),
      bridge_(hal.mqtt, MqttTopics::from(saved, profile.mqtt.topic_entries), saved.text("MQTTMOD") == "1",
              profile.mqtt, hooks_, status_),
      reconnect_(hal.clock), no_connection_(hal.clock, NoDataRestart::seconds_from(saved), hooks_.restart,
                                            hooks_.log, "MQTT connection") {
    hal_.mqtt.set_listener(this);
}

// No DISCONNECT here: a reset drops the session like a power cut (the broker then publishes the
// will); the host closes the module's connection when it tears the firmware down.
MqttMode::~MqttMode() { hal_.mqtt.set_listener(nullptr); }

void MqttMode::start() {
    for (const auto& w : settings_.warnings)
        log(hal::LogLevel::Warn, "MQTT: " + w);
    for (const auto& w : bridge_.warnings())
        log(hal::LogLevel::Warn, "MQTT: " + w);
    status_.host = settings_.host;
    status_.port = settings_.port;
    status_.client_id = settings_.client_id;
    no_connection_.arm();
    if (!settings_.error.empty()) {
        status_.state = MqttState::Unconfigured;
        status_.last_error = settings_.error;
        log(hal::LogLevel::Error, settings_.error);
        return;
    }
    connect();
}

void MqttMode::connect() {
    status_.state = MqttState::Connecting;
    log(hal::LogLevel::Debug, "MQTT: connecting to " + settings_.host + ":" + std::to_string(settings_.port) +
                                  " as " + settings_.client_id + (settings_.tls.enabled ? " (TLS)" : ""));
    hal::MqttWill will;
    hal::TlsParams tls;
    hal_.mqtt.connect(settings_.connect_params(will, tls));
}

bool MqttMode::on_frame(std::string_view frame) {
    if (status_.state != MqttState::Connected) {
        ++status_.frames_dropped; // spec §6: serial data received while disconnected is discarded
        return false;
    }
    return bridge_.on_frame(frame);
}

void MqttMode::on_mqtt_connected() {
    if (status_.state != MqttState::Connecting) return; // not ours (the HAL promises this cannot happen)
    status_.state = MqttState::Connected;
    ++status_.connects;
    no_connection_.cancel();
    log(hal::LogLevel::Info, "MQTT: connected to " + settings_.host);
    bridge_.session_started();
}

void MqttMode::on_mqtt_connect_failed(hal::MqttError why, int connack_code) {
    if (status_.state != MqttState::Connecting) return;
    ++status_.connect_failures;
    wait_and_reconnect("connect failed: " + error_text(why, connack_code));
}

void MqttMode::on_mqtt_closed(hal::MqttError why) {
    if (status_.state != MqttState::Connected) return;
    ++status_.connection_losses;
    bridge_.session_ended();
    no_connection_.arm();
    wait_and_reconnect("session ended: " + error_text(why, 0));
}

void MqttMode::wait_and_reconnect(const std::string& why) {
    status_.state = MqttState::Waiting;
    status_.last_error = why;
    log(hal::LogLevel::Warn,
        "MQTT: " + why + "; reconnecting in " + std::to_string(limits_.reconnect_ms / 1000) + " s");
    // G771 §2.5.1 table 5: reconnect interval 5 s, and again, forever (spec §6).
    reconnect_.start(limits_.reconnect_ms, [this] { connect(); });
}

void MqttMode::on_mqtt_message(std::string_view topic, std::string_view payload) {
    if (status_.state != MqttState::Connected) return;
    bridge_.on_message(topic, payload);
}

} // namespace dtu::device
