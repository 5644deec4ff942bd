// The broker steps against the device in virtual time, as a user runs them (`dtu-sim scenario`):
// each one fails when what it checks is not so, saying what it expected and what the broker saw,
// and a replay notices a broker event that differs. (scenarios/mqtt_*.yaml are the passing side.)
#include <string>

#include <gtest/gtest.h>

#include "scenario_cli_fixture.hpp"

namespace dtu::itest {
namespace {

/// A G771 in MQTT mode with the factory topics, connected to broker `hub`, then steps.
std::string mqtt_scenario(const std::string& steps, const std::string& params = {}) {
    return "name: broker steps\nbrokers:\n  hub: {address: mqtt.example:1883}\nparams:\n"
           "  - AT+WKMOD=MQTT,NOR\n  - AT+MQTTSVR=mqtt.example,1883\n  - AT+MQTTCID=dev1\n" +
           params + "steps:\n  - expect_status: {mqtt.state: connected, timeout: 10s}\n" + steps;
}

class ScenarioBrokerSteps : public ScenarioCliFixture {
protected:
    CliRun run(const std::string& steps, const std::string& params = {}) {
        return dtu_sim(
            {"scenario", write_file("s.yaml", mqtt_scenario(steps, params)), "--trace", dir_.string()});
    }
};

TEST_F(ScenarioBrokerSteps, PublishedFramesAreMatchedByTopicPayloadAndQos) {
    const std::string steps = "  - serial_write: \"t=21\"\n"
                              "  - broker_expect: {broker: hub, topic: /+, regex: \"^t=[0-9]+$\", qos: 1}\n";
    const CliRun ok = run(steps, "  - AT+MQTTPUBTP=1,1,/PubTopic1,1,0\n");
    EXPECT_EQ(ok.code, 0) << ok.out << ok.err;
    const CliRun wrong_qos = run(steps);
    EXPECT_EQ(wrong_qos.code, 3) << wrong_qos.out;
    EXPECT_NE(wrong_qos.out.find("expected: a message on '/+' with regex /^t=[0-9]+$/, QoS 1"),
              std::string::npos)
        << wrong_qos.out;
    EXPECT_NE(wrong_qos.out.find("message on '/PubTopic1' QoS 0 from 'dev1': \"t=21\""), std::string::npos)
        << wrong_qos.out;
}

TEST_F(ScenarioBrokerSteps, AWholePayloadIsWhatTextMatches) {
    const CliRun r = run("  - serial_write: \"hello broker\"\n"
                         "  - broker_expect: {broker: hub, text: hello, timeout: 2s}\n");
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("timed out after 2 s"), std::string::npos) << r.out;
}

TEST_F(ScenarioBrokerSteps, NoWillWhileTheSessionLasts) {
    const CliRun r = run("  - expect_will: {broker: hub, timeout: 30s}\n");
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("expected: a will on any topic"), std::string::npos) << r.out;
}

TEST_F(ScenarioBrokerSteps, ALinkResetEndsTheSessionWithTheWill) {
    const CliRun r =
        run("  - link_reset\n  - expect_will: {broker: hub, topic: /will, text: offline, timeout: 5s}\n");
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    const std::string trace = slurp(dir_ / "s.jsonl");
    EXPECT_NE(trace.find(R"("kind":"broker_session_end","server":"hub")"), std::string::npos);
    EXPECT_NE(trace.find(R"("why":"reset")"), std::string::npos) << trace;
}

TEST_F(ScenarioBrokerSteps, TheSessionCheckNamesEachFieldThatDiffers) {
    const CliRun r = run("  - broker_expect_session: {broker: hub, username: HEHEHE, keepalive: 30s, "
                         "subscriptions: [/SubTopic1], timeout: 1s}\n");
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_NE(r.out.find("broker 'hub's session differs"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("username: expected 'HEHEHE', actual 'admin'"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("keepalive: expected 30s, actual 60s"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("subscriptions:"), std::string::npos)
        << "the subscriptions are as expected: " << r.out;
}

TEST_F(ScenarioBrokerSteps, SilenceIsBrokenByAMessageToTheBroker) {
    const CliRun r =
        run("  - serial_write: \"x\"\n  - expect_silence: {for: 2s, serial: false, servers: false}\n");
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_NE(r.out.find("broker 'hub' (a message on '/PubTopic1') was not silent"), std::string::npos)
        << r.out;
}

TEST_F(ScenarioBrokerSteps, ABrokerThatIsDownRefusesTheReconnect) {
    const CliRun r =
        run("  - broker_state: {broker: hub, state: down}\n  - broker_drop: {broker: hub, reset: true}\n"
            "  - expect_status: {mqtt.connect_failures: 1, mqtt.state: waiting, timeout: 10s}\n"
            "  - broker_expect_session: {broker: hub, connected: false}\n"
            "  - broker_state: {broker: hub, state: up}\n"
            "  - broker_expect_session: {broker: hub, connected: true, timeout: 10s}\n");
    EXPECT_EQ(r.code, 0) << r.out << r.err;
}

TEST_F(ScenarioBrokerSteps, ASilentBrokerLeavesTheDeviceWithoutSession) {
    const CliRun r =
        run("  - broker_state: {broker: hub, state: silent}\n  - broker_drop: hub\n"
            "  - wait: 20s\n  - broker_expect_session: {broker: hub, connected: true, timeout: 1s}\n");
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_NE(
        r.out.find("session: expected one, actual: none (the client never connected, or its clean session "
                   "ended)"),
        std::string::npos)
        << r.out;
}

TEST_F(ScenarioBrokerSteps, AFailPatternOnABrokerStopsTheRunAtTheMessage) {
    const CliRun r = run("  - fail_on: {in: hub, regex: \"secr[e]t\"}\n  - serial_write: \"no\"\n"
                         "  - broker_expect: {broker: hub, text: \"no\"}\n  - serial_write: \"my secret\"\n"
                         "  - wait: 10s\n");
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_NE(r.out.find("fail pattern regex /secr[e]t/ (line 10) appeared in broker 'hub'"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("message on '/PubTopic1' QoS 0 from 'dev1': \"my secret\""), std::string::npos)
        << r.out;
}

TEST_F(ScenarioBrokerSteps, ReplayNoticesABrokerEventThatDiffers) {
    ASSERT_EQ(run("  - serial_write: \"hello\"\n  - broker_expect: {broker: hub, text: hello}\n"
                  "  - broker_publish: {broker: hub, topic: /SubTopic1, text: back}\n"
                  "  - serial_expect: back\n")
                  .code,
              0);
    const CliRun same = dtu_sim({"replay", (dir_ / "s.jsonl").string()});
    EXPECT_EQ(same.code, 0) << same.out << same.err;
    // The broker received "hello" (68656c6c6f): claim it was "hellO".
    std::string trace = slurp(dir_ / "s.jsonl");
    const std::size_t at = trace.find(R"("hex":"68656c6c6f","kind":"broker_message")");
    ASSERT_NE(at, std::string::npos) << trace;
    trace.replace(trace.find("68656c6c6f", at), 10, "68656c6c4f");
    trace.replace(trace.find(R"("text":"hello")", at), 14, R"("text":"hellO")");
    std::ofstream(dir_ / "edited.jsonl", std::ios::binary) << trace;
    const CliRun r = dtu_sim({"replay", (dir_ / "edited.jsonl").string()});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("broker_message hub"), std::string::npos) << r.out;
}

} // namespace
} // namespace dtu::itest
