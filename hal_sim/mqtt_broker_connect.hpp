#pragma once
// Whether the broker model takes a CONNECT: the CONNACK return code (MQTT 3.1.1 §3.2.2.3), or a
// protocol violation that closes the connection without one. The checks run in mosquitto 2.0's
// order (src/handle_connect.c: protocol, client id, will, credentials), so a CONNECT that breaks
// several rules gets the same answer from both.
#include <cstdint>
#include <string>

#include "hal_sim/mqtt_broker_types.hpp"
#include "hal_sim/mqtt_wire.hpp"

namespace dtu::hal_sim {

struct MqttConnectVerdict {
    std::uint8_t return_code = 0;  ///< 0: accepted
    bool violation = false;        ///< close at once, no CONNACK (§4.8)
    bool assign_client_id = false; ///< empty client id with clean session: the broker names it
    std::string reason;            ///< for the log, when not accepted
};

MqttConnectVerdict judge_connect(const MqttConnectPacket& connect, const MqttBrokerOptions& options);

} // namespace dtu::hal_sim
