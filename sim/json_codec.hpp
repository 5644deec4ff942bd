#pragma once
// JSON for the control API: the link impairment settings (both ways, with validation) and the
// board's status (out only). Pure functions on plain data: no I/O, no threads, no DeviceHost.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <QJsonObject>

#include "dtu/device/device.hpp"
#include "hal_sim/asio_net.hpp"
#include "hal_sim/link_config.hpp"
#include "hal_sim/link_impairment.hpp"
#include "hal_sim/mosquitto_mqtt.hpp"
#include "hal_sim/pty_uart.hpp"
#include "hal_sim/sms_center.hpp"

namespace dtu::sim {

/// The largest time (latency, jitter, connect delay, TCP retransmission) the API accepts: one hour.
inline constexpr double kMaxLinkTimeMs = 3'600'000.0;
/// The largest bandwidth the API accepts: 10 Gbit/s.
inline constexpr double kMaxBandwidthKbps = 10'000'000.0;

/// {"attached", "dns_failure", ..., "upstream": {...}, "downstream": {...}}: every field.
QJsonObject link_to_json(const hal_sim::LinkConfig& link);

/// The result of merging a JSON object into a LinkConfig: a valid config, or why not.
struct LinkMerge {
    std::optional<hal_sim::LinkConfig> config; ///< set when the patch was valid
    std::string error;                         ///< otherwise: the message, naming the field
};

/// Merge patch into base. Fields left out keep base's value; "profile": NAME starts from that named
/// profile (hal_sim::link_profile) instead of base. Unknown fields, wrong types and out-of-range
/// values are errors; on error nothing of the patch is applied (config is empty).
LinkMerge merge_link_json(const hal_sim::LinkConfig& base, const QJsonObject& patch);

/// Everything GET /api/v1/status shows, gathered on the device's executor.
struct BoardSnapshot {
    std::string profile;                                       ///< the device model, e.g. "g771"
    std::optional<device::Status> firmware;                    ///< empty while the power is off
    std::uint64_t boot_count = 0;                              ///< boots since the process started
    std::vector<std::pair<std::string, std::uint64_t>> resets; ///< reset cause -> count
    hal_sim::PtyCounters serial;
    std::uint64_t serial_rx_without_firmware = 0;    ///< serial bytes that arrived while powered off
    hal_sim::DirectionCounters link_upstream;        ///< what the impairment stage did, device -> server
    hal_sim::DirectionCounters link_downstream;      ///< server -> device
    std::vector<hal_sim::NetLinkSnapshot> net_links; ///< the module's open connections
    std::vector<hal_sim::NetListenSnapshot> net_listeners; ///< its server sockets (hal::Net::listen)
    hal_sim::NetCounters net;                              ///< the module's connection totals
    std::string net_last_tls_error;                        ///< AsioNet::last_tls_error(), empty if none
    hal_sim::SmsCenterCounters sms_center;                 ///< the operator's side of SMS
    hal_sim::MqttServiceSnapshot mqtt_service;             ///< the module's MQTT client service
    std::map<std::string, std::string> ports; ///< where its listeners are bound (hal_sim::HostPorts)
};

/// The status object (docs/control-api.md "Status"). While the power is off the firmware's fields
/// are null.
QJsonObject status_to_json(const BoardSnapshot& board);

/// "transparent", "wait_a" or "command".
const char* serial_mode_name(device::SerialMode mode);
/// "disabled", "connecting", "connected", "waiting" or "idle".
const char* link_state_name(device::LinkState state);

} // namespace dtu::sim
