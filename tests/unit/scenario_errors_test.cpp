// Bad scenario files: every error is reported, placed at file:line:col, saying what was expected.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dtu/profile/profile.hpp"
#include "scenario_error_lines.hpp"
#include "sim/scenario/scenario_parser.hpp"

namespace dtu::sim::scenario {
namespace {

std::vector<std::string> errors(const std::string& text) { return error_lines(text); }

/// The one error of a file whose header is fine and whose steps are steps_yaml.
std::string step_error(const std::string& steps_yaml) {
    const auto e =
        errors("name: t\nservers:\n  echo: {protocol: tcp, address: a.example:1}\n"
               "  web: {protocol: http, address: a.example:80}\n  log: {protocol: udp, address: b:2}\n"
               "steps:\n" +
               steps_yaml);
    EXPECT_EQ(e.size(), 1u) << ::testing::PrintToString(e);
    return e.empty() ? "" : e.front();
}

using Errors = std::vector<std::string>;

TEST(ScenarioErrors, FileNameLineAndColumn) {
    const ParseResult r = parse_scenario_text("name: x\nsteps:\n  - serial_expct: OK\n", "dir/a.yaml");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_FALSE(r.scenario.has_value());
    EXPECT_EQ(r.errors[0].to_string(),
              "dir/a.yaml:3:5: step 1: unknown step kind 'serial_expct' (did you mean 'serial_expect'?)");
}

TEST(ScenarioErrors, UnknownStepKindWithoutSuggestion) {
    EXPECT_EQ(step_error("  - wait: 1s\n  - frobnicate: 1\n"), "8:5: step 2: unknown step kind 'frobnicate'");
}

TEST(ScenarioErrors, DurationWithoutUnit) {
    EXPECT_EQ(step_error("  - serial_expect: {text: OK, timeout: 5}\n"),
              "7:40: step 1: timeout: '5' needs a unit: 500ms, 5s, 30m, 2h");
    EXPECT_EQ(step_error("  - wait: 5 min\n"),
              "7:11: step 1: '5 min' has an unknown unit ' min': use ms, s, m, h or d (500ms, 5s, 30m, 2h)");
    EXPECT_EQ(step_error("  - wait: 0s\n"), "7:11: step 1: '0s' must be longer than 0");
    EXPECT_EQ(step_error("  - wait: soon\n"),
              "7:11: step 1: 'soon' is not a duration: a whole number and a unit, e.g. 500ms, 5s, 30m, 2h");
}

TEST(ScenarioErrors, TimeoutLongerThanTheDeadline) {
    EXPECT_EQ(errors("name: t\ndeadline: 10m\nsteps:\n  - serial_expect: {text: x, timeout: 1h}\n"),
              Errors{"4:39: step 1: timeout: 1h is longer than the deadline (10m): raise `deadline:` or "
                     "shorten this"});
    EXPECT_EQ(errors("name: t\nsteps:\n  - wait: 2h\n"),
              Errors{"3:11: step 1: 2h is longer than the deadline (1h): raise `deadline:` or shorten this"});
}

TEST(ScenarioErrors, DurationsThatDoNotFitAreRefused) {
    // 106752d in nanoseconds of device time overflows an int64: it was accepted, and the run timed
    // out at 0 s.
    const std::string most = " is too long: at most 3650d (10 years)";
    EXPECT_EQ(errors("name: t\ndeadline: 106752d\nsteps: [power_off]\n"),
              Errors{"2:11: deadline: '106752d'" + most});
    EXPECT_EQ(step_error("  - wait: 3651d\n"), "7:11: step 1: '3651d'" + most);
    EXPECT_EQ(step_error("  - serial_expect: {text: OK, timeout: 99999999999999999999ms}\n"),
              "7:40: step 1: timeout: '99999999999999999999ms'" + most);
    EXPECT_EQ(step_error("  - power_cycle: {off_for: 315360001s}\n"),
              "7:28: step 1: off_for: '315360001s'" + most);
    EXPECT_EQ(step_error("  - expect_silence: {for: 87601h}\n"), "7:27: step 1: for: '87601h'" + most);
    EXPECT_EQ(
        errors("name: t\ndeadline: 3650d\nsteps:\n  - wait: 3650d\n  - expect_reboot: {timeout: 5256000m}\n"),
        Errors{});
}

TEST(ScenarioErrors, UndeclaredServer) {
    EXPECT_EQ(step_error("  - server_expect: {server: ech, text: hi}\n"),
              "7:29: step 1: server 'ech' is not declared under servers: (declared: echo, web, log)");
    EXPECT_EQ(errors("name: t\nsteps:\n  - expect_connect: echo\n"),
              Errors{"3:21: step 1: server 'echo' is not declared under servers: (no servers are declared)"});
}

TEST(ScenarioErrors, StepIsNotAOneKeyMap) {
    EXPECT_EQ(
        step_error("  - serial_write: hi\n    timeout: 5s\n"),
        "7:5: step 1: expected a map with one key, the step kind; found 2 keys (serial_write, timeout): "
        "options go in a map under the kind (only name: may stand beside it)");
    EXPECT_EQ(step_error("  - [wait, 1s]\n"),
              "7:5: step 1: expected a map with one key, the step kind; found a list");
}

TEST(ScenarioErrors, UnknownAndMissingKeys) {
    EXPECT_EQ(step_error("  - server_expect: {server: echo, text: hi, timout: 1s}\n"),
              "7:45: step 1: unknown key 'timout' (did you mean 'timeout'?) (keys: server, text, regex, hex, "
              "timeout, "
              "name)");
    EXPECT_EQ(
        errors("nme: t\nsteps: [wait: 1s]\n"),
        (Errors{
            "1:1: unknown key 'nme' (did you mean 'name'?) (keys: name, source, description, profile, seed, "
            "deadline, clock, baud_pacing, link, radio, servers, clients, brokers, params, fail_on, steps)",
            "1:1: missing required key 'name'"}));
    EXPECT_EQ(step_error("  - server_send: {server: echo}\n"),
              "7:18: step 1: missing the bytes to send (text or hex)");
    EXPECT_EQ(step_error("  - server_accept: {server: echo}\n"),
              "7:20: step 1: missing required key 'accept'");
}

TEST(ScenarioErrors, WrongTypes) {
    EXPECT_EQ(step_error("  - server_close: {server: echo, reset: yes}\n"),
              "7:41: step 1: reset: expected true or false, found 'yes'");
    EXPECT_EQ(errors("name: [a, b]\nseed: -1\nsteps: [power_off]\n"),
              (Errors{"1:7: name: expected a string, found a list",
                      "2:7: seed: expected a whole number from 0 to 18446744073709551615, found '-1'"}));
    EXPECT_EQ(errors("name: t\nsteps: {wait: 1s}\n"),
              Errors{"2:8: steps: expected a list of steps (- serial_write: ...), found a map"});
    EXPECT_EQ(step_error("  - power_off: now\n"), "7:16: step 1: expected nothing, found 'now'");
}

TEST(ScenarioErrors, ServerDeclarations) {
    EXPECT_EQ(
        errors(
            "name: t\nservers:\n  a: {protocol: tcp, address: h:0}\n  b: {protocol: sctp, address: h}\n"
            "  c: {protocol: udp, address: h:5, accept: false}\n  d: {protocol: tcp}\nsteps: [power_off]\n"),
        (Errors{"3:31: server 'a': address: 'h:0': the port must be a number from 1 to 65535",
                "4:17: server 'b': protocol: 'sctp' is not a protocol: tcp, udp, http or websocket",
                "4:32: server 'b': address: 'h' is not host:port (e.g. server.example:9000 or 10.0.0.5:80)",
                "5:36: server 'c': accept: a udp server has no connections to accept",
                "6:6: server 'd': missing required key 'address'"}));
}

TEST(ScenarioErrors, DuplicateServerNamesAndAddresses) {
    EXPECT_EQ(
        errors(
            "name: t\nservers:\n  a: {protocol: tcp, address: h:1}\n  b: {protocol: http, address: h:1}\n"
            "  c: {protocol: udp, address: h:1}\n  a: {protocol: udp, address: h:2}\nsteps: [power_off]\n"),
        (Errors{"6:3: servers: 'a' appears twice in this map",
                "4:3: server 'b': address h:1 is already server 'a's"}));
}

TEST(ScenarioErrors, ServerSendLargerThanAConnectionTakes) {
    // It failed at run time with "server has no open connection".
    const std::string limit =
        " bytes are more than one send can take: at most 1048576 (1 MiB, what a connection "
        "queues towards the device); split them into several server_send steps with time "
        "between them";
    EXPECT_EQ(step_error("  - server_send: {server: echo, text: " + std::string((1 << 20) + 1, 'a') + "}\n"),
              "7:39: step 1: text: 1048577" + limit);
    std::string hex;
    for (int i = 0; i < (1 << 20) + 2; ++i)
        hex += "00";
    EXPECT_EQ(step_error("  - server_send: {server: echo, hex: \"" + hex + "\"}\n"),
              "7:38: step 1: hex: 1048578" + limit);
    EXPECT_EQ(errors("name: t\nservers: {echo: {protocol: tcp, address: a.example:1}}\nsteps:\n"
                     "  - server_send: {server: echo, text: " +
                     std::string(1 << 20, 'a') + "}\n"),
              Errors{});
}

TEST(ScenarioErrors, HttpRespondNeedsAnHttpServer) {
    EXPECT_EQ(step_error("  - http_respond: {server: echo, status: 200}\n"),
              "7:28: step 1: server 'echo' is a tcp server, not http");
    EXPECT_EQ(step_error("  - http_respond: {server: web, status: 99}\n"),
              "7:41: step 1: status: expected a whole number from 100 to 599, found '99'");
    EXPECT_EQ(step_error("  - expect_disconnect: log\n"),
              "7:24: step 1: server 'log' is a udp server: it has no connections to close");
}

TEST(ScenarioErrors, ParamsMustBeAtPlusCommands) {
    EXPECT_EQ(errors("name: t\nparams:\n  - AT+WKMOD=NET\n  - WKMOD=NET\n  - {a: b}\nsteps: [power_off]\n"),
              (Errors{"4:5: params: 'WKMOD=NET' is not an AT+ command (e.g. AT+WKMOD=NET)",
                      "5:5: params: expected an AT+ command, found a map"}));
    EXPECT_EQ(step_error("  - at: VER\n"), "7:9: step 1: 'VER' is not an AT command (it must start with AT)");
}

TEST(ScenarioErrors, HexBytesAndPatterns) {
    EXPECT_EQ(step_error("  - serial_write: {hex: \"01 0\"}\n"),
              "7:25: step 1: hex: '01 0' is not hex: an odd number of hex digits (3): two digits per byte "
              "(write bytes as \"01 02 0a\")");
    EXPECT_EQ(step_error("  - serial_expect: {hex: 0g}\n"),
              "7:26: step 1: hex: '0g' is not hex: 'g' at position 2 is not a hex digit (write bytes as \"01 "
              "02 0a\")");
    EXPECT_EQ(step_error("  - serial_expect: {text: a, regex: b}\n"),
              "7:30: step 1: give only one of text, regex, hex (found text and regex)");
    EXPECT_EQ(step_error("  - serial_expect: \"\"\n"), "7:20: step 1: an empty pattern would match anything");
}

TEST(ScenarioErrors, RegexMustCompile) {
    const std::string e = step_error("  - serial_expect: {regex: \"(unclosed\"}\n");
    EXPECT_EQ(e.rfind("7:28: step 1: regex: '(unclosed' is not a valid regex (RE2 syntax): ", 0), 0u) << e;
}

TEST(ScenarioErrors, LinkRadioAndSmsUseTheApiChecks) {
    EXPECT_EQ(errors("name: t\nlink:\n  upstream:\n    latency_ms: -3\nsteps: [power_off]\n"),
              Errors{"4:17: link: upstream.latency_ms must be a number from 0 to 3600000"});
    EXPECT_EQ(step_error("  - link: {attached: false, bandwith: 5}\n"),
              "7:29: step 1: unknown field 'bandwith'");
    EXPECT_EQ(step_error("  - radio: {rssi: 40}\n"), "7:19: step 1: rssi must be from 0 to 31, or 99");
    EXPECT_EQ(step_error("  - sms_in: {from: \"+86\", txt: hi}\n"),
              "7:27: step 1: unknown field 'txt' (fields: from, text, encoding)");
    EXPECT_EQ(step_error("  - sms_in: {text: hi}\n"), "7:13: step 1: from is required");
}

TEST(ScenarioErrors, ProfileClockAndStatus) {
    std::string known; // every registered profile, in --help order
    for (const std::string_view name : dtu::profile::names())
        known += (known.empty() ? "" : ", ") + std::string(name);
    ASSERT_NE(known.find("g771"), std::string::npos);
    EXPECT_EQ(errors("name: t\nprofile: g77\nclock: wall\nsteps: [power_off]\n"),
              (Errors{"2:10: profile: unknown profile 'g77' (did you mean 'g771'?) (known: " + known + ")",
                      "3:8: clock: 'wall' is not a clock: virtual or real"}));
    EXPECT_EQ(step_error("  - expect_status: {sokets.0.state: connected}\n"),
              "7:21: step 1: the status has no field 'sokets' (did you mean 'sockets'?)");
}

TEST(ScenarioErrors, EveryErrorIsReported) {
    const auto e = errors("name: t\ndeadline: 1\nsteps:\n  - wait: 1\n  - serial_writ: x\n  - at: {command: "
                          "AT, expect: \"\"}\n");
    ASSERT_EQ(e.size(), 4u) << ::testing::PrintToString(e);
    EXPECT_EQ(e[0], "2:11: deadline: '1' needs a unit: 500ms, 5s, 30m, 2h");
    EXPECT_EQ(e[1], "4:11: step 1: '1' needs a unit: 500ms, 5s, 30m, 2h");
    EXPECT_EQ(e[2], "5:5: step 2: unknown step kind 'serial_writ' (did you mean 'serial_write'?)");
    EXPECT_EQ(e[3], "6:31: step 3: expect: an empty pattern would match anything");
}

TEST(ScenarioErrors, YamlSyntaxError) {
    EXPECT_EQ(errors("name: t\nsteps:\n  - wait: [1s\n  - power_off\n"),
              Errors{"5:1: not valid YAML: end of sequence flow not found"});
    EXPECT_EQ(errors("name: t\n\tsteps: []\n"),
              Errors{"2:1: not valid YAML: illegal tab when looking for indentation"});
}

TEST(ScenarioErrors, NotYaml) {
    EXPECT_EQ(
        errors("just some words\n"),
        Errors{
            "1:1: expected a scenario: a map with name:, steps: and the other keys of scenarios/README.md; "
            "found 'just some words'"});
    const auto binary = errors(std::string("\x7f"
                                           "ELF\x02\x01\x01\0\0\0",
                                           10));
    ASSERT_EQ(binary.size(), 1u);
}

TEST(ScenarioErrors, EmptyFile) {
    const Errors expected{"1:1: expected a scenario: a map with name:, steps: and the other keys of "
                          "scenarios/README.md; found an empty file"};
    EXPECT_EQ(errors(""), expected);
    EXPECT_EQ(errors("# only a comment\n"), expected);
}

TEST(ScenarioErrors, FileCutInTheMiddle) {
    EXPECT_EQ(errors("name: t\nsteps:\n  - server_expect: {server: echo, te"),
              Errors{"3:1: not valid YAML: end of map flow not found"});
    EXPECT_EQ(errors("name: t\nsteps:\n  - serial_write: \"hel"),
              Errors{"3:23: not valid YAML: illegal EOF in scalar"});
    EXPECT_EQ(errors("name: t\nsteps:\n  - serial_write:"),
              Errors{"3:5: step 1: expected bytes: a string or {hex: \"01 02\"}, found nothing"});
}

TEST(ScenarioErrors, QuoteLeftOpenAtTheEnd) {
    // yaml-cpp loads these, the open string taking in every line after it: the steps after it
    // would never run and the scenario would pass.
    const std::string open =
        "not valid YAML: this quoted string is never closed (the closing quote is missing, "
        "so it would take in the rest of the file)";
    EXPECT_EQ(errors("name: t\nsteps:\n  - serial_write: \"hi\n  - wait: 5s\n"), Errors{"3:19: " + open});
    EXPECT_EQ(errors("name: t\nsteps:\n  - serial_write: 'hi\n  - wait: 5s\n"), Errors{"3:19: " + open});
    EXPECT_EQ(errors("name: t\nsteps:\n  - serial_write: 'it''s\n"), Errors{"3:19: " + open});
    EXPECT_EQ(errors("name: t\nsteps:\n  - serial_write: \"hi\\\"\n"), Errors{"3:19: " + open})
        << "an escaped quote does not close it";
    EXPECT_EQ(errors("name: t\nsteps:\n  - serial_write: &a !!str \"hi\n  - wait: 5s\n"),
              Errors{"3:28: " + open});
    EXPECT_EQ(errors("name: t\nsteps: [power_off]\n\"description: x\n"), Errors{"3:1: " + open});
    EXPECT_EQ(errors("\xef\xbb\xbfname: t\nsteps:\n  - serial_write: \"hi\n"), Errors{"3:19: " + open});
    // Left open inside a flow list or map, the string takes in the closing bracket: yaml-cpp says so.
    EXPECT_EQ(errors("name: t\nsteps: [{serial_write: \"hi}, {wait: 5s}]\n"),
              Errors{"3:1: not valid YAML: end of map flow not found"});
    EXPECT_EQ(errors("name: t\nsteps:\n  - serial_write: {text: 'hi}\n  - wait: 5s\n"),
              Errors{"5:1: not valid YAML: end of map flow not found"});
}

TEST(ScenarioErrors, ATokenThatCannotStartAValueIsAnErrorNotAnEndlessLoad) {
    // yaml-cpp 0.7's LoadAll never returns on these (an empty document at the same place, again
    // and again, until memory runs out); scenario_fuzz found the first.
    const std::string stuck = "not valid YAML: this cannot start a value here (a ',' outside [ ] or { }? "
                              "quote the text that starts with it)";
    EXPECT_EQ(errors("# a comment\n,      timeout: 2s\n"), Errors{"2:1: " + stuck});
    EXPECT_EQ(errors("- a\n, b\n"), Errors{"2:1: " + stuck});
    EXPECT_EQ(errors("name: t\n---\n, b\n"), Errors{"3:1: " + stuck});
    // A ',' inside a plain scalar, a block scalar or a flow list is fine.
    EXPECT_EQ(errors("name: t, u\ndescription: |\n  , x\nsteps: [power_off, power_on]\n"), Errors{});
}

TEST(ScenarioErrors, QuoteThatSwallowsTheLinesAfterIt) {
    // Closed, but only after taking in a step and a key: yaml-cpp loads continuation lines at any
    // indentation, YAML 1.2 (s-flow-line-prefix) does not.
    const std::string runs =
        "which reads as YAML of its own: close the quote on its line, or indent the rest of "
        "the string further";
    EXPECT_EQ(
        errors("name: t\nsteps:\n  - serial_write: \"hi\n  - wait: 5s\"\n"),
        Errors{"3:19: not valid YAML: this quoted string runs on into line 4 ('- wait: 5s\"'), " + runs});
    EXPECT_EQ(
        errors("name: t\ndescription: 'one\nsteps: [power_off]'\nsteps: [power_off]\n"),
        Errors{"2:14: not valid YAML: this quoted string runs on into line 3 ('steps: [power_off]''), " +
               runs});
}

TEST(ScenarioErrors, ClosedQuotesAreNotOpen) {
    EXPECT_EQ(errors("name: t\nsteps:\n  - serial_write: \"say \\\"hi\\\"\"\n  - serial_write: 'it''s'\n"
                     "  - serial_write: \"two\n    lines\"\n  - serial_write: |\n      a \"quote\n"
                     "  - serial_write: \"a list in a string\n      - is indented into it\"\n"),
              Errors{});
}

TEST(ScenarioErrors, MoreThanOneDocument) {
    EXPECT_EQ(errors("name: a\nsteps: [power_off]\n---\nname: b\n"),
              Errors{"4:1: a scenario file holds one YAML document; found 2 (remove the '---')"});
}

TEST(ScenarioErrors, AliasesCannotExpandWithoutBound) {
    // "Billion laughs": each level lists the previous one ten times; eight levels name 10^8 values.
    std::string levels = "        a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 8; ++i) {
        const std::string prev = "*a" + std::to_string(i - 1);
        levels += "        a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
        for (int k = 1; k < 10; ++k)
            levels += ", " + prev;
        levels += "]\n";
    }
    const auto e = errors("name: t\nsteps:\n  - expect_status:\n      sockets:\n" + levels);
    ASSERT_EQ(e.size(), 1u) << ::testing::PrintToString(e);
    EXPECT_NE(e[0].find("too large or too deeply nested"), std::string::npos) << e[0];
}

TEST(ScenarioErrors, DeepNestingIsAnErrorNotACrash) {
    const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
    EXPECT_EQ(errors("name: t\nsteps: " + deep + "\n").size(), 1u);
    std::string nested = "1";
    for (int i = 0; i < 100; ++i)
        nested = "[" + nested + "]"; // under yaml-cpp's limit, over ours
    const auto e = errors("name: t\nsteps:\n  - expect_status: {uptime_ms: " + nested + "}\n");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_NE(e[0].find("too large or too deeply nested"), std::string::npos) << e[0];
}

TEST(ScenarioErrors, MissingFile) {
    const ParseResult r = parse_scenario_file("/nonexistent/dir/x.yaml");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 0);
    EXPECT_EQ(r.errors[0].to_string().rfind("/nonexistent/dir/x.yaml: cannot read the file: ", 0), 0u)
        << r.errors[0].to_string();
}

TEST(ScenarioErrors, AWebsocketIsAClientNotAServer) {
    EXPECT_EQ(
        errors("name: t\nservers:\n  w: {protocol: websocket, address: h:6432}\nsteps: [power_off]\n"),
        (Errors{"3:3: server 'w': websocket is a client's protocol: declare it under clients: (K7 §4.2.6)"}));
    EXPECT_TRUE(errors("name: t\nprofile: k7\nclients:\n  w: {protocol: websocket, port: 6432}\n"
                       "steps: [{client_connect: w}]\n")
                    .empty());
}

TEST(ScenarioErrors, ClientDeclarationsAndSteps) {
    EXPECT_EQ(errors("name: t\nservers:\n  pc: {protocol: tcp, address: h:1}\nclients:\n"
                     "  pc: {protocol: tcp, port: 23}\n  u: {protocol: http, port: 0}\n"
                     "  v: {protocol: udp, port: 1, from: \"name.example:5\"}\n  w: {protocol: udp}\n"
                     "steps: [power_off]\n"),
              (Errors{"5:3: client 'pc': the name is already a server's",
                      "6:17: client 'u': protocol: a client's protocol is tcp, udp or websocket",
                      "6:29: client 'u': port: expected a whole number from 1 to 65535, found '0'",
                      "7:37: client 'v': from: 'name.example' is not an IPv4 address (a.b.c.d)",
                      "8:6: client 'w': missing required key 'port'"}));
    EXPECT_EQ(errors("name: t\nclients:\n  a: {protocol: tcp, port: 23}\n  u: {protocol: udp, port: 9}\n"
                     "steps:\n  - client_connect: b\n  - client_connect: {client: u}\n"
                     "  - server_send: {server: c, text: x}\n  - expect_connect: u\n"),
              (Errors{"6:21: step 1: client 'b' is not declared under clients: (declared: a, u)",
                      "7:21: step 2: client 'u' is a udp client: it has no connection (server_send sends a "
                      "datagram)",
                      "8:27: step 3: server 'c' is not declared under servers: (declared: a, u)",
                      "9:21: step 4: client 'u' is a udp client: it has no connection to expect"}));
    EXPECT_EQ(errors("name: t\nclock: real\nclients:\n  a: {protocol: tcp, port: 23}\nsteps: [power_off]\n"),
              Errors{"4:3: clients: run in virtual time only (remove clock: real)"});
}

} // namespace
} // namespace dtu::sim::scenario
