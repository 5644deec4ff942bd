#pragma once
// The data path of MQTT mode while a session is up (G771 §2.5.3, spec mqtt.md §5): serial frames
// to PUBLISH packets and broker messages to the serial port, in transparent mode (AT+MQTTMOD=0) or
// distribution mode (AT+MQTTMOD=1, with temporary topics).
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "dtu/device/device.hpp"
#include "dtu/hal/hal.hpp"
#include "dtu/mqtt/distribution.hpp"
#include "dtu/profile/profile.hpp"
#include "mode_hooks.hpp"
#include "mqtt_topics.hpp"

namespace dtu::device {

class MqttBridge {
public:
    using Hooks = ModeHooks; ///< restart is not used

    /// Counters go to `stats` (owned by the caller, outlives this).
    MqttBridge(hal::Mqtt& mqtt, MqttTopics topics, bool distribution, const profile::MqttRules& limits,
               Hooks hooks, MqttStatus& stats);

    /// A session is up: subscribe every enabled subscribe entry, in entry order (spec §6).
    void session_started();
    /// The session is gone: temporary subscriptions go with it (GAP-23).
    void session_ended();
    /// A serial frame while the session is up; false when it was dropped (nothing to publish it to, or
    /// a bad distribution frame).
    bool on_frame(std::string_view frame);
    /// Topic entries left out at start, for the log.
    const std::vector<std::string>& warnings() const { return topics_.warnings; }
    /// A message from the broker.
    void on_message(std::string_view topic, std::string_view payload);

private:
    struct Temporary {
        std::string filter;
        std::uint8_t qos = 0;
    };

    void publish(std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain);
    bool distribute(std::string_view frame);
    bool subscribe_temporary(const mqtt::DistributionFrame& f);
    void unsubscribe_temporary(const mqtt::DistributionFrame& f);
    bool bad_frame(const std::string& why);
    /// What the serial port gets for a message on `topic`, or false when no subscription matches.
    bool serial_form(std::string_view topic, std::string_view payload, std::string& out) const;
    void log(hal::LogLevel level, const std::string& line) const { hooks_.log(level, line); }

    hal::Mqtt& mqtt_;
    MqttTopics topics_;
    bool distribution_;
    const profile::MqttRules& limits_;
    Hooks hooks_;
    MqttStatus& stats_;
    std::vector<Temporary> temporary_;
};

} // namespace dtu::device
