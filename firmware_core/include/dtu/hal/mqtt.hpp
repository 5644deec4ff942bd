#pragma once
// HAL: the cellular module's MQTT client service (hal_sim: libmosquitto, its traffic through the
// same impaired link as the sockets). One session at a time. The firmware owns the policy: what to
// connect to, when to reconnect, what to publish and subscribe (spec mqtt.md §6).
#include <cstdint>
#include <string_view>

#include "dtu/hal/tls.hpp"

namespace dtu::hal {

/// Why a connect failed or a session ended.
enum class MqttError : std::uint8_t {
    None,
    NotAttached,    ///< no data link (registration lost, link down)
    DnsFailed,      ///< the broker's name did not resolve
    Refused,        ///< TCP connection refused or reset before CONNACK
    Timeout,        ///< no CONNACK within the connect timeout
    TlsFailed,      ///< TLS handshake failed (certificate not verified, version, bad key...)
    Rejected,       ///< CONNACK with a non-zero return code (see connack_code)
    ConnectionLost, ///< an established session ended without DISCONNECT (peer close, reset, link)
    KeepAlive,      ///< no PINGRESP within the keep-alive
    Protocol,       ///< the broker broke the protocol
    Invalid,        ///< bad parameters (empty host, port 0, ...)
};

struct MqttWill {
    std::string_view topic;
    std::string_view payload;
    std::uint8_t qos = 0;
    bool retain = false;
};

/// CONNECT parameters. Views are valid only during connect().
struct MqttConnect {
    std::string_view host;
    std::uint16_t port = 1883;
    std::string_view client_id;
    std::string_view username;       ///< empty: no user name flag
    std::string_view password;       ///< empty: no password flag
    std::uint8_t protocol_level = 4; ///< 3 = MQTT 3.1 ("MQIsdp"), 4 = MQTT 3.1.1
    std::uint16_t keepalive_s = 60;  ///< 0 = no keep-alive
    bool clean_session = true;
    const MqttWill* will = nullptr; ///< nullptr: no will
    const TlsParams* tls = nullptr; ///< nullptr: plain TCP
};

/// Events, delivered on the firmware executor, never inside an Mqtt call.
class MqttListener {
public:
    virtual ~MqttListener() = default;
    /// CONNACK 0 arrived: publish and subscribe may be used.
    virtual void on_mqtt_connected() = 0;
    /// connect() did not end in a session. connack_code is the CONNACK return code for Rejected.
    virtual void on_mqtt_connect_failed(MqttError why, int connack_code) = 0;
    /// An established session ended (not after disconnect()).
    virtual void on_mqtt_closed(MqttError why) = 0;
    /// A PUBLISH from the broker (QoS 1/2 already acknowledged by the service).
    virtual void on_mqtt_message(std::string_view topic, std::string_view payload) = 0;
};

class Mqtt {
public:
    virtual ~Mqtt() = default;
    /// Where events go; nullptr stops them.
    virtual void set_listener(MqttListener* listener) = 0;
    /// Start a session (a running one is dropped first, without DISCONNECT). Exactly one of
    /// on_mqtt_connected / on_mqtt_connect_failed follows.
    virtual void connect(const MqttConnect& params) = 0;
    /// Queue a PUBLISH. False when there is no session or the payload or queue is too large.
    virtual bool publish(std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain) = 0;
    /// Queue a SUBSCRIBE / UNSUBSCRIBE. False when there is no session.
    virtual bool subscribe(std::string_view topic, std::uint8_t qos) = 0;
    virtual bool unsubscribe(std::string_view topic) = 0;
    /// Send DISCONNECT and close (the broker drops the will). No event follows.
    virtual void disconnect() = 0;
};

} // namespace dtu::hal
