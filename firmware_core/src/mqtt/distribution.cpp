#include "dtu/mqtt/distribution.hpp"

#include "dtu/mqtt/topic_filter.hpp"

namespace dtu::mqtt {
namespace {

constexpr unsigned kMaxEntry = 65535; // far above any topic table; keeps the arithmetic small

/// Cuts a frame into comma-separated fields from the front.
class Fields {
public:
    explicit Fields(std::string_view s) : rest_(s) {}
    /// The next field up to a comma; false when there is no comma left (the rest is then the last field).
    bool next(std::string_view& field) {
        const std::size_t comma = rest_.find(',');
        if (comma == std::string_view::npos) return false;
        field = rest_.substr(0, comma);
        rest_.remove_prefix(comma + 1);
        return true;
    }
    std::string_view rest() const { return rest_; }

private:
    std::string_view rest_;
};

/// A decimal without sign or leading zeros ("0" itself is fine).
bool decimal(std::string_view s, unsigned& out) {
    if (s.empty() || s.size() > 5 || (s.size() > 1 && s.front() == '0')) return false;
    unsigned v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    out = v;
    return v <= kMaxEntry;
}

bool digit_in(std::string_view s, char max, std::uint8_t& out) {
    if (s.size() != 1 || s[0] < '0' || s[0] > max) return false;
    out = static_cast<std::uint8_t>(s[0] - '0');
    return true;
}

std::string_view trim_line_end(std::string_view s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

DistributionFrame bad(const char* why) {
    DistributionFrame f;
    f.error = why;
    return f;
}

DistributionFrame temporary_publish(Fields fields) {
    DistributionFrame f;
    std::string_view qos, retain;
    if (!fields.next(f.topic) || !fields.next(qos) || !fields.next(retain))
        return bad("temporary publish needs 0,0,topic,qos,retain,payload");
    if (!valid_topic_name(f.topic)) return bad("temporary publish: not a valid topic name");
    std::uint8_t r = 0;
    if (!digit_in(qos, '2', f.qos) || !digit_in(retain, '1', r))
        return bad("temporary publish: bad qos or retain");
    f.retain = r == 1;
    f.payload = fields.rest();
    f.kind = FrameKind::Publish;
    return f;
}

DistributionFrame temporary_subscription(Fields fields, bool subscribe) {
    DistributionFrame f;
    const std::string_view rest = trim_line_end(fields.rest());
    Fields tail(rest);
    std::string_view qos;
    if (tail.next(f.topic)) {
        qos = tail.rest();
        if (!digit_in(qos, '2', f.qos)) return bad("temporary subscription: bad qos");
    } else if (subscribe) {
        return bad("temporary subscribe needs 0,1,topic,qos");
    } else {
        f.topic = rest; // "0,2,topic": the qos is optional when unsubscribing
    }
    if (!valid_topic_filter(f.topic)) return bad("temporary subscription: not a valid topic filter");
    f.kind = subscribe ? FrameKind::Subscribe : FrameKind::Unsubscribe;
    return f;
}

} // namespace

DistributionFrame parse_distribution(std::string_view frame) {
    Fields fields(frame);
    std::string_view head;
    unsigned number = 0;
    if (!fields.next(head)) return bad("no comma after the topic number");
    if (!decimal(head, number)) return bad("the topic number is not a decimal");
    if (number != 0) {
        DistributionFrame f;
        f.kind = FrameKind::Entry;
        f.entry = number;
        f.payload = fields.rest();
        return f;
    }
    std::string_view flag;
    if (!fields.next(flag)) {
        // "0,1,topic" has no comma after the flag only when the topic and qos are missing.
        flag = trim_line_end(fields.rest());
        return bad(flag == "0" || flag == "1" || flag == "2" ? "temporary topic: fields missing"
                                                             : "temporary topic: unknown flag");
    }
    if (flag == "0") return temporary_publish(fields);
    if (flag == "1") return temporary_subscription(fields, true);
    if (flag == "2") return temporary_subscription(fields, false);
    return bad("temporary topic: unknown flag");
}

std::string entry_output(unsigned entry, std::string_view payload) {
    std::string out = std::to_string(entry);
    out.push_back(',');
    out.append(payload);
    return out;
}

std::string temporary_output(std::string_view topic, std::string_view payload) {
    std::string out = "0,";
    out.append(topic).push_back(',');
    out.append(payload);
    return out;
}

} // namespace dtu::mqtt
