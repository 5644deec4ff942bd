// What the broker steps do (scenarios/README.md "Steps"): broker_expect / expect_will search the
// messages a broker received from its cursor on; broker_expect_session compares the broker's view
// of a session; broker_state changes what the broker does with new connections.
#include <algorithm>

#include "dtu/mqtt/topic_filter.hpp"
#include "sim/scenario/step_runner.hpp"

namespace dtu::sim::scenario {
namespace {

const char* state_name(BrokerState::State state) {
    switch (state) {
    case BrokerState::State::Up: return "up";
    case BrokerState::State::Down: return "down";
    case BrokerState::State::Refusing: return "refusing";
    case BrokerState::State::Silent: return "silent";
    }
    return "up";
}

/// text / hex: the whole payload; regex: found in it.
bool payload_matches(const Matcher& matcher, std::string_view payload) {
    if (matcher.pattern().kind != Pattern::Kind::Regex) return payload == matcher.pattern().value;
    return matcher.find(payload).has_value();
}

bool matches(const BrokerExpect& s, const std::optional<Matcher>& payload, const BrokerReceived& m) {
    return (!s.topic || mqtt::topic_matches(*s.topic, m.topic)) &&
           (!payload || payload_matches(*payload, m.payload)) && (!s.qos || *s.qos == m.qos) &&
           (!s.retain || *s.retain == m.retain) && (!s.will || *s.will == m.will);
}

std::string describe_expectation(const BrokerExpect& s, const std::optional<Matcher>& payload) {
    std::string out = s.will.value_or(false) ? "a will" : "a message";
    out += s.topic ? " on '" + *s.topic + "'" : " on any topic";
    if (payload) out += " with " + payload->describe();
    if (s.qos) out += ", QoS " + std::to_string(*s.qos);
    if (s.retain) out += *s.retain ? ", retained" : ", not retained";
    if (s.will && !*s.will) out += ", not a will";
    return out;
}

std::string describe_message(const BrokerReceived& m) {
    return std::string(m.will ? "will" : "message") + " on '" + m.topic + "' QoS " + std::to_string(m.qos) +
           (m.retain ? " retained" : "") + " from '" + m.client_id + "': \"" + printable(m.payload) + "\"";
}

std::string quoted_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (const std::string& item : items)
        out += (out.size() > 1 ? ", '" : "'") + item + "'";
    return out + "]";
}

/// The differences between what a session check wants and the broker's view, one line each.
std::string session_diff(const BrokerExpectSession& s, const std::optional<BrokerSessionView>& v) {
    // A client that never connected is not connected: `connected: false` alone holds without a session.
    const bool only_not_connected = s.connected == false && !s.username && !s.protocol_level &&
                                    !s.keepalive_s && !s.clean_session && !s.subscriptions;
    if (!v && only_not_connected) return {};
    if (!v) return "  session: expected one, actual: none (no client of that id connected)\n";
    std::string diff;
    const auto check = [&](const char* field, bool same, const std::string& want, const std::string& got) {
        if (!same) diff += std::string("  ") + field + ": expected " + want + ", actual " + got + "\n";
    };
    const auto yes_no = [](bool b) { return std::string(b ? "true" : "false"); };
    if (s.connected)
        check("connected", *s.connected == v->connected, yes_no(*s.connected), yes_no(v->connected));
    if (s.username)
        check("username", *s.username == v->username, "'" + *s.username + "'", "'" + v->username + "'");
    if (s.protocol_level)
        check("protocol_level", *s.protocol_level == v->protocol_level, std::to_string(*s.protocol_level),
              std::to_string(v->protocol_level));
    if (s.keepalive_s)
        check("keepalive", *s.keepalive_s == v->keepalive_s, std::to_string(*s.keepalive_s) + "s",
              std::to_string(v->keepalive_s) + "s");
    if (s.clean_session)
        check("clean_session", *s.clean_session == v->clean_session, yes_no(*s.clean_session),
              yes_no(v->clean_session));
    if (s.subscriptions) {
        auto want = *s.subscriptions, got = v->subscriptions;
        std::sort(want.begin(), want.end());
        std::sort(got.begin(), got.end());
        check("subscriptions", want == got, quoted_list(want), quoted_list(got));
    }
    return diff;
}

} // namespace

void StepRunner::skip_broker_messages() {
    for (BrokerPeer* broker : world_.brokers())
        broker_seen_[broker->spec().name] = broker->received().size();
}

void StepRunner::expect_broker(const BrokerExpect& s) {
    BrokerPeer& broker = *world_.broker(s.broker);
    std::size_t& seen = broker_seen_[s.broker];
    const std::optional<Matcher> payload =
        s.payload ? std::optional<Matcher>(Matcher(*s.payload)) : std::nullopt;
    const auto& received = broker.received();
    const Waited w = wait_for(
        [&] {
            for (std::size_t i = seen; i < received.size(); ++i)
                if (matches(s, payload, received[i])) {
                    seen = i + 1;
                    return true;
                }
            return false;
        },
        s.timeout);
    if (w == Waited::Met) return;
    std::vector<std::string> actual;
    for (std::size_t i = seen; i < received.size(); ++i)
        actual.push_back(describe_message(received[i]));
    timed_out_listing(w, s.timeout, describe_expectation(s, payload), actual,
                      "messages broker '" + s.broker + "' received after the last match");
}

void StepRunner::expect_broker_session(const BrokerExpectSession& s) {
    const BrokerPeer& broker = *world_.broker(s.broker);
    std::string diff;
    const auto differs = [&] {
        diff = session_diff(s, broker.session(s.client_id.value_or("")));
        return !diff.empty();
    };
    if (!differs()) return;
    if (wait_for([&] { return !differs(); }, s.timeout) == Waited::Met) return;
    if (!failed_)
        fail(Outcome::Failed,
             "broker '" + s.broker + "'s session" +
                 (s.client_id ? " of '" + *s.client_id + "'" : std::string()) + " differs",
             diff);
}

void StepRunner::broker_state(const BrokerState& s) {
    check_input_error(world_.broker_state(s.broker, state_name(s.state), s.code));
}

} // namespace dtu::sim::scenario
