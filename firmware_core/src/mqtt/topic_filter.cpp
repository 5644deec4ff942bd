#include "dtu/mqtt/topic_filter.hpp"

namespace dtu::mqtt {
namespace {

constexpr std::size_t kMaxTopicBytes = 65535; // MQTT 3.1.1 §1.5.3: a UTF-8 string's length field

bool valid_string(std::string_view s) {
    return !s.empty() && s.size() <= kMaxTopicBytes && s.find('\0') == std::string_view::npos;
}

/// Walks the '/'-separated levels of a topic or filter; "a/" has the levels "a" and "".
class Levels {
public:
    explicit Levels(std::string_view s) : rest_(s) {}
    bool done() const { return done_; }
    /// The next level; call only while !done().
    std::string_view next() {
        const std::size_t slash = rest_.find('/');
        if (slash == std::string_view::npos) {
            done_ = true;
            return rest_;
        }
        const std::string_view level = rest_.substr(0, slash);
        rest_.remove_prefix(slash + 1);
        return level;
    }

private:
    std::string_view rest_;
    bool done_ = false;
};

} // namespace

bool valid_topic_name(std::string_view topic) {
    return valid_string(topic) && topic.find_first_of("+#") == std::string_view::npos;
}

bool valid_topic_filter(std::string_view filter) {
    if (!valid_string(filter)) return false;
    for (Levels levels(filter); !levels.done();) {
        const std::string_view level = levels.next();
        if (level.find_first_of("+#") == std::string_view::npos) continue;
        if (level == "+") continue;
        if (level == "#" && levels.done()) continue;
        return false; // "a+", "#/b", "x#"
    }
    return true;
}

bool topic_matches(std::string_view filter, std::string_view topic) {
    if (!valid_topic_filter(filter) || !valid_topic_name(topic)) return false;
    // §4.7.2: "$SYS/..." is not seen by "#" or "+/..." subscriptions.
    if (topic.front() == '$' && (filter.front() == '+' || filter.front() == '#')) return false;
    Levels f(filter), t(topic);
    while (!f.done()) {
        const std::string_view want = f.next();
        if (want == "#") return true; // the parent level and everything below it
        if (t.done()) return false;
        const std::string_view have = t.next();
        if (want != "+" && want != have) return false;
    }
    return t.done();
}

} // namespace dtu::mqtt
