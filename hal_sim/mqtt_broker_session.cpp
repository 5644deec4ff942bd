#include "hal_sim/mqtt_broker_session.hpp"

#include <algorithm>

#include "dtu/mqtt/topic_filter.hpp"

namespace dtu::hal_sim {

MqttSessionState::MqttSessionState(MqttBrokerSession info, std::size_t max_queued, std::size_t max_inflight)
    : info_(std::move(info)), max_queued_(max_queued), max_inflight_(std::max<std::size_t>(max_inflight, 1)) {
}

void MqttSessionState::subscribe(const std::string& filter, std::uint8_t granted_qos) {
    auto& subs = info_.subscriptions;
    const auto it = std::find_if(subs.begin(), subs.end(), [&](const auto& s) { return s.first == filter; });
    if (it != subs.end())
        it->second = granted_qos;
    else
        subs.emplace_back(filter, granted_qos);
}

void MqttSessionState::unsubscribe(std::string_view filter) {
    auto& subs = info_.subscriptions;
    subs.erase(std::remove_if(subs.begin(), subs.end(), [&](const auto& s) { return s.first == filter; }),
               subs.end());
}

std::vector<std::uint8_t> MqttSessionState::matching(std::string_view topic) const {
    std::vector<std::uint8_t> out;
    for (const auto& [filter, qos] : info_.subscriptions)
        if (mqtt::topic_matches(filter, topic)) out.push_back(qos);
    return out;
}

bool MqttSessionState::enqueue(MqttPublishPacket publish) {
    if (queued() >= max_queued_) return false;
    waiting_.push_back(std::move(publish));
    update_queued();
    return true;
}

std::uint16_t MqttSessionState::next_packet_id() {
    // §2.3.1: non-zero, not one in use. At most max_queued are in use, far below 65535.
    do {
        last_packet_id_ = static_cast<std::uint16_t>(last_packet_id_ == 0xffff ? 1 : last_packet_id_ + 1);
    } while (in_flight_.count(last_packet_id_) != 0);
    return last_packet_id_;
}

std::vector<MqttPacket> MqttSessionState::take_sendable() {
    std::vector<MqttPacket> out;
    while (!waiting_.empty() && in_flight_.size() < max_inflight_) {
        auto publish = std::move(waiting_.front());
        waiting_.pop_front();
        publish.packet_id = next_packet_id();
        publish.dup = false;
        flight_order_.push_back(publish.packet_id);
        out.emplace_back(publish);
        in_flight_.emplace(publish.packet_id, InFlight{std::move(publish), false});
    }
    return out;
}

std::vector<MqttPacket> MqttSessionState::resend_in_flight() const {
    std::vector<MqttPacket> out;
    for (auto id : flight_order_) {
        const auto& f = in_flight_.at(id);
        if (f.released) {
            out.emplace_back(MqttAckPacket{MqttPacketType::Pubrel, id});
        } else {
            auto again = f.publish;
            again.dup = true; // §3.3.1.1
            out.emplace_back(std::move(again));
        }
    }
    return out;
}

std::optional<MqttPacket> MqttSessionState::acknowledge(const MqttAckPacket& ack) {
    const auto it = in_flight_.find(ack.packet_id);
    if (it == in_flight_.end()) return std::nullopt;
    auto& f = it->second;
    const bool done = (ack.type == MqttPacketType::Puback && f.publish.qos == 1) ||
                      (ack.type == MqttPacketType::Pubcomp && f.publish.qos == 2 && f.released);
    if (done) {
        in_flight_.erase(it);
        flight_order_.erase(std::find(flight_order_.begin(), flight_order_.end(), ack.packet_id));
        update_queued();
        return std::nullopt;
    }
    if (ack.type == MqttPacketType::Pubrec && f.publish.qos == 2) { // a repeated PUBREC gets its PUBREL again
        f.released = true;
        return MqttAckPacket{MqttPacketType::Pubrel, ack.packet_id};
    }
    return std::nullopt;
}

MqttSessionState::Hold MqttSessionState::hold_incoming(std::uint16_t packet_id, MqttBrokerMessage message) {
    if (incoming_.count(packet_id) != 0) return Hold::Duplicate;
    if (incoming_.size() >= max_queued_) return Hold::Full;
    incoming_.emplace(packet_id, std::move(message));
    return Hold::New;
}

std::optional<MqttBrokerMessage> MqttSessionState::release_incoming(std::uint16_t packet_id) {
    const auto it = incoming_.find(packet_id);
    if (it == incoming_.end()) return std::nullopt;
    auto message = std::move(it->second);
    incoming_.erase(it);
    return message;
}

} // namespace dtu::hal_sim
