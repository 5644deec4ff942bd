#pragma once
// The serial format of MQTT distribution mode, AT+MQTTMOD=1 (G771 §2.5.3, GM5 §3.1.3-§3.1.4,
// spec mqtt.md §5.1, GAP-23). Serial to MQTT:
//   "<n>,<payload>"                          publish on publish entry n (1..)
//   "0,0,<topic>,<qos>,<retain>,<payload>"   temporary publish
//   "0,1,<filter>,<qos>"                     temporary subscribe
//   "0,2,<filter>[,<qos>]"                   temporary unsubscribe
// MQTT to serial: "<n>,<payload>" for subscribe entry n, "0,<topic>,<payload>" for a temporary one.
#include <cstdint>
#include <string>
#include <string_view>

namespace dtu::mqtt {

/// What a serial frame asks for.
enum class FrameKind : std::uint8_t { Entry, Publish, Subscribe, Unsubscribe, Bad };

/// A parsed frame; the views point into the frame.
struct DistributionFrame {
    FrameKind kind = FrameKind::Bad;
    unsigned entry = 0;       ///< Entry: the publish entry number (not yet checked against the table)
    std::string_view topic;   ///< Publish: a topic name; Subscribe / Unsubscribe: a topic filter
    std::uint8_t qos = 0;     ///< Publish, Subscribe
    bool retain = false;      ///< Publish
    std::string_view payload; ///< Entry, Publish: may be empty and may hold commas
    const char* error = "";   ///< Bad: why, for the log
};

/// Parse one serial frame. Control frames (subscribe, unsubscribe) may end with CR, LF or CR LF, as
/// typed in a terminal; payloads are taken byte for byte.
DistributionFrame parse_distribution(std::string_view frame);

/// "<entry>,<payload>": a message that arrived on subscribe entry `entry`.
std::string entry_output(unsigned entry, std::string_view payload);
/// "0,<topic>,<payload>": a message that arrived on a temporary subscription.
std::string temporary_output(std::string_view topic, std::string_view payload);

} // namespace dtu::mqtt
