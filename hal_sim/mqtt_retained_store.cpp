#include "hal_sim/mqtt_retained_store.hpp"

#include "dtu/mqtt/topic_filter.hpp"

namespace dtu::hal_sim {

MqttRetainedStore::Change MqttRetainedStore::put(const MqttBrokerMessage& message) {
    const auto it = messages_.find(message.topic);
    if (message.payload.empty()) { // §3.3.1.3: a zero-byte retained message removes the topic's
        if (it == messages_.end()) return Change::NothingToDelete;
        messages_.erase(it);
        return Change::Deleted;
    }
    if (it != messages_.end()) {
        it->second = message;
        return Change::Replaced;
    }
    if (messages_.size() >= max_topics_) return Change::Dropped;
    messages_.emplace(message.topic, message);
    return Change::Stored;
}

std::vector<const MqttBrokerMessage*> MqttRetainedStore::matching(std::string_view filter) const {
    std::vector<const MqttBrokerMessage*> out;
    for (const auto& [topic, message] : messages_)
        if (mqtt::topic_matches(filter, topic)) out.push_back(&message);
    return out;
}

} // namespace dtu::hal_sim
