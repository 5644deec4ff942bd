#pragma once
// hal::Mqtt in virtual time: the cellular module's MQTT client service as an MQTT 3.1 / 3.1.1
// client speaking the protocol's bytes (mqtt_wire.hpp) over the VirtualNet's kMqttServiceLink, so
// its traffic crosses the device's LinkImpairment like the sockets' and reaches the scenario's
// in-process broker (mqtt_broker.hpp) — or any VirtualServer that speaks MQTT. Everything runs on
// the Scheduler: deterministic, and a day of keep-alives costs what its packets cost.
//
// It keeps MosquittoMqtt's contract (mosquitto_mqtt.hpp), so the firmware behaves the same in both
// clocks: the same parameter checks, bounds, counters, snapshot, error mapping and log lines
// (mqtt_service.hpp), and what libmosquitto does on the wire:
// - connect(): a running session is dropped first (no DISCONNECT: the broker sees the connection
//   close); CONNECT carries protocol level 3 ("MQIsdp") or 4 ("MQTT"), client id, user name and
//   password (the password only with a user name), keep-alive (1..4 s raised to 5 s, as
//   libmosquitto), clean session and will. hal::MqttConnect::tls goes to VirtualNet::open.
// - Outcomes, always posted: CONNACK 0 -> on_mqtt_connected; CONNACK 1..5 -> Rejected(code); the
//   link's connect failure -> NotAttached / DnsFailed / Refused / Timeout / TlsFailed; the link
//   closed before CONNACK -> Refused (NotAttached when registration was lost); no CONNACK within
//   connect_timeout, or within the keep-alive (libmosquitto's CONNACK wait) -> Timeout; a packet
//   that breaks the protocol (malformed, not CONNACK first, a server-only packet, too large) ->
//   Protocol; bad parameters -> Invalid. An established session that ends without disconnect():
//   KeepAlive when the PINGRESP did not come, Protocol, else ConnectionLost.
// - Keep-alive as libmosquitto keeps it: a PINGREQ when nothing was sent, or nothing received, for
//   the keep-alive; after it the broker has one more keep-alive to send anything; when that passes
//   with the PINGRESP still missing the session ends (KeepAlive).
// - QoS 1/2 out: kept until PUBACK / PUBCOMP (PUBREL sent on PUBREC). With clean session off, the
//   next session of the same client id resends them (PUBLISH with DUP, or PUBREL) after CONNACK.
//   QoS 1/2 in: PUBACK; PUBREC, delivered on PUBREL then PUBCOMP (as libmosquitto, once).
// - Bounds: publish() refuses a payload above max_payload and anything while max_pending_messages /
//   max_pending_bytes wait for completion (QoS 0 completes when queued on the link); incoming QoS 2
//   messages waiting for PUBREL are held under the same bounds (over them: dropped, counted); an
//   incoming PUBLISH above max_payload is dropped and counted (still acknowledged), the session goes
//   on; a packet larger than max_payload + 64 KiB (the longest topic) is not read: the session ends
//   as Protocol (libmosquitto would read up to 256 MiB; the model keeps memory bounded instead).
// - disconnect(): DISCONNECT is sent and the link closed (what is queued still goes out); no event
//   follows. reset() (module reset / power off): the link is closed at once, nothing posted is
//   delivered, nothing is kept for a next session.
// Single-threaded: call everything from the scheduler's thread.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dtu/hal/log.hpp"
#include "dtu/hal/mqtt.hpp"
#include "dtu/hal/net.hpp"
#include "hal_sim/mqtt_service.hpp"
#include "hal_sim/mqtt_wire.hpp"
#include "hal_sim/scheduler.hpp"
#include "hal_sim/virtual_net.hpp"

namespace dtu::hal_sim {

class VirtualMqtt final : public hal::Mqtt, private hal::NetListener {
public:
    /// Takes net's kMqttServiceLink (set_link_listener). scheduler, net and log outlive this object.
    VirtualMqtt(Scheduler& scheduler, VirtualNet& net, hal::Log& log, MqttServiceOptions options = {});
    ~VirtualMqtt() override;
    VirtualMqtt(const VirtualMqtt&) = delete;
    VirtualMqtt& operator=(const VirtualMqtt&) = delete;

    void set_listener(hal::MqttListener* listener) override { listener_ = listener; }
    void connect(const hal::MqttConnect& params) override;
    bool publish(std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain) override;
    bool subscribe(std::string_view topic, std::uint8_t qos) override;
    bool unsubscribe(std::string_view topic) override;
    void disconnect() override;

    /// Module reset / power off: drop the session at once (no DISCONNECT), deliver nothing pending.
    void reset();
    MqttServiceSnapshot snapshot() const { return record_.snapshot(state_); }
    const MqttServiceOptions& options() const { return options_; }

private:
    // hal::NetListener, for kMqttServiceLink
    void on_connected(hal::LinkId id) override;
    void on_connect_failed(hal::LinkId id, hal::NetError why) override;
    void on_data(hal::LinkId id, std::string_view bytes) override;
    void on_closed(hal::LinkId id, hal::NetError why) override;
    void on_attach_changed(bool) override {}

    /// One packet from the broker; false when it broke the protocol (the session is over).
    bool on_packet(MqttPacket& packet);
    bool on_connack(const MqttConnackPacket& connack);
    void on_publish(MqttPublishPacket& publish);
    void on_ack(const MqttAckPacket& ack);
    void resend_unacknowledged();
    void deliver(std::string topic, std::string payload);

    /// Write a packet to the link (false: the link refused it).
    bool send(const MqttPacket& packet);
    std::uint16_t next_packet_id();
    void arm_keepalive();
    void keepalive_due();

    void fail_connect(hal::MqttError why, int connack_code, const std::string& detail);
    void lose_session(hal::MqttError why, const std::string& detail);
    /// A broken session or connect: Protocol, the link closed.
    void protocol_error(const std::string& detail);
    /// Stop the timers and close the link (no DISCONNECT); what was queued on it still goes out.
    void end_link();
    /// Forget the messages kept for a next persistent session.
    void forget_session();
    void post(std::function<void(hal::MqttListener&)> event);

    /// A QoS 1/2 PUBLISH until it completes (PUBACK; PUBCOMP), across sessions with clean session off.
    struct Outgoing {
        MqttPublishPacket packet;
        bool released = false; ///< PUBREC came, PUBREL sent: waiting for PUBCOMP
    };

    Scheduler& scheduler_;
    VirtualNet& net_;
    hal::Log& log_;
    MqttServiceOptions options_;
    MqttServiceRecord record_;
    hal::MqttListener* listener_ = nullptr;
    MqttServiceState state_ = MqttServiceState::Idle;
    std::uint64_t gen_ = 0;     ///< bumped by connect / disconnect / reset: older posted events are dropped
    MqttConnectPacket connect_; ///< what the current connect() sends
    std::optional<MqttFrameReader> reader_;               ///< the current connection's byte stream
    std::map<std::uint16_t, Outgoing> outgoing_;          ///< by packet id
    std::map<std::uint16_t, MqttPublishPacket> incoming_; ///< QoS 2 received, until PUBREL
    std::size_t incoming_bytes_ = 0;
    std::uint16_t last_id_ = 0;
    Scheduler::TaskId connect_timer_ = 0, keepalive_timer_ = 0;
    Scheduler::Duration keepalive_{};
    Scheduler::TimePoint last_in_{}, next_out_{}; ///< libmosquitto's last_msg_in / next_msg_out
    bool ping_outstanding_ = false;
    std::shared_ptr<VirtualMqtt*> alive_; ///< scheduled tasks hold a weak_ptr
};

} // namespace dtu::hal_sim
