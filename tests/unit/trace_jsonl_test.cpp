// JSONL traces: every kind round-trips with any bytes, the same events give the same file, and a
// broken file (cut, garbage, wrong fields, wrong order) is reported line by line.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <QJsonArray>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include "sim/scenario/trace_jsonl.hpp"
#include "sim/scenario/trace_text.hpp"

namespace dtu::sim::scenario {
namespace {

std::string all_bytes() {
    std::string b;
    for (int i = 0; i < 256; ++i)
        b += static_cast<char>(i);
    return b;
}

TraceEvent event(std::uint64_t t, TraceKind kind, std::string server = {}, std::uint32_t conn = 0,
                 std::string data = {}, QJsonObject info = {}) {
    return TraceEvent{t, kind, std::move(server), conn, std::move(data), std::move(info)};
}

// One event of every kind, as the runner records them, with the awkward cases: all 256 byte values,
// info keys the event's own fields take (a step's "kind", a log line's "text"), nested JSON, the
// largest time a trace holds.
std::vector<TraceEvent> every_kind() {
    const QJsonObject servers{
        {"echo", QJsonObject{{"protocol", "tcp"}, {"address", "server.example:9000"}}},
        {"pc1", QJsonObject{{"protocol", "tcp"}, {"address", "192.168.0.50:40001"}, {"client_port", 23}}}};
    const QJsonObject part{{"seq", 1}, {"total", 1}, {"ref", 0}, {"text", "a\"b"}};
    const QJsonObject brokers{{"hub", QJsonObject{{"address", "mqtt.example:1883"},
                                                  {"users", QJsonObject{{"dev", "pw"}}},
                                                  {"anonymous", false},
                                                  {"refuse_client_ids", QJsonArray{"x"}}}}};
    return {
        event(0, TraceKind::Scenario, {}, 0, {},
              {{"name", "echo"},
               {"seed", "7"},
               {"servers", servers},
               {"brokers", brokers},
               {"deadline_us", 9007199254740992.0}}),
        event(10, TraceKind::SerialIn, {}, 0, all_bytes(), {{"task", 0}}),
        event(20, TraceKind::ServerAccept, "echo", 1, {}, {{"accept", true}, {"task", 3}}),
        event(30, TraceKind::ServerSend, "echo", 1, std::string("\0\xff", 2), {{"task", 3}}),
        event(40, TraceKind::ServerClose, "echo", 1, {}, {{"reset", true}, {"task", 4}}),
        event(50, TraceKind::SmsIn, {}, 0, {},
              {{"from", "+8613800000000"}, {"text", "hi"}, {"encoding", "gsm7"}, {"task", 5}}),
        event(60, TraceKind::Link, {}, 0, {}, {{"latency_ms", 100}, {"task", 5}}),
        event(70, TraceKind::LinkReset, {}, 0, {}, {{"task", 6}}),
        event(80, TraceKind::Radio, {}, 0, {}, {{"rssi", -75}, {"task", 7}}),
        event(90, TraceKind::Power, {}, 0, {}, {{"on", false}, {"task", 9007199254740992.0}}),
        event(91, TraceKind::BrokerPublish, "hub", 0, all_bytes(),
              {{"topic", "a/b"}, {"qos", 2}, {"retain", true}, {"task", 9007199254740992.0}}),
        event(92, TraceKind::BrokerPublish, "hub", 0, {},
              {{"topic", "a/b"}, {"qos", 0}, {"retain", true}, {"task", 9007199254740992.0}}),
        event(93, TraceKind::BrokerState, "hub", 0, {},
              {{"state", "refusing"}, {"code", 5}, {"task", 9007199254740992.0}}),
        event(94, TraceKind::BrokerDrop, "hub", 0, {}, {{"reset", true}, {"task", 9007199254740992.0}}),
        event(95, TraceKind::ClientConnect, "pc1", 5, {}, {{"port", 23}, {"task", 9007199254740992.0}}),
        event(100, TraceKind::SerialOut, {}, 0, "\r\nOK\r\n"),
        event(110, TraceKind::NetOpen, {}, 0, {},
              {{"link", 0}, {"proto", "tcp"}, {"host", "a"}, {"port", 9000}}),
        event(120, TraceKind::NetResult, {}, 0, {}, {{"link", 0}, {"result", "connected"}}),
        event(130, TraceKind::ToServer, "echo", 1, all_bytes()),
        event(140, TraceKind::ToDevice, "echo", 4294967295u, "x", {{"link", 1}}),
        event(150, TraceKind::DeviceClose, "echo", 2, {}, {{"reset", false}, {"why", "AT+SOCKAEN=OFF"}}),
        event(160, TraceKind::SmsOut, {}, 0, {},
              {{"seq", 1},
               {"time_ms", 160},
               {"to", "+1"},
               {"text", "a\"b"},
               {"encoding", "ucs2"},
               {"segments", 1},
               {"parts", QJsonArray{part}}}),
        event(170, TraceKind::Reboot, {}, 0, {}, {{"cause", "RSTIM"}}),
        event(170, TraceKind::BrokerConnect, "hub", 0, {},
              {{"code", 0},
               {"client_id", "dev1"},
               {"username", ""},
               {"protocol_level", 3},
               {"keepalive_s", 60},
               {"clean_session", true},
               {"will", true}}),
        event(170, TraceKind::BrokerMessage, "hub", 0, "offline",
              {{"topic", "/will"}, {"qos", 0}, {"retain", true}, {"will", true}, {"client_id", "dev1"}}),
        event(170, TraceKind::BrokerDeliver, "hub", 3, all_bytes(),
              {{"topic", "/SubTopic1"}, {"qos", 1}, {"retain", false}, {"dup", true}}),
        event(170, TraceKind::BrokerSessionEnd, "hub", 0, {}, {{"client_id", "dev1"}, {"why", "keep-alive"}}),
        event(170, TraceKind::Log, {}, 0, {}, {{"level", 1}, {"text", "boot"}}),
        event(9007199254740992ull, TraceKind::Step, {}, 0, {},
              {{"index", 3}, {"kind", "serial_expect"}, {"line", 12}, {"result", "pass"}}),
    };
}

class JsonlTrace : public ::testing::Test {
protected:
    std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

    std::string write(const char* name, const std::vector<TraceEvent>& events) const {
        JsonlTraceWriter writer;
        std::string error;
        EXPECT_TRUE(writer.open(path(name), error)) << error;
        for (const TraceEvent& e : events)
            writer.write(e);
        EXPECT_TRUE(writer.close(error)) << error;
        return read_file(name);
    }
    std::string read_file(const char* name) const {
        std::ifstream in(path(name), std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    void put_file(const char* name, const std::string& content) const {
        std::ofstream(path(name), std::ios::binary) << content;
    }
    // The errors of reading content, with the temporary directory taken out of them.
    std::vector<std::string> errors_of(const std::string& content) const {
        put_file("t.jsonl", content);
        std::vector<std::string> errors = read_jsonl_trace(path("t.jsonl")).errors;
        const std::string dir = dir_.path().toStdString() + "/";
        for (std::string& e : errors)
            if (e.starts_with(dir)) e.erase(0, dir.size());
        return errors;
    }

    QTemporaryDir dir_;
};

TEST_F(JsonlTrace, EveryKindRoundTripsExactly) {
    const std::vector<TraceEvent> events = every_kind();
    write("t.jsonl", events);
    const TraceReadResult read = read_jsonl_trace(path("t.jsonl"));
    EXPECT_TRUE(read.errors.empty()) << read.errors.front();
    ASSERT_EQ(read.events.size(), events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
        SCOPED_TRACE(trace_kind_name(events[i].kind));
        EXPECT_EQ(read.events[i].t_us, events[i].t_us);
        EXPECT_EQ(read.events[i].kind, events[i].kind);
        EXPECT_EQ(read.events[i].server, events[i].server);
        EXPECT_EQ(read.events[i].conn, events[i].conn);
        EXPECT_EQ(read.events[i].data, events[i].data);
        EXPECT_EQ(read.events[i].info, events[i].info);
    }
}

TEST_F(JsonlTrace, LinesAreCompactSortedAndReadable) {
    const std::string line = trace_event_json(event(1500000, TraceKind::ToServer, "echo", 1, "hi\r\n"));
    EXPECT_EQ(
        line,
        R"({"conn":1,"hex":"68690d0a","kind":"to_server","server":"echo","t_us":1500000,"text":"hi\\r\\n"})");
    const std::string log =
        trace_event_json(event(5, TraceKind::Log, {}, 0, {}, {{"text", "x"}, {"level", "warn"}}));
    EXPECT_EQ(log, R"({"kind":"log","level":"warn","t_us":5,"text":"x"})");
    const std::string step =
        trace_event_json(event(6, TraceKind::Step, {}, 0, {}, {{"kind", "at"}, {"index", 0}}));
    EXPECT_EQ(step, R"({"index":0,"info":{"kind":"at"},"kind":"step","t_us":6})");
}

TEST_F(JsonlTrace, SameEventsGiveTheSameBytes) {
    const std::string first = write("a.jsonl", every_kind());
    const std::string second = write("b.jsonl", every_kind());
    EXPECT_FALSE(first.empty());
    EXPECT_EQ(first, second);
    EXPECT_EQ(std::count(first.begin(), first.end(), '\n'), static_cast<long>(every_kind().size()));
}

TEST_F(JsonlTrace, CutLastLineIsReportedAndTheRestKept) {
    const std::string whole = write("w.jsonl", every_kind());
    const std::string cut = whole.substr(0, whole.size() - 30);
    put_file("cut.jsonl", cut);
    const TraceReadResult read = read_jsonl_trace(path("cut.jsonl"));
    ASSERT_EQ(read.errors.size(), 1u);
    EXPECT_EQ(read.errors[0].rfind(path("cut.jsonl") + ":" + std::to_string(every_kind().size()) +
                                       ": not a JSON object (the file is cut in the middle?): column ",
                                   0),
              0u)
        << read.errors[0];
    EXPECT_EQ(read.events.size(), every_kind().size() - 1);
}

// The smallest valid header, and a valid log line at a time.
const std::string kHeader = R"({"kind":"scenario","seed":"1","t_us":0})"
                            "\n";
std::string log_at(std::uint64_t t_us) {
    return R"({"kind":"log","level":1,"t_us":)" + std::to_string(t_us) + R"(,"text":"x"})" + "\n";
}

TEST_F(JsonlTrace, GarbageLinesAreNamedByLine) {
    const std::string& header = kHeader;
    EXPECT_EQ(errors_of(header + "hello\n" + log_at(1)),
              (std::vector<std::string>{"t.jsonl:2: not a JSON object: column 2: illegal value"}));
    EXPECT_EQ(errors_of(header + "[1,2]\n"), (std::vector<std::string>{"t.jsonl:2: not a JSON object"}));
    EXPECT_EQ(
        errors_of(header + "\n"),
        (std::vector<std::string>{"t.jsonl:2: empty line (a trace has one JSON object on every line)"}));
    EXPECT_EQ(errors_of(""), (std::vector<std::string>{"t.jsonl: no events (the file is empty)"}));
}

TEST_F(JsonlTrace, BadFieldsAreNamed) {
    const std::string& header = kHeader;
    auto second_line = [&](const std::string& line) {
        const std::vector<std::string> errors = errors_of(header + line + "\n");
        return errors.size() == 1 ? errors[0] : "(" + std::to_string(errors.size()) + " errors)";
    };
    constexpr const char* kKind =
        "kind: expected an event kind (serial_in, to_server, ...: scenarios/README.md \"Traces\")";
    constexpr const char* kTime = "t_us: expected a whole number of microseconds from 0 to 9007199254740992";
    EXPECT_EQ(second_line(R"({"kind":"teleport","t_us":1})"),
              std::string("t.jsonl:2: ") + kKind + ", not \"teleport\"");
    EXPECT_EQ(
        second_line(R"({"t_us":1})"),
        "t.jsonl:2: kind: missing (expected an event kind (serial_in, to_server, ...: scenarios/README.md "
        "\"Traces\"))");
    EXPECT_EQ(
        second_line(R"({"kind":"log"})"),
        "t.jsonl:2: t_us: missing (expected a whole number of microseconds from 0 to 9007199254740992)");
    EXPECT_EQ(second_line(R"({"kind":"log","t_us":"1"})"),
              std::string("t.jsonl:2: ") + kTime + ", not \"1\"");
    EXPECT_EQ(second_line(R"({"kind":"log","t_us":1.5})"), std::string("t.jsonl:2: ") + kTime + ", not 1.5");
    EXPECT_EQ(second_line(R"({"kind":"log","t_us":-1})"), std::string("t.jsonl:2: ") + kTime + ", not -1");
    EXPECT_EQ(second_line(R"({"kind":"serial_in","t_us":1,"hex":"0g","task":0})"),
              "t.jsonl:2: hex: 'g' at position 2 is not a hex digit");
    EXPECT_EQ(second_line(R"({"kind":"serial_in","t_us":1,"hex":"abc","task":0})"),
              "t.jsonl:2: hex: an odd number of hex digits (3): two digits per byte");
    EXPECT_EQ(second_line(R"({"kind":"serial_in","t_us":1,"hex":"68 69","task":0,"text":"hi"})"),
              "(0 errors)")
        << "hex as scenario files write it (spaces between bytes) is read too";
    EXPECT_EQ(second_line(R"({"kind":"serial_in","t_us":1,"hex":"  ","task":0})"),
              "t.jsonl:2: hex: expected a non-empty string of hex digits, not \"  \"");
    EXPECT_EQ(second_line(R"({"kind":"serial_in","t_us":1,"hex":7,"task":0})"),
              "t.jsonl:2: hex: expected a non-empty string of hex digits, not 7");
    EXPECT_EQ(second_line(R"({"kind":"serial_in","t_us":1,"hex":"6869","task":0,"text":"ho"})"),
              "t.jsonl:2: text: does not match hex (hex is what counts: edit both, or drop text)");
    EXPECT_EQ(second_line(R"({"kind":"to_server","t_us":1,"server":"e","conn":0})"),
              "t.jsonl:2: conn: expected a whole number from 1 to 4294967295, not 0");
    EXPECT_EQ(second_line(R"({"kind":"to_server","t_us":1,"server":7})"),
              "t.jsonl:2: server: expected a non-empty string, not 7");
    EXPECT_EQ(second_line(R"({"kind":"log","t_us":1,"info":3})"),
              "t.jsonl:2: info: expected an object, not 3");
}

// Every field of every kind is checked for its type and range; each bad value is named with its
// line, its field and what it must be (a task of 1e300 was once cast to an integer: undefined).
TEST_F(JsonlTrace, EveryFieldOfEveryKindIsChecked) {
    struct Case {
        const char* line;
        const char* error; // after "t.jsonl:2: "
    };
    const std::vector<Case> cases{
        // inputs: task
        {R"({"hex":"61","kind":"serial_in","t_us":1,"task":1e300})",
         "task: expected a whole number from 0 to 9007199254740992, not 1.0000000000000001e+300"},
        {R"({"hex":"61","kind":"serial_in","t_us":1,"task":-5})",
         "task: expected a whole number from 0 to 9007199254740992, not -5"},
        {R"({"hex":"61","kind":"serial_in","t_us":1,"task":"x"})",
         "task: expected a whole number from 0 to 9007199254740992, not \"x\""},
        {R"({"hex":"61","kind":"serial_in","t_us":1,"task":null})",
         "task: expected a whole number from 0 to 9007199254740992, not null"},
        {R"({"hex":"61","kind":"serial_in","t_us":1,"task":0.5})",
         "task: expected a whole number from 0 to 9007199254740992, not 0.5"},
        {R"({"hex":"61","kind":"serial_in","t_us":1})",
         "task: missing (expected a whole number from 0 to 9007199254740992)"},
        {R"({"kind":"serial_in","t_us":1,"task":0})", "hex: missing (this kind always has it)"},
        {R"({"hex":"61","kind":"serial_in","server":"e","t_us":1,"task":0})",
         "server: unknown field (this kind has none)"},
        {R"({"hex":"61","kind":"serial_in","t_us":1,"task":0,"x":1})",
         "x: unknown field (a serial_in event has: task)"},
        {R"({"accept":1,"conn":1,"kind":"server_accept","server":"e","t_us":1,"task":0})",
         "accept: expected true or false, not 1"},
        {R"({"accept":true,"kind":"server_accept","server":"e","t_us":1,"task":0})",
         "conn: missing (this kind always has it)"},
        {R"({"conn":1,"kind":"server_send","t_us":1,"task":0,"hex":"61"})",
         "server: missing (this kind always has it)"},
        {R"({"conn":1,"kind":"server_close","server":"e","t_us":1,"task":0})",
         "reset: missing (expected true or false)"},
        {R"({"from":"1","kind":"sms_in","t_us":1,"task":0,"text":5})", "text: expected a string, not 5"},
        {R"({"encoding":"utf8","from":"1","kind":"sms_in","t_us":1,"task":0,"text":""})",
         "encoding: expected one of auto, gsm7, ucs2, not \"utf8\""},
        {R"({"kind":"link_reset","t_us":1,"task":0,"why":"x"})",
         "why: unknown field (a link_reset event has: task)"},
        {R"({"kind":"link","t_us":1})", "task: missing (expected a whole number from 0 to 9007199254740992)"},
        {R"({"kind":"radio","t_us":1,"task":true})",
         "task: expected a whole number from 0 to 9007199254740992, not true"},
        {R"({"kind":"power","on":"yes","t_us":1,"task":0})", "on: expected true or false, not \"yes\""},
        // outputs
        {R"({"kind":"serial_out","t_us":1})", "hex: missing (this kind always has it)"},
        {R"({"host":"a","kind":"net_open","link":256,"port":1,"proto":"tcp","t_us":1})",
         "link: expected a whole number from 0 to 255, not 256"},
        {R"({"host":"a","kind":"net_open","link":0,"port":65536,"proto":"tcp","t_us":1})",
         "port: expected a whole number from 0 to 65535, not 65536"},
        {R"({"host":"a","kind":"net_open","link":0,"port":1,"proto":"sctp","t_us":1})",
         "proto: expected one of tcp, udp, not \"sctp\""},
        {R"({"host":"a","kind":"net_open","link":0,"port":1,"proto":"tcp|udp","t_us":1})",
         "proto: expected one of tcp, udp, not \"tcp|udp\""},
        {R"({"kind":"net_result","link":0,"result":"","t_us":1})",
         "result: expected a non-empty string, not \"\""},
        {R"({"conn":1,"hex":"61","kind":"to_server","server":"e","t_us":1,"task":0})",
         "task: unknown field (a to_server event has: none)"},
        {R"({"conn":1,"hex":"61","kind":"to_device","link":-1,"t_us":1})",
         "link: expected a whole number from 0 to 255, not -1"},
        {R"({"conn":1,"kind":"device_close","reset":false,"server":"e","t_us":1,"why":[]})",
         "why: expected a string, not []"},
        {R"({"encoding":"gsm7","kind":"sms_out","parts":{},"segments":1,"seq":1,"t_us":1,"time_ms":0,"to":"1"})",
         "parts: expected an array, not {}"},
        {R"({"cause":"","kind":"reboot","t_us":1})", "cause: expected a non-empty string, not \"\""},
        {R"({"kind":"log","level":4,"t_us":1,"text":"x"})",
         "level: expected a whole number from 0 to 3, not 4"},
        {R"({"index":1,"kind":"step","result":"maybe","t_us":1})",
         "result: expected one of start, pass, fail, timeout, not \"maybe\""},
        // broker events
        {R"({"kind":"broker_publish","qos":3,"retain":false,"server":"hub","t_us":1,"task":0,"topic":"a"})",
         "qos: expected a whole number from 0 to 2, not 3"},
        {R"({"kind":"broker_publish","qos":0,"retain":false,"t_us":1,"task":0,"topic":"a"})",
         "server: missing (this kind always has it)"},
        {R"({"code":3,"kind":"broker_state","server":"hub","state":"asleep","t_us":1,"task":0})",
         "state: expected one of up, down, refusing, silent, not \"asleep\""},
        {R"({"kind":"broker_drop","server":"hub","t_us":1})",
         "task: missing (expected a whole number from 0 to 9007199254740992)"},
        {R"({"clean_session":true,"client_id":"c","code":256,"keepalive_s":60,"kind":"broker_connect","protocol_level":4,"server":"hub","t_us":1,"username":"","will":false})",
         "code: expected a whole number from 0 to 255, not 256"},
        {R"({"client_id":"c","kind":"broker_message","qos":0,"retain":false,"server":"hub","t_us":1,"topic":"","will":false})",
         "topic: expected a non-empty string, not \"\""},
        {R"({"dup":1,"kind":"broker_deliver","qos":0,"retain":false,"server":"hub","t_us":1,"topic":"a"})",
         "dup: expected true or false, not 1"},
        {R"({"client_id":"c","kind":"broker_session_end","server":"hub","t_us":1,"why":"bored"})",
         "why: expected one of disconnect, peer-closed, reset, keep-alive, protocol, taken-over, "
         "broker-dropped, not \"bored\""},
        {R"({"index":1.5,"kind":"step","result":"pass","t_us":1})",
         "index: expected a whole number from 0 to 9007199254740992, not 1.5"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.line);
        EXPECT_EQ(errors_of(kHeader + c.line + "\n"),
                  (std::vector<std::string>{std::string("t.jsonl:2: ") + c.error}));
    }
}

// The header's fields, and the rules that bound a replay: no event past the deadline, the inputs'
// task count never going back.
TEST_F(JsonlTrace, HeaderFieldsAndBoundsAreChecked) {
    const std::vector<std::pair<std::string, std::string>> headers{
        {R"({"kind":"scenario","seed":7,"t_us":0})",
         "seed: expected a string of a whole number from 0 to 18446744073709551615, not 7"},
        {R"({"kind":"scenario","seed":"-1","t_us":0})",
         "seed: expected a string of a whole number from 0 to 18446744073709551615, not \"-1\""},
        {R"({"clock":"wall","kind":"scenario","seed":"1","t_us":0})",
         "clock: expected one of virtual, real, not \"wall\""},
        {R"({"deadline_us":0,"kind":"scenario","seed":"1","t_us":0})",
         "deadline_us: expected a whole number from 1 to 9007199254740992, not 0"},
        {R"({"kind":"scenario","link":[],"seed":"1","t_us":0})", "link: expected an object, not []"},
        {R"({"kind":"scenario","seed":"1","servers":{"e":{"address":"x"}},"t_us":0})",
         "servers.e.address: 'x' is not host:port (e.g. server.example:9000 or 10.0.0.5:80)"},
        {R"({"kind":"scenario","seed":"1","servers":{"e":{"address":"a:1","protocol":"ftp"}},"t_us":0})",
         "servers.e.protocol: expected one of tcp, udp, http, websocket, not \"ftp\""},
        {R"({"kind":"scenario","seed":"1","servers":{"e":3},"t_us":0})",
         "servers.e: expected an object, not 3"},
        {R"({"brokers":{"b":{"address":"x"}},"kind":"scenario","seed":"1","t_us":0})",
         "brokers.b.address: 'x' is not host:port (e.g. server.example:9000 or 10.0.0.5:80)"},
        {R"({"brokers":{"b":{"address":"a:1","users":{"u":1}}},"kind":"scenario","seed":"1","t_us":0})",
         "brokers.b.users.u: expected a string, not 1"},
        {R"({"brokers":{"b":{"address":"a:1","x":true}},"kind":"scenario","seed":"1","t_us":0})",
         "brokers.b.x: unknown field (a broker has address, users, anonymous, refuse_client_ids, tls)"},
        {R"({"brokers":{"b":{"address":"a:1","tls":true}},"kind":"scenario","seed":"1","t_us":0})",
         "brokers.b.tls: expected an object, not true"},
        {R"({"brokers":[],"kind":"scenario","seed":"1","t_us":0})", "brokers: expected an object, not []"},
        {R"({"kind":"scenario","seed":"1","t_us":0,"x":1})",
         "x: unknown field (a scenario event has: name, file, profile, seed, clock, baud_pacing, link, "
         "radio, "
         "servers, brokers, deadline_us)"},
    };
    for (const auto& [header, error] : headers) {
        SCOPED_TRACE(header);
        EXPECT_EQ(errors_of(header + "\n"), (std::vector<std::string>{"t.jsonl:1: " + error}));
    }
    // 2^53 us is a valid time, but past the default deadline of a header without one (1 h).
    EXPECT_EQ(
        errors_of(kHeader + log_at(3600000000) +
                  R"({"kind":"log","level":1,"t_us":9007199254740992,"text":"x"})" + "\n"),
        (std::vector<std::string>{
            "t.jsonl:3: t_us: 9007199254740992 (9007199254.740992 s) is past the scenario's deadline "
            "(3600.000000 s, deadline_us in the header; 1 h when it has none): a run never goes past it"}));
    EXPECT_EQ(
        errors_of(R"({"deadline_us":5,"kind":"scenario","seed":"1","t_us":0})"
                  "\n" +
                  log_at(5) + log_at(6)),
        (std::vector<std::string>{"t.jsonl:3: t_us: 6 (0.000006 s) is past the scenario's deadline "
                                  "(0.000005 s, deadline_us in the header; 1 h when it has none): a run "
                                  "never goes past it"}));
    EXPECT_EQ(
        errors_of(kHeader + R"({"hex":"61","kind":"serial_in","t_us":1,"task":9})" + "\n" +
                  R"({"hex":"61","kind":"serial_in","t_us":2,"task":8})" + "\n"),
        (std::vector<std::string>{"t.jsonl:3: task: 8 after 9 (the count of tasks run never goes back)"}));
}

TEST_F(JsonlTrace, OrderRulesAreChecked) {
    EXPECT_EQ(errors_of(log_at(0)),
              (std::vector<std::string>{"t.jsonl:1: the first event must be the scenario header, not log"}));
    EXPECT_EQ(errors_of(kHeader + log_at(9) + log_at(8)),
              (std::vector<std::string>{"t.jsonl:3: time goes backwards: t_us 8 after 9"}));
    EXPECT_EQ(errors_of(kHeader + kHeader),
              (std::vector<std::string>{"t.jsonl:2: a second scenario header (two traces in one file?)"}));
}

TEST_F(JsonlTrace, ManyBadLinesStopAtALimit) {
    std::string content = kHeader;
    for (int i = 0; i < 50; ++i)
        content += "x\n";
    const std::vector<std::string> errors = errors_of(content);
    ASSERT_EQ(errors.size(), 21u);
    EXPECT_EQ(errors.back(), "t.jsonl: 30 more errors not shown");
}

TEST_F(JsonlTrace, MissingFileIsAnError) {
    const TraceReadResult read = read_jsonl_trace(path("none.jsonl"));
    ASSERT_EQ(read.errors.size(), 1u);
    EXPECT_EQ(read.errors[0], path("none.jsonl") + ": cannot open: No such file or directory");
    JsonlTraceWriter writer;
    std::string error;
    EXPECT_FALSE(writer.open(path("no/such/dir.jsonl"), error));
    EXPECT_EQ(error, path("no/such/dir.jsonl") + ": cannot create: No such file or directory");
}

TEST_F(JsonlTrace, ASymlinkAtTheTracePathIsRefusedAndItsTargetKept) {
    { std::ofstream(path("notes.txt")) << "precious"; }
    std::filesystem::create_symlink(path("notes.txt"), path("t.jsonl"));
    JsonlTraceWriter writer;
    std::string error;
    EXPECT_FALSE(writer.open(path("t.jsonl"), error));
    EXPECT_EQ(error, path("t.jsonl") + ": is a symlink, not written through");
    std::ifstream in(path("notes.txt"));
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "precious");
}

TEST(TraceText, DescribesAnEventOnOneLine) {
    EXPECT_EQ(describe_event(event(12345678, TraceKind::ToServer, "echo", 1, "hi\r\n")),
              R"(12.345678 s  to_server echo#1  "hi\r\n" (4 bytes))");
    EXPECT_EQ(
        describe_event(event(500000, TraceKind::NetResult, {}, 0, {}, {{"link", 0}, {"result", "Refused"}})),
        R"(0.500000 s  net_result  {"link":0,"result":"Refused"})");
    EXPECT_EQ(describe_event(event(1, TraceKind::SerialOut, {}, 0, std::string("\"\\\0\x7f", 4))),
              R"(0.000001 s  serial_out  "\"\\\x00\x7f" (4 bytes))");
    const std::string long_line = describe_event(event(0, TraceKind::SerialIn, {}, 0, std::string(100, 'a')));
    EXPECT_EQ(long_line, "0.000000 s  serial_in  \"" + std::string(64, 'a') + "\"... (100 bytes)");
}

TEST(TraceText, ReadableBytesEscapeWhatIsNotPrintable) {
    EXPECT_EQ(readable_bytes(std::string("a\tb\\\x01\xff", 6)), R"(a\tb\\\x01\xff)");
}

TEST(TraceKinds, NamesParseBackAndInputsAndOutputsAreApart) {
    int inputs = 0;
    int outputs = 0;
    for (int i = 0; i <= static_cast<int>(TraceKind::Step); ++i) {
        const auto kind = static_cast<TraceKind>(i);
        TraceKind parsed = TraceKind::Log;
        EXPECT_TRUE(parse_trace_kind(trace_kind_name(kind), parsed)) << i;
        EXPECT_EQ(parsed, kind);
        EXPECT_FALSE(is_trace_input(kind) && is_trace_output(kind)) << trace_kind_name(kind);
        inputs += is_trace_input(kind) ? 1 : 0;
        outputs += is_trace_output(kind) ? 1 : 0;
    }
    EXPECT_EQ(inputs, 13);
    EXPECT_EQ(outputs, 13);
    EXPECT_TRUE(is_trace_output(TraceKind::TlsHandshake));
    EXPECT_STREQ(trace_kind_name(TraceKind::TlsHandshake), "tls_handshake");
    EXPECT_STREQ(trace_kind_name(TraceKind::ServerAccept), "server_accept");
    EXPECT_TRUE(is_trace_input(TraceKind::Power));
    EXPECT_TRUE(is_trace_output(TraceKind::Reboot));
    EXPECT_TRUE(is_trace_input(TraceKind::BrokerDrop));
    EXPECT_TRUE(is_trace_input(TraceKind::ClientConnect));
    EXPECT_STREQ(trace_kind_name(TraceKind::ClientConnect), "client_connect");
    EXPECT_TRUE(is_trace_output(TraceKind::BrokerSessionEnd));
    EXPECT_FALSE(is_trace_input(TraceKind::Step) || is_trace_output(TraceKind::Step));
    TraceKind k{};
    EXPECT_FALSE(parse_trace_kind("Serial_In", k));
}

} // namespace
} // namespace dtu::sim::scenario
