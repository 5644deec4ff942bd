#pragma once
// An MQTT 3.1 / 3.1.1 broker in-process, for virtual-time scenarios: a VirtualServer on the
// VirtualNet (so the device's MQTT traffic crosses the same LinkImpairment as its sockets:
// latency, loss as retransmission delay, link down ending the connection), driven by the
// Scheduler, deterministic. A model of what a broker such as mosquitto does, checked against
// mosquitto by the real-vs-virtual scenario tests:
// - sessions: client id (empty + clean session: one is assigned; empty + persistent: CONNACK 2),
//   credentials (CONNACK 4 bad user name or password, 5 anonymous not allowed), refused client
//   ids (CONNACK 2), protocol level 3/4 (else CONNACK 1), a second CONNECT by the same client id
//   takes the session over (the old connection closed, its will published), clean session off:
//   subscriptions and QoS 1/2 messages kept while disconnected;
// - keep-alive: no packet within 1.5 x keep-alive ends the connection and publishes the will
//   (MQTT 3.1.1 §3.1.2.10); PINGREQ -> PINGRESP;
// - topic filters per §4.7 (dtu::mqtt::topic_matches: '+', '#', '$' topics), retained messages
//   (an empty retained payload deletes), QoS 0/1/2 both ways with their acknowledgements and
//   resend (DUP) of unacknowledged QoS 1/2 on reconnect of a persistent session, delivered QoS =
//   min(published, granted);
// - the will on an abnormal end (connection closed or reset without DISCONNECT, keep-alive,
//   protocol error, take-over); DISCONNECT drops it;
// - bad input (malformed packets, a first packet that is not CONNECT, oversize packets): logged,
//   counted, the connection closed (§4.8), the broker goes on; memory bounded (retained messages,
//   per-session queue, packet size are capped by options; what is over the cap is dropped and
//   counted).
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dtu/hal/log.hpp"
#include "hal_sim/mqtt_broker_session.hpp"
#include "hal_sim/mqtt_broker_types.hpp"
#include "hal_sim/mqtt_retained_store.hpp"
#include "hal_sim/mqtt_wire.hpp"
#include "hal_sim/net_peer.hpp"
#include "hal_sim/scheduler.hpp"

namespace dtu::hal_sim {

// MqttBrokerOptions, MqttBrokerMessage, MqttSessionEnd, MqttBrokerSession, MqttBrokerCounters:
// mqtt_broker_types.hpp.

class MqttBrokerObserver {
public:
    virtual ~MqttBrokerObserver() = default;
    /// CONNACK sent (code 0: a session started).
    virtual void on_broker_connect(const MqttBrokerSession& session, std::uint8_t return_code) = 0;
    /// A connected session's connection ended.
    virtual void on_broker_session_end(const MqttBrokerSession& session, MqttSessionEnd why) = 0;
    /// A PUBLISH accepted from a client (QoS 2: at PUBREC time, once), or a will being published.
    virtual void on_broker_message(const MqttBrokerMessage& message) = 0;
    /// A connection was closed for bad input (reason as logged).
    virtual void on_broker_error(ConnId conn, std::string_view reason) = 0;
};

class MqttBroker final : public VirtualServer {
public:
    /// scheduler, link (where its bytes go: the VirtualNet, or a TLS terminator in front of it) and
    /// log outlive the broker.
    MqttBroker(Scheduler& scheduler, ServerLink& link, hal::Log& log, MqttBrokerOptions options = {});
    ~MqttBroker() override;
    MqttBroker(const MqttBroker&) = delete;
    MqttBroker& operator=(const MqttBroker&) = delete;

    void set_observer(MqttBrokerObserver* observer) { observer_ = observer; }

    // VirtualServer
    bool on_connect(ConnId conn) override;
    void on_data(ConnId conn, std::string_view bytes) override;
    void on_closed(ConnId conn, bool reset) override;

    /// Publish as the broker's own client (scenario broker_publish): delivered to every matching
    /// subscription now, kept as retained when retain is set.
    void publish(std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain);

    enum class Availability : std::uint8_t {
        Up,       ///< normal
        Down,     ///< TCP connections refused (on_connect false)
        Refusing, ///< every CONNECT answered with refuse_code
        Silent,   ///< CONNECT never answered (the client's CONNACK timeout decides)
    };
    void set_availability(Availability availability, std::uint8_t refuse_code = 3);
    /// End every connection now (reset: RST, else FIN), as a broker restart: wills are published.
    void drop_all(bool reset);

    /// Connected sessions and kept persistent ones, by client id.
    std::vector<MqttBrokerSession> sessions() const;
    std::optional<MqttBrokerSession> session(std::string_view client_id) const;
    /// topic -> the retained message.
    const std::map<std::string, MqttBrokerMessage>& retained() const;
    const MqttBrokerCounters& counters() const;

private:
    /// One TCP connection: before CONNECT, then carrying the session of client_id.
    struct Connection {
        explicit Connection(std::size_t max_packet_bytes) : reader(max_packet_bytes) {}
        MqttFrameReader reader;
        bool connected = false; ///< CONNECT accepted (CONNACK 0 sent)
        bool ignored = false;   ///< Silent: a CONNECT came and is not answered; nothing more is read
        std::string client_id;
        std::uint16_t keepalive_s = 0;
        Scheduler::TimePoint last_in{};
        Scheduler::TaskId timer = 0;        ///< connect timeout, then keep-alive
        Scheduler::TaskId resend_timer = 0; ///< options.resend_after
    };

    void handle(ConnId conn, Connection& c, MqttPacket packet);
    void handle_connect(ConnId conn, Connection& c, const MqttConnectPacket& connect);
    void accept_session(ConnId conn, Connection& c, const MqttConnectPacket& connect, std::string client_id);
    void take_over(const std::string& client_id, bool new_clean_session);
    void handle_publish(MqttSessionState& session, ConnId conn, const MqttPublishPacket& publish);
    void handle_subscribe(ConnId conn, MqttSessionState& session, const MqttSubscribePacket& subscribe);
    void handle_ack(ConnId conn, MqttSessionState& session, const MqttAckPacket& ack);

    /// A message accepted: kept if retained, then delivered to every matching subscription.
    void accept_message(const MqttBrokerMessage& message);
    void route(const MqttBrokerMessage& message);
    void deliver(MqttSessionState& session, const MqttBrokerMessage& message, std::uint8_t qos, bool retain);
    void flush(MqttSessionState& session);
    std::optional<ConnId> conn_of(const MqttSessionState& session) const;

    bool send(ConnId conn, const MqttPacket& packet);
    /// Bad input or a protocol violation: logged, counted, reported, the connection closed.
    void fail(ConnId conn, std::string_view reason, bool oversize = false);
    /// The connection's session ends (will published unless DISCONNECT); close: the broker closes it.
    void end_connection(ConnId conn, MqttSessionEnd why, bool close, bool reset = false);
    void arm_timer(ConnId conn, Connection& c);
    void on_timer(ConnId conn);
    void arm_resend(ConnId conn, Connection& c);
    void log(hal::LogLevel level, const std::string& line);

    Scheduler& scheduler_;
    ServerLink& link_;
    hal::Log& log_;
    MqttBrokerOptions options_;
    MqttBrokerObserver* observer_ = nullptr;
    std::map<ConnId, Connection> connections_;
    std::map<std::string, MqttSessionState, std::less<>> sessions_;
    MqttRetainedStore retained_;
    MqttBrokerCounters counters_;
    Availability availability_ = Availability::Up;
    std::uint8_t refuse_code_ = 3;
    std::uint64_t assigned_ids_ = 0;
    /// Scheduled tasks hold a weak_ptr to this: they do nothing once the broker is gone.
    std::shared_ptr<MqttBroker*> alive_;
};

} // namespace dtu::hal_sim
