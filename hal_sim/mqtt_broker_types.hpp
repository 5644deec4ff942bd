#pragma once
// The broker model's value types (mqtt_broker.hpp): options, a message as the broker got it, a
// session as the broker sees it, counters. Apart so that the broker's parts (sessions, retained
// store, CONNECT checks) can use them without the broker itself.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hal_sim/scheduler.hpp"

namespace dtu::hal_sim {

struct MqttBrokerOptions {
    /// user name -> password. A CONNECT with a user name not here, or the wrong password, gets
    /// bad_credentials_code. Empty: any user name is taken (mosquitto without a password_file).
    std::map<std::string, std::string> users;
    bool allow_anonymous = true;              ///< false: a CONNECT without user name gets CONNACK 5
    std::set<std::string> refused_client_ids; ///< CONNACK 2
    std::size_t max_packet_bytes = std::size_t{256} << 10; ///< larger: the connection is closed
    std::size_t max_retained = 1000;                       ///< retained topics kept; more: dropped, counted
    std::size_t max_queued = 1000; ///< per session, messages waiting (offline or in flight)
    /// Unacknowledged QoS 1/2 to a connected client resent (DUP) after this long; 0: only on the
    /// reconnect of a persistent session (§4.4), which is what mosquitto 2.0 does (it has no retry
    /// timer since 1.5).
    std::chrono::milliseconds resend_after{0};
    /// The answer to a user name not in `users` or a wrong password. 5 (not authorized) is what
    /// mosquitto 2.0 sends to an MQTT 3.1/3.1.1 client (handle_connect.c: MOSQ_ERR_AUTH ->
    /// CONNACK_REFUSED_NOT_AUTHORIZED); 4 (bad user name or password) is the other reading of §3.2.2.3.
    std::uint8_t bad_credentials_code = 5;
    /// QoS 1/2 messages to one client on the wire unacknowledged at once; the rest wait in order
    /// (mosquitto's max_inflight_messages, 20 by default).
    std::size_t max_inflight = 20;
    /// A connection that has sent no CONNECT this long after it opened is closed. mosquitto applies
    /// its keep-alive rule to a new connection with the library's default keep-alive of 60 s, so it
    /// lets such a socket live for 1.5 x 60 s = 90 s.
    std::chrono::milliseconds connect_timeout{90000};
};

/// One PUBLISH as the broker received it (from a client, the will of a client, or publish()).
struct MqttBrokerMessage {
    std::string topic, payload;
    std::uint8_t qos = 0;
    bool retain = false;
    bool will = false;     ///< published by the broker as a client's will
    std::string client_id; ///< who published it ("" for publish())
    Scheduler::TimePoint at{};
};

/// Why a connection's session ended (the broker's view).
enum class MqttSessionEnd : std::uint8_t {
    None,
    Disconnect,
    PeerClosed,
    Reset,
    KeepAlive,
    Protocol,
    TakenOver,
    BrokerDropped
};

/// "disconnect", "keep-alive", ... (logs, traces).
constexpr std::string_view session_end_name(MqttSessionEnd why) {
    switch (why) {
    case MqttSessionEnd::None: return "none";
    case MqttSessionEnd::Disconnect: return "disconnect";
    case MqttSessionEnd::PeerClosed: return "peer-closed";
    case MqttSessionEnd::Reset: return "reset";
    case MqttSessionEnd::KeepAlive: return "keep-alive";
    case MqttSessionEnd::Protocol: return "protocol";
    case MqttSessionEnd::TakenOver: return "taken-over";
    case MqttSessionEnd::BrokerDropped: return "broker-dropped";
    }
    return "unknown";
}

struct MqttBrokerSession {
    std::string client_id, username;
    std::uint8_t protocol_level = 4;
    std::uint16_t keepalive_s = 0;
    bool clean_session = true;
    bool connected = false; ///< false: a persistent session kept while the client is away
    bool has_will = false;
    std::vector<std::pair<std::string, std::uint8_t>> subscriptions; ///< filter, granted QoS
    std::size_t queued = 0;                                          ///< messages waiting for this client
};

struct MqttBrokerCounters {
    std::uint64_t connects = 0, connacks_refused = 0, malformed = 0, oversize = 0, retained_dropped = 0,
                  queue_dropped = 0, wills = 0, keepalive_timeouts = 0;
};

} // namespace dtu::hal_sim
