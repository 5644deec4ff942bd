// The broker steps of scenarios/README.md "Steps" (broker_expect, expect_will, broker_publish,
// broker_state, broker_drop, broker_expect_session): what each accepts, read into its Action.
#include <algorithm>

#include "dtu/mqtt/topic_filter.hpp"
#include "sim/scenario/pattern.hpp"
#include "sim/scenario/step_args.hpp"

namespace dtu::sim::scenario {
namespace {

using Result = std::optional<Action>;

template <typename T> Result all_set(T&& action, bool ok) {
    return ok ? Result(std::forward<T>(action)) : std::nullopt;
}

bool needs_map(const StepArgs& a, std::string_view expected) {
    if (a.map) return true;
    a.ctx.error(a.pos, "expected {" + std::string(expected) + "}, found " + describe(a.value));
    return false;
}

/// A field that is absent stays nullopt; one that is there and wrong clears ok.
template <typename T, typename Read>
std::optional<T> optional_field(const StepArgs& a, std::string_view key, bool& ok, Read read) {
    const Field* f = a.map ? a.map->find(key) : nullptr;
    if (f == nullptr) return std::nullopt;
    std::optional<T> value = read(*f);
    ok = ok && value.has_value();
    return value;
}

std::optional<bool> bool_field(const StepArgs& a, std::string_view key, bool& ok) {
    return optional_field<bool>(a, key, ok, [&](const Field& f) { return read_bool(a.ctx, f); });
}

std::optional<int> qos_field(const StepArgs& a, bool& ok) {
    return optional_field<int>(a, "qos", ok, [&](const Field& f) -> std::optional<int> {
        const auto text = scalar_text(f.value);
        if (text && text->size() == 1 && (*text)[0] >= '0' && (*text)[0] <= '2') return (*text)[0] - '0';
        f.in(a.ctx).error(f.pos(), "'" + text.value_or(describe(f.value)) + "' is not a QoS: 0, 1 or 2");
        return std::nullopt;
    });
}

/// A topic filter (expect) or topic name (publish), checked as MQTT 3.1.1 §4.7 says.
std::optional<std::string> topic(const StepArgs& a, const Field& f, bool filter) {
    const auto text = read_string(a.ctx, f);
    if (!text) return std::nullopt;
    if (filter ? mqtt::valid_topic_filter(*text) : mqtt::valid_topic_name(*text)) return text;
    f.in(a.ctx).error(f.pos(), "'" + *text + "' is not a topic " +
                                   (filter ? "filter: '+' only as a whole level, '#' only as the whole last "
                                             "level, not empty (MQTT 3.1.1 §4.7.1)"
                                           : "name: no '+' or '#', not empty (MQTT 3.1.1 §4.7.3)"));
    return std::nullopt;
}

std::optional<std::string> topic_field(const StepArgs& a, bool filter, bool required, bool& ok) {
    const Field* f = required ? a.map->require("topic") : a.map->find("topic");
    if (f == nullptr) {
        ok = ok && !required;
        return std::nullopt;
    }
    auto t = topic(a, *f, filter);
    ok = ok && t.has_value();
    return t;
}

/// The payload pattern of an expectation, when one of text, regex, hex is there.
std::optional<Pattern> payload_pattern(const StepArgs& a, bool& ok) {
    const bool any = a.map->find("text") || a.map->find("regex") || a.map->find("hex");
    if (!any) return std::nullopt;
    auto pattern = pattern_from(a.ctx, *a.map);
    ok = ok && pattern.has_value();
    return pattern;
}

Result broker_expectation(const StepArgs& a, bool will) {
    if (!needs_map(a, "broker, topic, text|regex|hex, timeout")) return std::nullopt;
    const BrokerSpec* broker = a.broker();
    bool ok = broker != nullptr;
    BrokerExpect expect{broker ? broker->name : "", {}, {}, {}, {}, {}, kDefaultTimeout};
    expect.topic = topic_field(a, true, false, ok);
    expect.payload = payload_pattern(a, ok);
    expect.qos = qos_field(a, ok);
    expect.retain = bool_field(a, "retain", ok);
    expect.will = will ? std::optional<bool>(true) : bool_field(a, "will", ok);
    const auto timeout = a.timeout();
    expect.timeout = timeout.value_or(kDefaultTimeout);
    return all_set(std::move(expect), ok && timeout);
}

/// A publish's payload: text or hex, which may be empty (a retained empty payload deletes, §3.3.1.3).
std::optional<std::string> publish_payload(const StepArgs& a, bool& ok) {
    const Field* text = a.map->find("text");
    if (!text && !a.map->find("hex")) return std::string();
    if (text && !a.map->find("hex") && text->value.IsScalar() && text->value.Scalar().empty())
        return std::string();
    auto bytes = bytes_from(a.ctx, *a.map);
    ok = ok && bytes.has_value();
    return bytes;
}

std::optional<BrokerState::State> state_named(std::string_view name) {
    if (name == "up") return BrokerState::State::Up;
    if (name == "down") return BrokerState::State::Down;
    if (name == "refusing") return BrokerState::State::Refusing;
    if (name == "silent") return BrokerState::State::Silent;
    return std::nullopt;
}

std::optional<std::vector<std::string>> subscription_list(const StepArgs& a, bool& ok) {
    return optional_field<std::vector<std::string>>(
        a, "subscriptions", ok, [&](const Field& f) -> std::optional<std::vector<std::string>> {
            if (!f.value.IsSequence()) {
                f.in(a.ctx).error(f.pos(), "expected a list of topic filters, found " + describe(f.value));
                return std::nullopt;
            }
            std::vector<std::string> filters;
            bool good = true;
            for (const YAML::Node& n : f.value) {
                auto filter = topic(a, Field{f.name, f.key, n}, true);
                good = good && filter;
                if (filter) filters.push_back(std::move(*filter));
            }
            return good ? std::optional(std::move(filters)) : std::nullopt;
        });
}

/// keepalive: a duration of whole seconds up to 65535 s (MQTT 3.1.1 §3.1.2.10).
std::optional<int> keepalive_field(const StepArgs& a, bool& ok) {
    return optional_field<int>(a, "keepalive", ok, [&](const Field& f) -> std::optional<int> {
        const auto d = read_duration(a.ctx, f);
        if (!d) return std::nullopt;
        if (d->count() % 1000 == 0 && d->count() / 1000 <= 65535) return static_cast<int>(d->count() / 1000);
        f.in(a.ctx).error(f.pos(), "a keep-alive is whole seconds, at most 65535s (MQTT 3.1.1 §3.1.2.10)");
        return std::nullopt;
    });
}

} // namespace

Result read_broker_expect(const StepArgs& a) { return broker_expectation(a, false); }
Result read_expect_will(const StepArgs& a) { return broker_expectation(a, true); }

Result read_broker_publish(const StepArgs& a) {
    if (!needs_map(a, "broker, topic, text|hex, qos, retain")) return std::nullopt;
    const BrokerSpec* broker = a.broker();
    bool ok = broker != nullptr;
    BrokerPublish publish{broker ? broker->name : "", "", "", 0, false};
    publish.topic = topic_field(a, false, true, ok).value_or("");
    publish.payload = publish_payload(a, ok).value_or("");
    publish.qos = qos_field(a, ok).value_or(0);
    publish.retain = bool_field(a, "retain", ok).value_or(false);
    return all_set(std::move(publish), ok);
}

Result read_broker_state(const StepArgs& a) {
    if (!needs_map(a, "broker, state: up|down|refusing|silent, code")) return std::nullopt;
    const BrokerSpec* broker = a.broker();
    bool ok = broker != nullptr;
    BrokerState state{broker ? broker->name : "", BrokerState::State::Up, 3};
    if (const Field* f = a.map->require("state")) {
        const auto name = read_string(a.ctx, *f);
        const auto s = name ? state_named(*name) : std::nullopt;
        if (name && !s)
            f->in(a.ctx).error(f->pos(), "'" + *name +
                                             "' is not a broker state: up, down (connections refused), "
                                             "refusing (CONNACK code) or silent (no CONNACK)");
        ok = ok && s;
        state.state = s.value_or(BrokerState::State::Up);
    } else {
        ok = false;
    }
    if (const Field* f = a.map->find("code")) {
        if (state.state != BrokerState::State::Refusing)
            f->in(a.ctx).error(f->key, "only state: refusing answers with a CONNACK code");
        const auto code = read_int(a.ctx, *f, 1, 5);
        ok = ok && code && state.state == BrokerState::State::Refusing;
        state.code = static_cast<int>(code.value_or(3));
    }
    return all_set(std::move(state), ok);
}

Result read_broker_drop(const StepArgs& a) {
    const BrokerSpec* broker = a.broker();
    bool ok = broker != nullptr;
    const bool reset = bool_field(a, "reset", ok).value_or(false);
    return all_set(BrokerDrop{broker ? broker->name : "", reset}, ok);
}

Result read_broker_expect_session(const StepArgs& a) {
    if (!needs_map(a, "broker, client_id, connected, username, ..., timeout")) return std::nullopt;
    const BrokerSpec* broker = a.broker();
    bool ok = broker != nullptr;
    BrokerExpectSession expect;
    expect.broker = broker ? broker->name : "";
    const auto text = [&](const Field& f) { return read_string(a.ctx, f); };
    expect.client_id = optional_field<std::string>(a, "client_id", ok, text);
    expect.username = optional_field<std::string>(a, "username", ok, text);
    expect.connected = bool_field(a, "connected", ok);
    expect.clean_session = bool_field(a, "clean_session", ok);
    expect.protocol_level = optional_field<int>(a, "protocol_level", ok, [&](const Field& f) {
        const auto level = read_int(a.ctx, f, 3, 4);
        return level ? std::optional<int>(static_cast<int>(*level)) : std::nullopt;
    });
    expect.keepalive_s = keepalive_field(a, ok);
    expect.subscriptions = subscription_list(a, ok);
    const auto timeout = a.timeout();
    expect.timeout = timeout.value_or(kDefaultTimeout);
    return all_set(std::move(expect), ok && timeout);
}

} // namespace dtu::sim::scenario
