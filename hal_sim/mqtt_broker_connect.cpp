#include "hal_sim/mqtt_broker_connect.hpp"

#include "dtu/mqtt/topic_filter.hpp"

namespace dtu::hal_sim {
namespace {

MqttConnectVerdict refuse(std::uint8_t code, std::string reason) {
    return {code, false, false, std::move(reason)};
}
MqttConnectVerdict violation(std::string reason) { return {0, true, false, std::move(reason)}; }

/// §3.1.2.1-2: "MQIsdp" goes with level 3, "MQTT" with 4. mosquitto 2.0 also speaks MQTT 5 ("MQTT"
/// level 5); the model does not, and answers it as any other level it does not know.
bool supported_protocol(const MqttConnectPacket& c) {
    return (c.protocol_name == "MQIsdp" && c.protocol_level == 3) ||
           (c.protocol_name == "MQTT" && c.protocol_level == 4);
}

MqttConnectVerdict check_credentials(const MqttConnectPacket& c, const MqttBrokerOptions& options) {
    if (!c.username) {
        if (options.allow_anonymous) return {};
        return refuse(5, "anonymous, not allowed"); // mosquitto 2.0: CONNACK_REFUSED_NOT_AUTHORIZED
    }
    if (options.users.empty()) return {}; // no password file: any user name goes
    const auto it = options.users.find(*c.username);
    if (it == options.users.end())
        return refuse(options.bad_credentials_code, "unknown user '" + *c.username + "'");
    if (!c.password || *c.password != it->second)
        return refuse(options.bad_credentials_code, "wrong password for user '" + *c.username + "'");
    return {};
}

} // namespace

MqttConnectVerdict judge_connect(const MqttConnectPacket& c, const MqttBrokerOptions& options) {
    if (!supported_protocol(c))
        return refuse(1, "protocol " + c.protocol_name + " level " + std::to_string(c.protocol_level));
    MqttConnectVerdict accepted;
    if (c.client_id.empty()) {
        // §3.1.3.1: an empty client id needs clean session (3.1.1); MQTT 3.1 had no empty ids, and
        // mosquitto 2.0 refuses them from a 3.1 client whatever the clean session flag.
        if (c.protocol_level == 3) return refuse(2, "empty client id (MQTT 3.1)");
        if (!c.clean_session) return refuse(2, "empty client id without clean session");
        accepted.assign_client_id = true;
    }
    // mosquitto's only equivalent, clientid_prefixes, answers 5; the model's refused ids use the
    // code §3.2.2.3 names for it, identifier rejected.
    if (options.refused_client_ids.count(c.client_id) != 0)
        return refuse(2, "client id '" + c.client_id + "' refused");
    // mosquitto 2.0 will__read: an empty or wildcard will topic is a protocol error.
    if (c.will && !mqtt::valid_topic_name(c.will->topic))
        return violation("will topic '" + c.will->topic + "' invalid");
    const auto credentials = check_credentials(c, options);
    if (credentials.return_code != 0) return credentials;
    return accepted;
}

} // namespace dtu::hal_sim
