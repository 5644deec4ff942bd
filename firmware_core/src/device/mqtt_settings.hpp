#pragma once
// What MQTT mode connects to and with which CONNECT fields, read from the saved parameters once per
// work-mode start (spec mqtt.md §3, §6, §8): MQTT,NOR takes MQTTSVR/MQTTCID/MQTTUSER/MQTTPSW,
// MQTT,ALI derives them from the Aliyun triple; both take MQTTVER, MQTTCFG, MQTTWILL and SSL*.
#include <cstdint>
#include <string>
#include <vector>

#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "tls_settings.hpp"

namespace dtu::device {

struct MqttSettings {
    bool aliyun = false; ///< WKMOD=MQTT,ALI
    std::string host;
    std::uint16_t port = 1883;
    std::string client_id, username, password;
    std::uint8_t protocol_level = 4; ///< MQTTVER 3 -> 3 (MQTT 3.1), 4 -> 4 (MQTT 3.1.1)
    std::uint16_t keepalive_s = 60;
    bool clean_session = true;
    bool will = false; ///< MQTTWILL enabled (and its topic usable)
    std::string will_topic, will_message;
    std::uint8_t will_qos = 0;
    bool will_retain = false;
    TlsSettings tls;
    std::string error;                 ///< non-empty: the device cannot connect, and why
    std::vector<std::string> warnings; ///< things worth a log line at start

    static MqttSettings from(const params::Store& saved, hal::Crypto& crypto);
    /// CONNECT parameters; views into this object and into will / tls (keep all alive for the call).
    hal::MqttConnect connect_params(hal::MqttWill& will_out, hal::TlsParams& tls_out) const;
};

} // namespace dtu::device
