#pragma once
// The broker model's retained messages (MQTT 3.1.1 §3.3.1.3): one per topic, replaced by the next
// retained PUBLISH on it, deleted by an empty retained payload, capped in count.
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hal_sim/mqtt_broker_types.hpp"

namespace dtu::hal_sim {

class MqttRetainedStore {
public:
    explicit MqttRetainedStore(std::size_t max_topics) : max_topics_(max_topics) {}

    enum class Change : unsigned char { Stored, Replaced, Deleted, NothingToDelete, Dropped };
    /// A retained message arrived. Dropped: a new topic while max_topics are held (the message is
    /// still delivered live by the broker; only keeping it is refused).
    Change put(const MqttBrokerMessage& message);
    /// The retained messages a new subscription on `filter` gets (§3.8.4), in topic order.
    std::vector<const MqttBrokerMessage*> matching(std::string_view filter) const;
    const std::map<std::string, MqttBrokerMessage>& all() const { return messages_; }

private:
    std::size_t max_topics_;
    std::map<std::string, MqttBrokerMessage> messages_;
};

} // namespace dtu::hal_sim
