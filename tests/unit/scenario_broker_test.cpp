// `brokers:` and the broker steps of scenario files (scenarios/README.md "Brokers"): what a valid
// file reads into, and every error placed at file:line:col.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/scenario/scenario_parser.hpp"

namespace dtu::sim::scenario {
namespace {

using namespace std::chrono_literals;
using Errors = std::vector<std::string>;

const char* const kHeader = "name: t\n"
                            "servers:\n"
                            "  echo: {protocol: tcp, address: a.example:1}\n"
                            "brokers:\n"
                            "  hub: {address: mqtt.example:1883, users: {dev: secret}, anonymous: false}\n"
                            "  cloud: {address: 10.0.0.7:1883, refuse_client_ids: [banned, \"007\"]}\n"
                            "steps:\n";

std::vector<std::string> errors(const std::string& text) {
    const ParseResult r = parse_scenario_text(text, "bad.yaml");
    EXPECT_EQ(r.scenario.has_value(), r.errors.empty());
    std::vector<std::string> out;
    for (const ScenarioError& e : r.errors)
        out.push_back(std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message);
    return out;
}

/// The one error of steps_yaml under kHeader (steps start on line 8).
std::string step_error(const std::string& steps_yaml) {
    const auto e = errors(kHeader + steps_yaml);
    EXPECT_EQ(e.size(), 1u) << ::testing::PrintToString(e);
    return e.empty() ? "" : e.front();
}

Scenario parse_ok(const std::string& text) {
    const ParseResult r = parse_scenario_text(text, "ok.yaml");
    for (const ScenarioError& e : r.errors)
        ADD_FAILURE() << e.to_string();
    return r.scenario.value_or(Scenario{});
}

template <typename T> const T& action(const Scenario& s, std::size_t index) {
    const auto* a = index < s.steps.size() ? std::get_if<T>(&s.steps[index].action) : nullptr;
    EXPECT_NE(a, nullptr) << "step " << index + 1;
    static const T empty{};
    return a ? *a : empty;
}

TEST(ScenarioBrokers, Declarations) {
    const Scenario s = parse_ok(std::string(kHeader) + "  - power_off\n");
    ASSERT_EQ(s.brokers.size(), 2u);
    const BrokerSpec& hub = s.brokers[0];
    EXPECT_EQ(hub.name, "hub");
    EXPECT_EQ(hub.host, "mqtt.example");
    EXPECT_EQ(hub.port, 1883);
    EXPECT_EQ(hub.users.at("dev"), "secret");
    EXPECT_FALSE(hub.allow_anonymous);
    EXPECT_EQ(hub.pos.line, 5);
    const BrokerSpec& cloud = s.brokers[1];
    EXPECT_TRUE(cloud.allow_anonymous);
    EXPECT_TRUE(cloud.users.empty());
    EXPECT_EQ(cloud.refused_client_ids, (std::set<std::string>{"banned", "007"}));
}

TEST(ScenarioBrokers, EveryBrokerStep) {
    const Scenario s = parse_ok(
        std::string(kHeader) +
        R"(  - broker_expect: {broker: hub, topic: "dev/+/up", text: "hello", qos: 1, retain: false, timeout: 2s}
  - broker_expect: {broker: hub, regex: "^t=[0-9]+$"}
  - expect_will: {broker: hub, topic: /will, text: offline, timeout: 1m}
  - expect_will: {broker: cloud}
  - broker_publish: {broker: hub, topic: /SubTopic1, text: "hi device", qos: 2, retain: true}
  - broker_publish: {broker: hub, topic: /SubTopic1, text: "", retain: true}
  - broker_publish: {broker: cloud, topic: a/b, hex: "00 ff"}
  - broker_state: {broker: hub, state: refusing, code: 5}
  - broker_state: {broker: hub, state: silent}
  - broker_drop: hub
  - broker_drop: {broker: cloud, reset: true}
  - broker_expect_session: {broker: hub, client_id: dev1, connected: true, username: dev, protocol_level: 3, keepalive: 60s, clean_session: false, subscriptions: [/SubTopic1, "a/#"], timeout: 10s}
  - broker_expect_session: {broker: cloud, connected: false}
  - expect_silence: {for: 5s, brokers: [hub]}
)");
    ASSERT_EQ(s.steps.size(), 14u);
    const auto& e = action<BrokerExpect>(s, 0);
    EXPECT_EQ(e.broker, "hub");
    EXPECT_EQ(e.topic, "dev/+/up");
    EXPECT_EQ(e.payload->value, "hello");
    EXPECT_EQ(e.qos, 1);
    EXPECT_EQ(e.retain, false);
    EXPECT_FALSE(e.will.has_value());
    EXPECT_EQ(e.timeout, 2s);
    EXPECT_EQ(action<BrokerExpect>(s, 1).payload->kind, Pattern::Kind::Regex);
    EXPECT_FALSE(action<BrokerExpect>(s, 1).topic.has_value());
    EXPECT_EQ(action<BrokerExpect>(s, 2).will, true);
    EXPECT_EQ(action<BrokerExpect>(s, 2).timeout, 1min);
    EXPECT_FALSE(action<BrokerExpect>(s, 3).payload.has_value());
    EXPECT_EQ(s.steps[2].kind, "expect_will");
    const auto& p = action<BrokerPublish>(s, 4);
    EXPECT_EQ(p.topic, "/SubTopic1");
    EXPECT_EQ(p.payload, "hi device");
    EXPECT_EQ(p.qos, 2);
    EXPECT_TRUE(p.retain);
    EXPECT_EQ(action<BrokerPublish>(s, 5).payload, "");
    EXPECT_EQ(action<BrokerPublish>(s, 6).payload, std::string("\x00\xff", 2));
    EXPECT_EQ(action<BrokerState>(s, 7).state, BrokerState::State::Refusing);
    EXPECT_EQ(action<BrokerState>(s, 7).code, 5);
    EXPECT_EQ(action<BrokerState>(s, 8).state, BrokerState::State::Silent);
    EXPECT_FALSE(action<BrokerDrop>(s, 9).reset);
    EXPECT_TRUE(action<BrokerDrop>(s, 10).reset);
    const auto& session = action<BrokerExpectSession>(s, 11);
    EXPECT_EQ(session.client_id, "dev1");
    EXPECT_EQ(session.username, "dev");
    EXPECT_EQ(session.protocol_level, 3);
    EXPECT_EQ(session.keepalive_s, 60);
    EXPECT_EQ(session.clean_session, false);
    EXPECT_EQ(session.subscriptions, (std::vector<std::string>{"/SubTopic1", "a/#"}));
    EXPECT_EQ(session.timeout, 10s);
    EXPECT_FALSE(action<BrokerExpectSession>(s, 12).client_id.has_value());
    EXPECT_EQ(action<ExpectSilence>(s, 13).brokers, std::vector<std::string>{"hub"});
    EXPECT_FALSE(action<ExpectSilence>(s, 13).all_brokers);
    EXPECT_TRUE(action<ExpectSilence>(s, 13).all_servers);
}

TEST(ScenarioBrokers, UnknownBroker) {
    EXPECT_EQ(
        step_error("  - broker_expect: {broker: hubb, topic: a}\n"),
        "8:29: step 1: broker 'hubb' is not declared under brokers: (declared: hub, cloud) (did you mean "
        "'hub'?)");
    EXPECT_EQ(errors("name: t\nsteps:\n  - broker_drop: hub\n"),
              Errors{"3:18: step 1: broker 'hub' is not declared under brokers: (no brokers are declared)"});
    EXPECT_EQ(step_error("  - expect_silence: {for: 1s, brokers: [echo]}\n"),
              "8:41: step 1: brokers: broker 'echo' is not declared under brokers: (declared: hub, cloud)");
}

TEST(ScenarioBrokers, BadTopics) {
    EXPECT_EQ(
        step_error("  - broker_expect: {broker: hub, topic: \"a/#/b\"}\n"),
        "8:41: step 1: topic: 'a/#/b' is not a topic filter: '+' only as a whole level, '#' only as the "
        "whole last level, not empty (MQTT 3.1.1 §4.7.1)");
    EXPECT_EQ(step_error("  - broker_publish: {broker: hub, topic: \"a/+\", text: x}\n"),
              "8:42: step 1: topic: 'a/+' is not a topic name: no '+' or '#', not empty (MQTT 3.1.1 §4.7.3)");
    EXPECT_EQ(step_error("  - broker_publish: {broker: hub, text: x}\n"),
              "8:21: step 1: missing required key 'topic'");
    EXPECT_EQ(
        step_error("  - broker_expect_session: {broker: hub, subscriptions: [ok, \"x+\"]}\n"),
        "8:62: step 1: subscriptions: 'x+' is not a topic filter: '+' only as a whole level, '#' only as "
        "the whole last level, not empty (MQTT 3.1.1 §4.7.1)");
}

TEST(ScenarioBrokers, BadQosStateAndCodes) {
    EXPECT_EQ(step_error("  - broker_publish: {broker: hub, topic: a, qos: 3}\n"),
              "8:50: step 1: qos: '3' is not a QoS: 0, 1 or 2");
    EXPECT_EQ(step_error("  - broker_expect: {broker: hub, qos: high}\n"),
              "8:39: step 1: qos: 'high' is not a QoS: 0, 1 or 2");
    EXPECT_EQ(step_error("  - broker_state: {broker: hub, state: away}\n"),
              "8:40: step 1: state: 'away' is not a broker state: up, down (connections refused), refusing "
              "(CONNACK code) or silent (no CONNACK)");
    EXPECT_EQ(step_error("  - broker_state: {broker: hub, state: refusing, code: 6}\n"),
              "8:56: step 1: code: expected a whole number from 1 to 5, found '6'");
    EXPECT_EQ(step_error("  - broker_state: {broker: hub, state: down, code: 3}\n"),
              "8:46: step 1: code: only state: refusing answers with a CONNACK code");
    EXPECT_EQ(
        step_error("  - broker_expect_session: {broker: hub, keepalive: 1500ms}\n"),
        "8:53: step 1: keepalive: a keep-alive is whole seconds, at most 65535s (MQTT 3.1.1 §3.1.2.10)");
    EXPECT_EQ(step_error("  - broker_expect_session: {broker: hub, protocol_level: 5}\n"),
              "8:58: step 1: protocol_level: expected a whole number from 3 to 4, found '5'");
    EXPECT_EQ(step_error("  - expect_will: {broker: hub, will: false}\n"),
              "8:32: step 1: unknown key 'will' (keys: broker, topic, text, regex, hex, timeout, name)");
    EXPECT_EQ(step_error("  - broker_publish: hub\n"),
              "8:21: step 1: expected {broker, topic, text|hex, qos, retain}, found 'hub'");
}

TEST(ScenarioBrokers, DeclarationErrors) {
    EXPECT_EQ(
        errors("name: t\nservers:\n  web: {protocol: http, address: h:1883}\n"
               "  log: {protocol: udp, address: h:1884}\n"
               "brokers:\n  a: {address: h:1883}\n  b: {address: h:1884}\n  c: {address: h:1884}\n"
               "  web: {address: h:9}\n  d: {address: h, users: [x]}\n  e: {adress: h:1}\n"
               "  a: {address: h:2}\n  f: {address: h:3, anonymous: maybe, refuse_client_ids: id}\n"
               "steps: [power_off]\n"),
        (Errors{
            "12:3: brokers: 'a' appears twice in this map",
            "6:3: broker 'a': address h:1883 is already server 'web's",
            "8:3: broker 'c': address h:1884 is already broker 'b's",
            "9:3: broker 'web': the name is server 'web's too (a trace names both the same way): rename one",
            "10:16: broker 'd': address: 'h' is not host:port (e.g. server.example:9000 or 10.0.0.5:80)",
            "10:26: broker 'd': users: expected a map (user name: password), found a list",
            "11:7: broker 'e': unknown key 'adress' (did you mean 'address'?) (keys: address, users, "
            "anonymous, refuse_client_ids, tls)",
            "11:6: broker 'e': missing required key 'address'",
            "13:32: broker 'f': anonymous: expected true or false, found 'maybe'",
            "13:58: broker 'f': refuse_client_ids: expected a list of client ids, found 'id'"}));
}

} // namespace
} // namespace dtu::sim::scenario
