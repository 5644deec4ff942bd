#pragma once
// The enabled entries of AT+MQTTPUBTP / AT+MQTTSUBTP (GM5 §2.3-§2.4, G771 §2.5.3), read from the
// saved parameters at work-mode start. An entry whose topic the broker would refuse (a wildcard in a
// publish topic, a malformed filter) is left out with a warning: MQTT 3.1.1 brokers close the
// connection on such packets, which would take every other topic down with it.
#include <cstdint>
#include <string>
#include <vector>

#include "dtu/params/store.hpp"

namespace dtu::device {

struct MqttTopic {
    unsigned entry = 0; ///< 1-based entry number, the "symbol" of distribution mode
    std::string topic;  ///< topic name (publish) or topic filter (subscribe)
    std::uint8_t qos = 0;
    bool retain = false; ///< publish only
};

struct MqttTopics {
    std::vector<MqttTopic> publish;   ///< enabled, in entry order
    std::vector<MqttTopic> subscribe; ///< enabled, in entry order
    std::vector<std::string> warnings;

    static MqttTopics from(const params::Store& saved, std::size_t entries);
    /// The enabled publish entry `entry`, or nullptr.
    const MqttTopic* publish_entry(unsigned entry) const;
};

} // namespace dtu::device
