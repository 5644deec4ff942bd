// A valid scenario file with every step kind, read into the types of sim/scenario/scenario.hpp.
#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>

#include "sim/scenario/scenario_parser.hpp"

namespace dtu::sim::scenario {
namespace {

using namespace std::chrono_literals;

const char* const kFull = R"(name: every step
source: G771 §3.2
description: one of each
profile: g771
seed: 7
deadline: 2h
clock: virtual
link: {upstream: {latency_ms: 100}}
radio: {rssi: 20}
servers:
  echo:
    protocol: tcp
    address: server.example:9000
  logger:
    protocol: udp
    address: 10.0.0.9:5000
  web:
    protocol: http
    address: 10.0.0.5:80
    accept: false
    response: {status: 404, headers: {Content-Type: text/plain, X-Id: 7}, body: "gone"}
params:
  - AT+WKMOD=NET
  - at+socka=TCP,server.example,9000
fail_on:
  - "+CME ERROR"
  - {in: echo, regex: "^GET "}
steps:
  - serial_write: "hello\r\n"
  - serial_write: {hex: "01 02 0a"}
  - serial_expect: "OK"
  - serial_expect: {regex: "\\+CSQ: [0-9]+", timeout: 2s}
  - command_mode: {timeout: 3s}
  - command_mode
  - at: AT+VER
  - at: {command: AT+CSQ, expect: {regex: "CSQ"}, timeout: 250ms}
  - server_expect: {server: echo, text: "hello\r\n", timeout: 2s, name: greeting}
  - expect_connect: echo
  - expect_connect: {server: logger, timeout: 30m}
  - expect_disconnect: {server: echo}
  - server_send: {server: echo, hex: "ff 00"}
  - server_close: {server: echo, reset: true}
  - server_accept: {server: web, accept: true}
  - http_respond: {server: web, status: 500, body: {hex: "41"}}
  - link: {attached: false, name: lost}
  - link_reset:
  - radio: {rssi: 5, sims: {external: {phone_number: "+8613800138000"}}}
  - sms_in: {from: +8613800138000, text: "usr.cn#AT+VER", encoding: gsm7}
  - sms_expect: {to: "+8613800138000", text: "V1", timeout: 1m}
  - power_cycle: {off_for: 2s}
  - power_off
  - power_on:
  - wait: 30m
  - expect_silence: {for: 10s, serial: false, servers: [echo]}
  - expect_reboot: {cause: RSTIM, timeout: 1h}
  - expect_status: {sockets.0.state: connected, uptime_ms: 5, attached: true, mqtt: null}
  - fail_on: {in: serial, text: "ERROR", name: no errors}
)";

template <typename T> const T& action(const Scenario& s, std::size_t index) {
    EXPECT_LT(index, s.steps.size());
    const auto* a = std::get_if<T>(&s.steps.at(index).action);
    EXPECT_NE(a, nullptr) << "step " << index + 1 << " is " << s.steps.at(index).kind;
    static const T empty{};
    return a ? *a : empty;
}

Scenario parse_ok(const char* text, const std::string& file = "full.yaml") {
    const ParseResult r = parse_scenario_text(text, file);
    for (const ScenarioError& e : r.errors)
        ADD_FAILURE() << e.to_string();
    EXPECT_TRUE(r.scenario.has_value());
    return r.scenario.value_or(Scenario{});
}

TEST(ScenarioParser, HeaderAndServers) {
    const Scenario s = parse_ok(kFull);
    EXPECT_EQ(s.file, "full.yaml");
    EXPECT_EQ(s.name, "every step");
    EXPECT_EQ(s.source, "G771 §3.2");
    EXPECT_EQ(s.description, "one of each");
    EXPECT_EQ(s.profile, "g771");
    EXPECT_EQ(s.seed, 7u);
    EXPECT_EQ(s.deadline, 2h);
    EXPECT_EQ(s.clock, Scenario::ClockNeed::Virtual);
    EXPECT_EQ(s.link.value("upstream").toObject().value("latency_ms").toDouble(), 100.0);
    EXPECT_EQ(s.radio.value("rssi").toInt(), 20);
    ASSERT_EQ(s.servers.size(), 3u);
    EXPECT_EQ(s.servers[0].name, "echo");
    EXPECT_EQ(s.servers[0].protocol, ServerSpec::Protocol::Tcp);
    EXPECT_EQ(s.servers[0].host, "server.example");
    EXPECT_EQ(s.servers[0].port, 9000);
    EXPECT_TRUE(s.servers[0].accept);
    EXPECT_EQ(s.servers[0].pos.line, 11);
    EXPECT_EQ(s.servers[1].protocol, ServerSpec::Protocol::Udp);
    const ServerSpec& web = s.servers[2];
    EXPECT_EQ(web.protocol, ServerSpec::Protocol::Http);
    EXPECT_FALSE(web.accept);
    EXPECT_EQ(web.response.status, 404);
    EXPECT_EQ(web.response.reason, "Not Found");
    const std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "text/plain"},
                                                                   {"X-Id", "7"}};
    EXPECT_EQ(web.response.headers, headers);
    EXPECT_EQ(web.response.body, "gone");
}

TEST(ScenarioParser, ParamsAndFailPatterns) {
    const Scenario s = parse_ok(kFull);
    ASSERT_EQ(s.params.size(), 2u);
    EXPECT_EQ(s.params[0].first, "AT+WKMOD=NET");
    EXPECT_EQ(s.params[1].first, "at+socka=TCP,server.example,9000");
    EXPECT_EQ(s.params[1].second.line, 24);
    EXPECT_EQ(s.params[1].second.column, 5);
    ASSERT_EQ(s.fail_on.size(), 2u);
    EXPECT_EQ(s.fail_on[0].where, "serial");
    EXPECT_EQ(s.fail_on[0].pattern.kind, Pattern::Kind::Text);
    EXPECT_EQ(s.fail_on[0].pattern.value, "+CME ERROR");
    EXPECT_EQ(s.fail_on[1].where, "echo");
    EXPECT_EQ(s.fail_on[1].pattern.kind, Pattern::Kind::Regex);
    EXPECT_EQ(s.fail_on[1].pattern.value, "^GET ");
}

TEST(ScenarioParser, SerialAndAtSteps) {
    const Scenario s = parse_ok(kFull);
    ASSERT_EQ(s.steps.size(), 29u);
    EXPECT_EQ(s.steps[0].kind, "serial_write");
    EXPECT_EQ(s.steps[0].pos.line, 29);
    EXPECT_EQ(s.steps[0].pos.column, 5);
    EXPECT_EQ(action<SerialWrite>(s, 0).bytes, "hello\r\n");
    EXPECT_EQ(action<SerialWrite>(s, 1).bytes, std::string("\x01\x02\x0a", 3));
    EXPECT_EQ(action<SerialExpect>(s, 2).pattern.value, "OK");
    EXPECT_EQ(action<SerialExpect>(s, 2).timeout, kDefaultTimeout);
    EXPECT_EQ(action<SerialExpect>(s, 3).pattern.kind, Pattern::Kind::Regex);
    EXPECT_EQ(action<SerialExpect>(s, 3).pattern.value, "\\+CSQ: [0-9]+");
    EXPECT_EQ(action<SerialExpect>(s, 3).timeout, 2s);
    EXPECT_EQ(action<CommandMode>(s, 4).timeout, 3s);
    EXPECT_EQ(action<CommandMode>(s, 5).timeout, kDefaultTimeout);
    EXPECT_EQ(action<AtCommand>(s, 6).command, "AT+VER");
    EXPECT_EQ(action<AtCommand>(s, 6).expect.value, "OK");
    EXPECT_EQ(action<AtCommand>(s, 6).expect.kind, Pattern::Kind::Text);
    EXPECT_EQ(action<AtCommand>(s, 7).command, "AT+CSQ");
    EXPECT_EQ(action<AtCommand>(s, 7).expect.kind, Pattern::Kind::Regex);
    EXPECT_EQ(action<AtCommand>(s, 7).timeout, 250ms);
}

TEST(ScenarioParser, ServerSteps) {
    const Scenario s = parse_ok(kFull);
    ASSERT_EQ(s.steps.size(), 29u);
    EXPECT_EQ(action<ServerExpect>(s, 8).server, "echo");
    EXPECT_EQ(action<ServerExpect>(s, 8).pattern.value, "hello\r\n");
    EXPECT_EQ(s.steps[8].label, "greeting");
    EXPECT_EQ(action<ExpectConnect>(s, 9).server, "echo");
    EXPECT_EQ(action<ExpectConnect>(s, 10).server, "logger");
    EXPECT_EQ(action<ExpectConnect>(s, 10).timeout, 30min);
    EXPECT_EQ(action<ExpectDisconnect>(s, 11).server, "echo");
    EXPECT_EQ(action<ServerSend>(s, 12).bytes, std::string("\xff\x00", 2));
    EXPECT_TRUE(action<ServerClose>(s, 13).reset);
    EXPECT_TRUE(action<ServerAccept>(s, 14).accept);
    EXPECT_EQ(action<HttpRespond>(s, 15).server, "web");
    EXPECT_EQ(action<HttpRespond>(s, 15).response.status, 500);
    EXPECT_EQ(action<HttpRespond>(s, 15).response.reason, "Internal Server Error");
    EXPECT_EQ(action<HttpRespond>(s, 15).response.body, "A");
}

TEST(ScenarioParser, DeviceSteps) {
    const Scenario s = parse_ok(kFull);
    ASSERT_EQ(s.steps.size(), 29u);
    EXPECT_EQ(action<LinkChange>(s, 16).patch, (QJsonObject{{"attached", false}}));
    EXPECT_EQ(s.steps[16].label, "lost");
    action<LinkReset>(s, 17);
    EXPECT_EQ(action<RadioChange>(s, 18)
                  .patch.value("sims")
                  .toObject()
                  .value("external")
                  .toObject()
                  .value("phone_number")
                  .toString(),
              "+8613800138000");
    const QJsonObject sms{{"from", "+8613800138000"}, {"text", "usr.cn#AT+VER"}, {"encoding", "gsm7"}};
    EXPECT_EQ(action<SmsIn>(s, 19).message, sms);
    EXPECT_EQ(action<SmsExpect>(s, 20).to, "+8613800138000");
    EXPECT_EQ(action<SmsExpect>(s, 20).pattern.value, "V1");
    EXPECT_EQ(action<SmsExpect>(s, 20).timeout, 1min);
    EXPECT_EQ(action<PowerCycle>(s, 21).off_for, 2s);
    action<PowerOff>(s, 22);
    action<PowerOn>(s, 23);
    EXPECT_EQ(action<Wait>(s, 24).duration, 30min);
    const ExpectSilence& silence = action<ExpectSilence>(s, 25);
    EXPECT_EQ(silence.duration, 10s);
    EXPECT_FALSE(silence.serial);
    EXPECT_FALSE(silence.all_servers);
    EXPECT_EQ(silence.servers, std::vector<std::string>{"echo"});
    EXPECT_EQ(action<ExpectReboot>(s, 26).cause, "RSTIM");
    EXPECT_EQ(action<ExpectReboot>(s, 26).timeout, 1h);
}

TEST(ScenarioParser, StatusAndFailOnSteps) {
    const Scenario s = parse_ok(kFull);
    ASSERT_EQ(s.steps.size(), 29u);
    const auto& fields = action<ExpectStatus>(s, 27).fields;
    ASSERT_EQ(fields.size(), 4u);
    EXPECT_EQ(fields[0].first, "sockets.0.state");
    EXPECT_EQ(fields[0].second, QJsonValue("connected"));
    EXPECT_EQ(fields[1].second, QJsonValue(5));
    EXPECT_EQ(fields[2].second, QJsonValue(true));
    EXPECT_EQ(fields[3].second, QJsonValue(QJsonValue::Null));
    const FailPattern& fail = action<AddFailOn>(s, 28).fail;
    EXPECT_EQ(fail.where, "serial");
    EXPECT_EQ(fail.pattern.value, "ERROR");
    EXPECT_EQ(s.steps[28].label, "no errors");
}

TEST(ScenarioParser, DefaultsOfAMinimalFile) {
    const Scenario s = parse_ok("name: minimal\nsteps:\n  - wait: 1s\n");
    EXPECT_EQ(s.profile, "g771");
    EXPECT_FALSE(s.seed.has_value());
    EXPECT_EQ(s.deadline, kDefaultDeadline);
    EXPECT_TRUE(s.link.isEmpty());
    EXPECT_TRUE(s.servers.empty());
    EXPECT_EQ(s.steps.size(), 1u);
}

TEST(ScenarioParser, WithoutClockTheScenarioRunsEitherWay) {
    const Scenario s = parse_ok("name: any\nsteps:\n  - wait: 1s\n");
    EXPECT_EQ(s.clock, Scenario::ClockNeed::Either);
}

TEST(ScenarioParser, RealClockAndShorthands) {
    const Scenario s = parse_ok(R"(name: real
clock: real
servers: {echo: {protocol: tcp, address: "[::1]:7"}}
steps:
  - power_cycle: 5s
  - expect_silence: 1m
  - expect_reboot: AT+Z
  - expect_disconnect: echo
  - sms_expect: {regex: "^V"}
  - server_close: echo
)");
    EXPECT_EQ(s.clock, Scenario::ClockNeed::Real);
    ASSERT_EQ(s.servers.size(), 1u);
    EXPECT_EQ(s.servers[0].host, "::1");
    EXPECT_EQ(action<PowerCycle>(s, 0).off_for, 5s);
    EXPECT_TRUE(action<ExpectSilence>(s, 1).all_servers);
    EXPECT_TRUE(action<ExpectSilence>(s, 1).serial);
    EXPECT_EQ(action<ExpectReboot>(s, 2).cause, "AT+Z");
    EXPECT_FALSE(action<SmsExpect>(s, 4).to.has_value());
    EXPECT_FALSE(action<ServerClose>(s, 5).reset);
}

TEST(ScenarioParser, TheReadmeExampleIsValid) {
    // scenarios/README.md "The file" documents the format with this example: it must stay valid.
    QFile file(DTU_SOURCE_DIR "/scenarios/README.md");
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const std::string text = file.readAll().toStdString();
    const auto start = text.find("```yaml\n");
    ASSERT_NE(start, std::string::npos);
    const auto end = text.find("```", start + 8);
    // Its tls: files are relative to the README, in scenarios/certs.
    const Scenario s =
        parse_ok(text.substr(start + 8, end - start - 8).c_str(), DTU_SOURCE_DIR "/scenarios/README.md");
    EXPECT_EQ(s.name, "quick-start echo test");
    ASSERT_EQ(s.servers.size(), 3u);
    ASSERT_TRUE(s.servers[2].tls.has_value());
    EXPECT_EQ(s.servers[2].tls->cert_file, "certs/server.pem");
    EXPECT_NE(s.servers[2].tls->key_pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
    EXPECT_EQ(s.fail_on.size(), 3u);
    EXPECT_EQ(s.brokers.size(), 1u);
    EXPECT_EQ(s.steps.size(), 2u);
}

constexpr const char* kTlsServer = R"(name: tls
servers:
  web:
    protocol: http
    address: secure.example:443
    tls: {cert: certs/server.pem, key: certs/server.key, client_ca: certs/ca.pem}
steps:
  - expect_tls: {server: web, client_subject: "CN=dtu-device", version: TLSv1.2}
  - expect_tls: {server: web, ok: false, error: "peer did not return a certificate", timeout: 2s}
  - expect_tls: {server: web, client_subject: ""}
)";

TEST(ScenarioParser, TlsServerReadsItsPemFilesRelativeToTheScenarioAndExpectTlsItsFields) {
    const Scenario s = parse_ok(kTlsServer, DTU_SOURCE_DIR "/scenarios/t.yaml");
    ASSERT_EQ(s.servers.size(), 1u);
    ASSERT_TRUE(s.servers[0].tls.has_value());
    EXPECT_EQ(s.servers[0].tls->client_ca_file, "certs/ca.pem");
    EXPECT_NE(s.servers[0].tls->cert_pem.find("-----BEGIN CERTIFICATE-----"), std::string::npos);
    EXPECT_FALSE(s.servers[0].tls->client_ca_pem.empty());
    ASSERT_EQ(s.steps.size(), 3u);
    const auto& first = action<ExpectTls>(s, 0);
    EXPECT_TRUE(first.ok);
    EXPECT_EQ(first.client_subject, std::optional<std::string>("CN=dtu-device"));
    EXPECT_EQ(first.version, std::optional<std::string>("TLSv1.2"));
    const auto& second = action<ExpectTls>(s, 1);
    EXPECT_FALSE(second.ok);
    EXPECT_EQ(second.error, std::optional<std::string>("peer did not return a certificate"));
    EXPECT_EQ(second.timeout, Duration(2000));
    EXPECT_EQ(action<ExpectTls>(s, 2).client_subject, std::optional<std::string>(""));
}

std::vector<std::string> tls_errors(const std::string& tls, const std::string& step = "expect_tls: web") {
    const std::string text =
        "name: t\nservers:\n  web:\n    protocol: http\n    address: secure.example:443\n"
        "    tls: " +
        tls + "\nsteps:\n  - " + step + "\n";
    const ParseResult r = parse_scenario_text(text, DTU_SOURCE_DIR "/scenarios/t.yaml");
    std::vector<std::string> out;
    for (const ScenarioError& e : r.errors)
        out.push_back(e.to_string());
    return out;
}

TEST(ScenarioParser, TlsFilesThatAreMissingOrNotPemAreErrorsAtTheirLine) {
    auto e = tls_errors("{cert: certs/none.pem, key: certs/server.key}");
    ASSERT_FALSE(e.empty());
    EXPECT_NE(e[0].find("t.yaml:6:"), std::string::npos) << e[0];
    EXPECT_NE(e[0].find("server 'web': tls: cert: cannot read '"), std::string::npos) << e[0];
    EXPECT_NE(e[0].find("No such file or directory"), std::string::npos) << e[0];
    e = tls_errors("{cert: certs/server.pem, key: certs/make-certs.sh}");
    ASSERT_FALSE(e.empty());
    EXPECT_NE(e[0].find("is not PEM"), std::string::npos) << e[0];
    e = tls_errors("{cert: certs/server.pem, key: certs/client.key}");
    ASSERT_FALSE(e.empty());
    EXPECT_NE(e[0].find("tls: server key does not match server certificate"), std::string::npos) << e[0];
    e = tls_errors("{cert: certs/server.pem}");
    ASSERT_FALSE(e.empty());
    EXPECT_NE(e[0].find("key"), std::string::npos) << e[0];
}

TEST(ScenarioParser, ExpectTlsNeedsATlsServerAndErrorOnlyOnFailure) {
    auto e =
        tls_errors("{cert: certs/server.pem, key: certs/server.key}", "expect_tls: {server: web, error: x}");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_NE(e[0].find("only a failed handshake (ok: false) has one"), std::string::npos) << e[0];
    const ParseResult r = parse_scenario_text(
        "name: t\nservers:\n  plain: {protocol: tcp, address: a.example:1}\nsteps:\n  - expect_tls: plain\n",
        "t.yaml");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_NE(r.errors[0].to_string().find("server 'plain' has no tls"), std::string::npos)
        << r.errors[0].to_string();
}

TEST(ScenarioParser, ClientsDialTheDevice) {
    // K7 §4.2.2 / §4.2.4: peers that connect to the device; steps name them as servers.
    const Scenario s =
        parse_ok("name: c\nprofile: k7\nservers:\n  far: {protocol: tcp, address: h.example:9}\n"
                 "clients:\n  pc1: {protocol: tcp, port: 23, from: \"10.1.2.3:4000\"}\n"
                 "  pc2: {protocol: udp, port: 8899}\n"
                 "steps:\n  - client_connect: pc1\n  - client_connect: {client: pc1}\n"
                 "  - server_send: {server: pc2, text: hi}\n  - expect_connect: pc1\n");
    ASSERT_EQ(s.servers.size(), 3u);
    EXPECT_FALSE(s.servers[0].client.has_value());
    const ServerSpec& pc1 = s.servers[1];
    ASSERT_TRUE(pc1.client.has_value());
    EXPECT_EQ(pc1.name, "pc1");
    EXPECT_EQ(pc1.protocol, ServerSpec::Protocol::Tcp);
    EXPECT_EQ(pc1.client->device_port, 23);
    EXPECT_EQ(pc1.client->ip, 0x0A010203u);
    EXPECT_EQ(pc1.port, 4000);
    const ServerSpec& pc2 = s.servers[2];
    ASSERT_TRUE(pc2.client.has_value());
    EXPECT_EQ(pc2.host, "192.168.0.51") << "one default source address per client";
    EXPECT_EQ(pc2.client->ip, 0xC0A80033u);
    EXPECT_EQ(pc2.port, 40001);
    EXPECT_EQ(s.clock, Scenario::ClockNeed::Virtual) << "clients are VirtualNet peers";
    ASSERT_EQ(s.steps.size(), 4u);
    EXPECT_EQ(action<ClientConnect>(s, 0).client, "pc1");
    EXPECT_EQ(action<ClientConnect>(s, 1).client, "pc1");
    EXPECT_EQ(action<ServerSend>(s, 2).server, "pc2");
}

} // namespace
} // namespace dtu::sim::scenario
