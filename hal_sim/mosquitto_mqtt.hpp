#pragma once
// hal::Mqtt on the host: the cellular module's MQTT client service, on libmosquitto
// (MosquittoClient, driven by the device's io_context), its traffic through the device's impaired
// link (Socks5Relay on kMqttServiceLink of the AsioNet). Spec mqtt.md §6; the firmware owns the
// policy (what, when, reconnects); this is the module's stack.
//
// - connect(): a running session is dropped first (no DISCONNECT: the broker sees the connection
//   close and publishes the will). CONNECT carries the protocol level (3: "MQIsdp", 4: "MQTT"),
//   client id, user name / password (the password only with a user name, MQTT 3.1.1 §3.1.2.9),
//   keep-alive (1..4 s is below libmosquitto's minimum: 5 s is sent, logged), clean session and
//   will. An empty client id with clean session lets libmosquitto make one up.
// - Outcomes, always posted (never inside an Mqtt call): CONNACK 0 -> on_mqtt_connected; CONNACK
//   1..5 -> on_mqtt_connect_failed(Rejected, code); the link's connect failure -> NotAttached /
//   DnsFailed / Refused / Timeout as the relay reports it; connection closed or reset before
//   CONNACK -> Refused; TLS handshake failure -> TlsFailed (the reason logged); a broker breaking
//   the protocol -> Protocol; no CONNACK within connect_timeout (or the keep-alive, which
//   libmosquitto also applies to the CONNACK wait) -> Timeout; bad parameters -> Invalid.
//   An established session that ends without our disconnect(): on_mqtt_closed(KeepAlive) when the
//   PINGRESP did not come, Protocol for a protocol violation, else ConnectionLost (peer close,
//   reset, registration loss, link down, reset injection).
// - libmosquitto never reconnects on its own here. One libmosquitto client object serves the
//   connects of one identity (client id, clean session, TLS context); with clean session off it
//   resends unacknowledged QoS 1/2 messages in the next session, as MQTT wants.
// - Bounds: publish() refuses (false, counted) a payload above max_payload, and any publish,
//   subscribe or unsubscribe while max_pending_messages / max_pending_bytes are already waiting
//   for completion (QoS 0: written to the socket; QoS 1/2: acknowledged; SUBACK / UNSUBACK).
//   That covers what libmosquitto queues for us; between it and the link sit a 64 KiB loopback
//   pipe and the link's own 1 MiB queue.
// - Incoming PUBLISH above max_payload: dropped and counted (QoS 1/2 still acknowledged by
//   libmosquitto), the session goes on. libmosquitto reads a whole packet into one buffer before it
//   hands it over, so while such a message arrives it holds its full size (at most one incoming
//   packet at a time; MQTT's remaining length caps a packet at 256 MiB) and frees it right after.
// - A hostile broker (drops, refuses, garbage, oversize) ends in a clean error event; the service
//   is ready for the next connect().
// - disconnect(): DISCONNECT is sent (it still goes out through the link) and the session closed;
//   no event follows. reset() (module reset / power off): the session is dropped at once and no
//   event already posted is delivered.
// Single-threaded: call everything on the io_context's thread.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "dtu/hal/log.hpp"
#include "dtu/hal/mqtt.hpp"
#include "hal_sim/asio_net.hpp"
#include "hal_sim/mosquitto_client.hpp"
#include "hal_sim/mqtt_service.hpp"
#include "hal_sim/socks5_relay.hpp"

namespace dtu::hal_sim {

class MosquittoMqtt final : public hal::Mqtt, private MosquittoClient::Handler {
public:
    /// Starts the relay (127.0.0.1, a free port) on net's kMqttServiceLink. net outlives this.
    MosquittoMqtt(boost::asio::io_context& io, AsioNet& net, hal::Log& log, MqttServiceOptions options = {});
    ~MosquittoMqtt() override;
    MosquittoMqtt(const MosquittoMqtt&) = delete;
    MosquittoMqtt& operator=(const MosquittoMqtt&) = delete;

    void set_listener(hal::MqttListener* listener) override { listener_ = listener; }
    void connect(const hal::MqttConnect& params) override;
    bool publish(std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain) override;
    bool subscribe(std::string_view topic, std::uint8_t qos) override;
    bool unsubscribe(std::string_view topic) override;
    void disconnect() override;

    /// Module reset / power off: drop the session at once (no DISCONNECT), deliver nothing pending.
    void reset();
    MqttServiceSnapshot snapshot() const;
    const Socks5Relay& relay() const { return relay_; }
    const MqttServiceOptions& options() const { return options_; }

private:
    // MosquittoClient::Handler
    void on_connack(int code) override;
    void on_message(std::string_view topic, std::string_view payload) override;
    void on_completed(int mid) override;
    void on_log(int level, std::string_view line) override;
    void on_ended(int rc) override;

    void on_relay(std::uint16_t client_port, const RelayEvent& event);
    /// Checked and translated parameters (a failure is reported and nullopt returned).
    struct Plan {
        MosquittoIdentity identity;
        MosquittoSession session;
    };
    std::optional<Plan> plan_for(const hal::MqttConnect& p);
    /// The client object for identity: the cached one if it fits and is free, else a new one.
    std::shared_ptr<MosquittoClient> client_for(const MosquittoIdentity& identity, std::string& error);
    void fail_connect(hal::MqttError why, int connack_code, const std::string& detail);
    void lose_session(hal::MqttError why, const std::string& detail);
    void end_session();
    void track(int rc, int mid, std::size_t bytes);
    void post(std::function<void(hal::MqttListener&)> event);
    void log(hal::LogLevel level, const std::string& line) { record_.log(level, line); }

    boost::asio::io_context& io_;
    hal::Log& log_;
    MqttServiceOptions options_;
    Socks5Relay relay_;
    hal::MqttListener* listener_ = nullptr;
    std::shared_ptr<MosquittoClient> client_; ///< kept across sessions (see MosquittoClient)
    boost::asio::steady_timer connect_timer_;
    MqttServiceState state_ = MqttServiceState::Idle;
    std::uint64_t gen_ = 0; ///< bumped by connect / disconnect / reset: older posted events are dropped
    std::optional<RelayEvent> upstream_;    ///< what the relay said about the current client's link
    std::string tls_detail_;                ///< libmosquitto's last error line (TLS reasons)
    bool in_call_ = false;                  ///< inside a libmosquitto publish/subscribe call
    std::optional<int> completed_in_call_;  ///< a mid completed inside that call (QoS 0 written at once)
    MqttServiceRecord record_;              ///< broker, client id, counters, last error, pending mids
    std::shared_ptr<MosquittoMqtt*> alive_; ///< posted events hold a weak_ptr
};

} // namespace dtu::hal_sim
