#include "mqtt_bridge.hpp"

#include <algorithm>

#include "dtu/mqtt/topic_filter.hpp"

namespace dtu::device {

MqttBridge::MqttBridge(hal::Mqtt& mqtt, MqttTopics topics, bool distribution,
                       const profile::MqttRules& limits, Hooks hooks, MqttStatus& stats)
    : mqtt_(mqtt), topics_(std::move(topics)), distribution_(distribution), limits_(limits),
      hooks_(std::move(hooks)), stats_(stats) {}

void MqttBridge::session_started() {
    for (const auto& t : topics_.subscribe)
        if (!mqtt_.subscribe(t.topic, t.qos))
            log(hal::LogLevel::Warn, "MQTT: could not subscribe " + t.topic);
}

void MqttBridge::session_ended() {
    temporary_.clear();
    stats_.temporary_topics = 0;
}

bool MqttBridge::on_frame(std::string_view frame) {
    if (distribution_) return distribute(frame);
    // Spec §5 GAP-23, mode 0: the frame, unchanged, to every enabled publish entry.
    if (topics_.publish.empty()) {
        ++stats_.frames_dropped;
        log(hal::LogLevel::Debug, "MQTT: no enabled publish topic: serial frame dropped");
        return false;
    }
    for (const auto& t : topics_.publish)
        publish(t.topic, frame, t.qos, t.retain);
    return true;
}

void MqttBridge::publish(std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain) {
    if (mqtt_.publish(topic, payload, qos, retain)) {
        ++stats_.published;
        return;
    }
    ++stats_.publish_failed;
    log(hal::LogLevel::Debug, "MQTT: the service refused a " + std::to_string(payload.size()) +
                                  "-byte message to " + std::string(topic));
}

bool MqttBridge::distribute(std::string_view frame) {
    const mqtt::DistributionFrame f = mqtt::parse_distribution(frame);
    switch (f.kind) {
    case mqtt::FrameKind::Entry:
        if (const MqttTopic* t = topics_.publish_entry(f.entry)) {
            publish(t->topic, f.payload, t->qos, t->retain);
            return true;
        }
        return bad_frame("publish topic " + std::to_string(f.entry) + " is not enabled");
    case mqtt::FrameKind::Publish: publish(f.topic, f.payload, f.qos, f.retain); return true;
    case mqtt::FrameKind::Subscribe: return subscribe_temporary(f);
    case mqtt::FrameKind::Unsubscribe: unsubscribe_temporary(f); return true;
    case mqtt::FrameKind::Bad: break;
    }
    return bad_frame(f.error);
}

bool MqttBridge::subscribe_temporary(const mqtt::DistributionFrame& f) {
    auto it = std::find_if(temporary_.begin(), temporary_.end(),
                           [&](const Temporary& t) { return t.filter == f.topic; });
    if (it == temporary_.end() && temporary_.size() >= limits_.temporary_topics)
        return bad_frame("already " + std::to_string(temporary_.size()) + " temporary subscriptions");
    if (!mqtt_.subscribe(f.topic, f.qos))
        return bad_frame("the service refused the subscription to " + std::string(f.topic));
    if (it == temporary_.end())
        temporary_.push_back({std::string(f.topic), f.qos});
    else
        it->qos = f.qos; // a second SUBSCRIBE replaces the first (MQTT 3.1.1 §3.8.4)
    stats_.temporary_topics = static_cast<std::uint32_t>(temporary_.size());
    return true;
}

void MqttBridge::unsubscribe_temporary(const mqtt::DistributionFrame& f) {
    temporary_.erase(std::remove_if(temporary_.begin(), temporary_.end(),
                                    [&](const Temporary& t) { return t.filter == f.topic; }),
                     temporary_.end());
    stats_.temporary_topics = static_cast<std::uint32_t>(temporary_.size());
    // A fixed subscribe entry on the same filter stays: the broker keeps one subscription per
    // filter, so UNSUBSCRIBE would end the fixed one too.
    const bool fixed = std::any_of(topics_.subscribe.begin(), topics_.subscribe.end(),
                                   [&](const MqttTopic& t) { return t.topic == f.topic; });
    if (!fixed && !mqtt_.unsubscribe(f.topic))
        log(hal::LogLevel::Debug, "MQTT: the service refused to unsubscribe " + std::string(f.topic));
}

bool MqttBridge::bad_frame(const std::string& why) {
    ++stats_.bad_frames;
    log(hal::LogLevel::Debug, "MQTT distribution: frame dropped: " + why);
    return false;
}

void MqttBridge::on_message(std::string_view topic, std::string_view payload) {
    ++stats_.received;
    if (payload.size() > limits_.payload_max) {
        ++stats_.oversize_dropped;
        log(hal::LogLevel::Debug, "MQTT: " + std::to_string(payload.size()) + "-byte message on " +
                                      std::string(topic) + " over the " +
                                      std::to_string(limits_.payload_max) + "-byte limit: dropped");
        return;
    }
    // GAP-46, as in NET mode: in command mode data from the network is discarded.
    if (hooks_.in_command_mode()) {
        ++stats_.command_mode_dropped;
        return;
    }
    std::string out;
    if (!serial_form(topic, payload, out)) {
        ++stats_.unmatched_dropped;
        log(hal::LogLevel::Debug,
            "MQTT: message on " + std::string(topic) + " matches no subscription: dropped");
        return;
    }
    ++stats_.to_serial;
    hooks_.to_serial(out);
}

bool MqttBridge::serial_form(std::string_view topic, std::string_view payload, std::string& out) const {
    // A message matching a fixed and a temporary subscription is output once, in the fixed form
    // (GAP-23); among fixed entries the lowest number wins.
    for (const auto& t : topics_.subscribe)
        if (mqtt::topic_matches(t.topic, topic)) {
            out = distribution_ ? mqtt::entry_output(t.entry, payload) : std::string(payload);
            return true;
        }
    for (const auto& t : temporary_)
        if (mqtt::topic_matches(t.filter, topic)) {
            out = mqtt::temporary_output(topic, payload);
            return true;
        }
    return false;
}

} // namespace dtu::device
