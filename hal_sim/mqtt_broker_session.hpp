#pragma once
// One client's session in the broker model (MQTT 3.1.1 §4.1): its subscriptions, the QoS 1/2
// messages towards it (waiting, then in flight until acknowledged: PUBACK, or PUBREC -> PUBREL ->
// PUBCOMP, §4.3) and the QoS 2 messages from it held until their PUBREL. Pure state: the broker
// decides when to send what this hands out.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hal_sim/mqtt_broker_types.hpp"
#include "hal_sim/mqtt_wire.hpp"
#include "hal_sim/net_peer.hpp"

namespace dtu::hal_sim {

class MqttSessionState {
public:
    MqttSessionState(MqttBrokerSession info, std::size_t max_queued, std::size_t max_inflight);

    const MqttBrokerSession& info() const { return info_; }
    MqttBrokerSession& info() { return info_; }
    std::optional<MqttWillFields> will;
    ConnId conn = 0; ///< the connection carrying the session; 0 while the client is away

    /// §3.8.4: a filter already subscribed is replaced (its QoS updated, its place kept).
    void subscribe(const std::string& filter, std::uint8_t granted_qos);
    void unsubscribe(std::string_view filter);
    /// The granted QoS of every subscription matching topic, in subscription order (one delivery
    /// each: overlapping subscriptions give a copy per subscription, as mosquitto 2.0 does).
    std::vector<std::uint8_t> matching(std::string_view topic) const;

    /// A QoS 1/2 message for the client (publish.qos set, packet id assigned later). False if
    /// max_queued messages are already waiting or in flight: the message is dropped.
    bool enqueue(MqttPublishPacket publish);
    /// Waiting messages moved in flight (up to max_inflight), with their packet ids: to be sent.
    std::vector<MqttPacket> take_sendable();
    /// Everything in flight again, as §4.4 wants on reconnect: PUBLISH with DUP, or the PUBREL of a
    /// message whose PUBREC came.
    std::vector<MqttPacket> resend_in_flight() const;
    /// PUBACK, PUBREC or PUBCOMP from the client. Returns the PUBREL to send for a PUBREC; ids not
    /// in flight (or at another stage) are ignored, as mosquitto ignores them.
    std::optional<MqttPacket> acknowledge(const MqttAckPacket& ack);

    enum class Hold : unsigned char { New, Duplicate, Full };
    /// A QoS 2 PUBLISH from the client (§4.3.3, method B: delivered onwards at PUBREL). Duplicate:
    /// this packet id is already held (a resend), nothing new. Full: max_queued are held, dropped.
    Hold hold_incoming(std::uint16_t packet_id, MqttBrokerMessage message);
    /// PUBREL: the held message, once.
    std::optional<MqttBrokerMessage> release_incoming(std::uint16_t packet_id);

    /// Waiting and in flight (MqttBrokerSession::queued).
    std::size_t queued() const { return waiting_.size() + in_flight_.size(); }
    std::size_t in_flight() const { return in_flight_.size(); }

private:
    struct InFlight {
        MqttPublishPacket publish;
        bool released = false; ///< QoS 2: PUBREC came, PUBREL sent, PUBCOMP awaited
    };
    std::uint16_t next_packet_id();
    void update_queued() { info_.queued = queued(); }

    MqttBrokerSession info_;
    std::size_t max_queued_, max_inflight_;
    std::deque<MqttPublishPacket> waiting_;
    std::map<std::uint16_t, InFlight> in_flight_;
    std::vector<std::uint16_t> flight_order_; ///< packet ids in the order they went out
    std::uint16_t last_packet_id_ = 0;
    std::map<std::uint16_t, MqttBrokerMessage> incoming_;
};

} // namespace dtu::hal_sim
