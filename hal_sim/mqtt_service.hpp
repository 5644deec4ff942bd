#pragma once
// What the module's MQTT client service is in both clocks (MosquittoMqtt in real time, VirtualMqtt
// in virtual time): its options and bounds, the snapshot the control API shows, the checks of a
// connect's parameters, the error mapping and the bookkeeping of outcomes (counters, last error,
// log lines) and of pending messages. One definition, so a firmware sees the same service whichever
// clock it runs on.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "dtu/hal/log.hpp"
#include "dtu/hal/mqtt.hpp"
#include "dtu/hal/net.hpp"

namespace dtu::hal_sim {

struct MqttServiceOptions {
    std::size_t max_payload = 64 * 1024;               ///< per message, both directions
    std::size_t max_pending_messages = 64;             ///< publishes / (un)subscribes not yet completed
    std::size_t max_pending_bytes = 256 * 1024;        ///< their topic + payload bytes
    std::chrono::milliseconds connect_timeout{30000};  ///< connect() to CONNACK
    std::chrono::milliseconds disconnect_linger{5000}; ///< how long a DISCONNECT may wait for the socket
};

enum class MqttServiceState : std::uint8_t { Idle, Connecting, Connected };

/// Totals since the service was created (a module reset does not clear them).
struct MqttServiceCounters {
    std::uint64_t connects = 0;                    ///< connect() calls
    std::uint64_t sessions = 0;                    ///< CONNACK 0
    std::uint64_t connect_failures = 0;            ///< on_mqtt_connect_failed
    std::uint64_t sessions_lost = 0;               ///< on_mqtt_closed
    std::uint64_t messages_out = 0, bytes_out = 0; ///< publishes accepted (payload bytes)
    std::uint64_t messages_in = 0, bytes_in = 0;   ///< messages delivered to the firmware
    std::uint64_t publish_no_session = 0;          ///< publish() refused: no session
    std::uint64_t publish_oversize = 0;            ///< publish() refused: payload > max_payload
    std::uint64_t queue_full = 0;                  ///< publish / (un)subscribe refused: too much pending
    std::uint64_t incoming_dropped = 0, incoming_dropped_bytes = 0; ///< oversize incoming messages
};

/// The service as the control API shows it.
struct MqttServiceSnapshot {
    MqttServiceState state = MqttServiceState::Idle;
    std::string broker; ///< "host:port" of the last connect(), empty before
    std::string client_id;
    int protocol_level = 0;
    bool tls = false;
    std::size_t pending_messages = 0, pending_bytes = 0;
    MqttServiceCounters counters;
    std::string last_error; ///< e.g. "rejected (CONNACK 5: not authorised)", empty before any
};

const char* mqtt_service_state_name(MqttServiceState state);
/// "not-attached", "rejected", ... (status, logs).
const char* mqtt_error_name(hal::MqttError error);
/// libmosquitto's text for a CONNACK return code ("Connection Refused: not authorised.").
std::string mqtt_connack_text(int code);
/// Why a connect failed, from the link's reason (the broker could not be reached).
hal::MqttError mqtt_error_from_link(hal::NetError why);
/// "30.0 s" (log lines).
std::string mqtt_seconds(std::chrono::milliseconds d);
/// A topic for a log line: hostile brokers may send long ones.
std::string mqtt_shown_topic(std::string_view topic);

/// libmosquitto refuses a keep-alive of 1..4 s: both services send 5 s instead (logged).
inline constexpr std::uint16_t kMqttMinKeepalive = 5;

/// Why these parameters cannot start a session (empty host, port 0, protocol level, a persistent
/// session without client id, will QoS), or nullopt when they can.
std::optional<std::string> mqtt_connect_invalid(const hal::MqttConnect& p);
/// The keep-alive sent for p (raised to kMqttMinKeepalive, logged), and the log line of a password
/// that is not sent for want of a user name (MQTT 3.1.1 §3.1.2.9).
std::uint16_t mqtt_keepalive_sent(const hal::MqttConnect& p, hal::Log& log);
bool mqtt_password_sent(const hal::MqttConnect& p, hal::Log& log);

/// The bookkeeping of one service: what the snapshot shows, the log lines of its outcomes, and the
/// messages still pending (by message / packet id) against the bounds.
class MqttServiceRecord {
public:
    MqttServiceRecord(hal::Log& log, const MqttServiceOptions& options) : log_(log), options_(options) {}

    /// connect(): counted; broker, client id, level and TLS remembered; pending forgotten.
    void begin(const hal::MqttConnect& p);
    void connected();
    /// A connect that did not end in a session: counted, last_error set, logged.
    void connect_failed(hal::MqttError why, int connack_code, const std::string& detail);
    /// An established session ended: counted, last_error set, logged; pending forgotten.
    void session_lost(hal::MqttError why, const std::string& detail);

    /// publish(): counted and logged when there is no session or the payload is too large.
    bool publish_allowed(bool session, std::size_t payload);
    /// Room for one more pending message of bytes (else counted as queue_full).
    bool admit(std::size_t bytes);
    void published(std::size_t payload) {
        info_.counters.messages_out++;
        info_.counters.bytes_out += payload;
    }
    void track(int id, std::size_t bytes);
    /// False if id was not pending.
    bool complete(int id);
    bool pending(int id) const { return pending_.count(id) != 0; }
    void clear_pending();

    /// An incoming message: true if it may go to the firmware; false when it is above max_payload
    /// (dropped, counted, logged).
    bool incoming_fits(std::string_view topic, std::size_t payload);
    /// An incoming message not delivered (why: "limit 65536", ...): counted, logged.
    void incoming_dropped(std::string_view topic, std::size_t payload, const std::string& why);
    /// A message handed to the firmware.
    void delivered(std::size_t payload) {
        info_.counters.messages_in++;
        info_.counters.bytes_in += payload;
    }

    MqttServiceSnapshot snapshot(MqttServiceState state) const;
    const std::string& broker() const { return info_.broker; }
    bool tls() const { return info_.tls; }
    void log(hal::LogLevel level, const std::string& line) { log_.write(level, line); }

private:
    hal::Log& log_;
    const MqttServiceOptions& options_;
    MqttServiceSnapshot info_;           ///< broker, client id, counters, last error
    std::map<int, std::size_t> pending_; ///< id -> bytes, until completed
    std::size_t pending_bytes_ = 0;
};

} // namespace dtu::hal_sim
