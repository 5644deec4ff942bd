#include "mqtt_topics.hpp"

#include "dtu/mqtt/topic_filter.hpp"

namespace dtu::device {
namespace {

// Stored table rows keep the entry number as field 0: "1,1,/PubTopic1,0,0,0" (GAP-22).
MqttTopic read_entry(const params::Store& s, const std::string& key, unsigned entry) {
    MqttTopic t;
    t.entry = entry;
    t.topic = std::string(s.text(key, 2));
    t.qos = static_cast<std::uint8_t>(s.number(key, 3, 0));
    t.retain = s.text(key, 4) == "1";
    return t;
}

} // namespace

MqttTopics MqttTopics::from(const params::Store& s, std::size_t entries) {
    MqttTopics t;
    for (unsigned i = 1; i <= entries; ++i) {
        const std::string pub = "MQTTPUBTP" + std::to_string(i);
        if (s.text(pub, 1) == "1") {
            MqttTopic e = read_entry(s, pub, i);
            if (mqtt::valid_topic_name(e.topic))
                t.publish.push_back(std::move(e));
            else
                t.warnings.push_back("publish topic " + std::to_string(i) + " '" + e.topic +
                                     "' is not a valid topic name (wildcard?): entry ignored");
        }
        const std::string sub = "MQTTSUBTP" + std::to_string(i);
        if (s.text(sub, 1) == "1") {
            MqttTopic e = read_entry(s, sub, i);
            e.retain = false;
            if (mqtt::valid_topic_filter(e.topic))
                t.subscribe.push_back(std::move(e));
            else
                t.warnings.push_back("subscribe topic " + std::to_string(i) + " '" + e.topic +
                                     "' is not a valid topic filter: entry ignored");
        }
    }
    return t;
}

const MqttTopic* MqttTopics::publish_entry(unsigned entry) const {
    for (const auto& t : publish)
        if (t.entry == entry) return &t;
    return nullptr;
}

} // namespace dtu::device
