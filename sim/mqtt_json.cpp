#include "sim/mqtt_json.hpp"

#include "sim/json_fields.hpp"

namespace dtu::sim {
namespace {

qint64 count(std::uint64_t n) { return static_cast<qint64>(n); } // counters stay far below 2^63

} // namespace

const char* mqtt_state_name(device::MqttState state) {
    switch (state) {
    case device::MqttState::Off: return "off";
    case device::MqttState::Connecting: return "connecting";
    case device::MqttState::Connected: return "connected";
    case device::MqttState::Waiting: return "waiting";
    case device::MqttState::Unconfigured: return "unconfigured";
    }
    return "unknown";
}

QJsonObject mqtt_status_to_json(const device::MqttStatus& s) {
    return QJsonObject{{"state", mqtt_state_name(s.state)},
                       {"host", q(s.host)},
                       {"port", s.port},
                       {"client_id", q(s.client_id)},
                       {"connects", count(s.connects)},
                       {"connect_failures", count(s.connect_failures)},
                       {"connection_losses", count(s.connection_losses)},
                       {"last_error", q(s.last_error)},
                       {"temporary_topics", count(s.temporary_topics)},
                       {"published", count(s.published)},
                       {"publish_failed", count(s.publish_failed)},
                       {"frames_dropped", count(s.frames_dropped)},
                       {"bad_frames", count(s.bad_frames)},
                       {"received", count(s.received)},
                       {"to_serial", count(s.to_serial)},
                       {"oversize_dropped", count(s.oversize_dropped)},
                       {"unmatched_dropped", count(s.unmatched_dropped)},
                       {"command_mode_dropped", count(s.command_mode_dropped)}};
}

} // namespace dtu::sim
