#pragma once
// JSON of the firmware's MQTT mode status (docs/mqtt.md, control API "mqtt").
#include <QJsonObject>

#include "dtu/device/device.hpp"

namespace dtu::sim {

/// state, broker, client id, session counters, last error, traffic counters.
QJsonObject mqtt_status_to_json(const device::MqttStatus& s);

/// "off", "connecting", "connected", "waiting", "unconfigured".
const char* mqtt_state_name(device::MqttState state);

} // namespace dtu::sim
