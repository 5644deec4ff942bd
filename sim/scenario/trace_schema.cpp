// The fields of each trace event kind (see trace_schema.hpp).
#include "sim/scenario/trace_schema.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <string_view>
#include <vector>

#include <QJsonArray>
#include <QJsonDocument>

#include "sim/scenario/address.hpp"
#include "sim/scenario/scenario.hpp"

namespace dtu::sim::scenario {
namespace {

enum class Type : std::uint8_t {
    Text,    ///< a string, may be empty
    Name,    ///< a non-empty string
    Bool,    ///< true or false
    Whole,   ///< a whole number from min to max
    OneOf,   ///< one of the strings in choices ("a|b|c")
    Object,  ///< a JSON object (a patch checked where it is applied)
    Array,   ///< a JSON array
    Digits,  ///< a string of a number 0 .. 2^64-1 (a seed: JSON numbers hold only 2^53 exactly)
    Servers, ///< the header's {NAME: {protocol, address, accept}}
    Brokers, ///< the header's {NAME: {address, users, anonymous, refuse_client_ids}}
};

struct Field {
    std::string_view name;
    Type type;
    bool required = true;
    std::uint64_t min = 0, max = kMaxTraceCount;
    std::string_view choices = {};
};

constexpr Field optional(Field f) {
    f.required = false;
    return f;
}
constexpr Field whole(std::string_view name, std::uint64_t min = 0, std::uint64_t max = kMaxTraceCount) {
    return {name, Type::Whole, true, min, max};
}
constexpr Field one_of(std::string_view name, std::string_view choices) {
    return {name, Type::OneOf, true, 0, 0, choices};
}
constexpr Field of(std::string_view name, Type type) { return {name, type}; }

/// Whether the kind has server, conn and hex at the top level.
enum class Has : std::uint8_t { No, Yes, Maybe };

struct KindRules {
    Has server = Has::No, conn = Has::No, hex = Has::No;
    std::vector<Field> fields;
    bool open = false; ///< more fields allowed (a patch or message the control API's code checks)
};

// Inputs carry "task": how many scheduler tasks had run when they happened (trace_recorder.hpp).
const Field kTask = whole("task");

const std::map<TraceKind, KindRules>& rules() {
    // What World, ScriptedServer and StepRunner record (world.cpp, scripted_server.cpp,
    // step_runner.cpp); to_device has no server and conn from a real peer the scenario does not
    // declare (real time). sms_out is sent_message_to_json (sms_json.cpp).
    static const std::map<TraceKind, KindRules> table{
        {TraceKind::Scenario,
         {.fields = {optional(of("name", Type::Text)), optional(of("file", Type::Text)),
                     optional(of("profile", Type::Name)), of("seed", Type::Digits),
                     optional(one_of("clock", "virtual|real")), optional(of("baud_pacing", Type::Bool)),
                     optional(of("link", Type::Object)), optional(of("radio", Type::Object)),
                     optional(of("servers", Type::Servers)), optional(of("brokers", Type::Brokers)),
                     optional(whole("deadline_us", 1))}}},
        {TraceKind::SerialIn, {.hex = Has::Yes, .fields = {kTask}}},
        {TraceKind::ServerAccept,
         {.server = Has::Yes,
          .conn = Has::Yes,
          // address and protocol: a live trace (dtu-sim --trace) names a server the header lacks.
          .fields = {kTask, of("accept", Type::Bool), optional(of("address", Type::Name)),
                     optional(one_of("protocol", "tcp|udp|http"))}}},
        {TraceKind::ServerSend, {.server = Has::Yes, .conn = Has::Yes, .hex = Has::Yes, .fields = {kTask}}},
        {TraceKind::ServerClose,
         {.server = Has::Yes, .conn = Has::Yes, .fields = {kTask, of("reset", Type::Bool)}}},
        {TraceKind::SmsIn,
         {.fields = {kTask, of("from", Type::Text), of("text", Type::Text),
                     optional(one_of("encoding", "auto|gsm7|ucs2"))}}},
        {TraceKind::Link, {.fields = {kTask}, .open = true}},
        {TraceKind::LinkReset, {.fields = {kTask}}},
        {TraceKind::Radio, {.fields = {kTask}, .open = true}},
        {TraceKind::Power, {.fields = {kTask, of("on", Type::Bool)}}},
        {TraceKind::BrokerPublish,
         {.server = Has::Yes,
          .hex = Has::Maybe,
          .fields = {kTask, of("topic", Type::Name), whole("qos", 0, 2), of("retain", Type::Bool)}}},
        {TraceKind::BrokerState,
         {.server = Has::Yes,
          .fields = {kTask, one_of("state", "up|down|refusing|silent"), whole("code", 1, 5)}}},
        {TraceKind::BrokerDrop, {.server = Has::Yes, .fields = {kTask, of("reset", Type::Bool)}}},
        {TraceKind::ClientConnect,
         {.server = Has::Yes, .conn = Has::Yes, .fields = {kTask, whole("port", 1, 65535)}}},
        {TraceKind::SerialOut, {.hex = Has::Yes, .fields = {}}},
        {TraceKind::NetOpen,
         {.fields = {whole("link", 0, 255), one_of("proto", "tcp|udp"), of("host", Type::Text),
                     whole("port", 0, 65535)}}},
        {TraceKind::NetResult, {.fields = {whole("link", 0, 255), of("result", Type::Name)}}},
        {TraceKind::ToServer, {.server = Has::Yes, .conn = Has::Yes, .hex = Has::Yes, .fields = {}}},
        {TraceKind::ToDevice,
         {.server = Has::Maybe, .conn = Has::Maybe, .hex = Has::Yes, .fields = {whole("link", 0, 255)}}},
        {TraceKind::DeviceClose,
         {.server = Has::Yes,
          .conn = Has::Yes,
          .fields = {of("reset", Type::Bool), optional(of("why", Type::Text))}}},
        {TraceKind::SmsOut,
         {.fields = {whole("seq"), whole("time_ms"), of("to", Type::Text),
                     one_of("encoding", "gsm7|8bit|ucs2"), whole("segments"), of("parts", Type::Array),
                     optional(of("text", Type::Text)), optional(of("text_hex", Type::Text))}}},
        {TraceKind::Reboot, {.fields = {of("cause", Type::Name)}}},
        // broker_trace.cpp: what both kinds of broker peer record.
        {TraceKind::BrokerConnect,
         {.server = Has::Yes,
          .fields = {whole("code", 0, 255), of("client_id", Type::Text), of("username", Type::Text),
                     whole("protocol_level", 0, 255), whole("keepalive_s", 0, 65535),
                     of("clean_session", Type::Bool), of("will", Type::Bool)}}},
        {TraceKind::BrokerMessage,
         {.server = Has::Yes,
          .hex = Has::Maybe,
          .fields = {of("topic", Type::Name), whole("qos", 0, 2), of("retain", Type::Bool),
                     of("will", Type::Bool), of("client_id", Type::Text)}}},
        {TraceKind::BrokerDeliver,
         {.server = Has::Yes,
          .conn = Has::Maybe,
          .hex = Has::Maybe,
          .fields = {of("topic", Type::Name), whole("qos", 0, 2), of("retain", Type::Bool),
                     of("dup", Type::Bool)}}},
        {TraceKind::BrokerSessionEnd,
         {.server = Has::Yes,
          .fields = {of("client_id", Type::Text),
                     one_of("why",
                            "disconnect|peer-closed|reset|keep-alive|protocol|taken-over|broker-dropped")}}},
        {TraceKind::TlsHandshake,
         {.server = Has::Yes,
          .conn = Has::Yes,
          .fields = {of("ok", Type::Bool), optional(of("version", Type::Text)),
                     optional(of("cipher", Type::Text)), optional(of("client_subject", Type::Text)),
                     optional(of("error", Type::Text))}}},
        {TraceKind::Log, {.fields = {whole("level", 0, 3), of("text", Type::Text)}}},
        {TraceKind::Step,
         {.fields = {whole("index"), one_of("result", "start|pass|fail|timeout"),
                     optional(of("kind", Type::Name)), optional(whole("line")),
                     optional(of("message", Type::Text))}}},
    };
    return table;
}

/// A value as a message shows it: JSON, shortened.
std::string shown(const QJsonValue& v) {
    if (v.isDouble()) return QString::number(v.toDouble(), 'g', 17).toStdString();
    QJsonArray wrap{v};
    std::string json = QJsonDocument(wrap).toJson(QJsonDocument::Compact).toStdString();
    json = json.substr(1, json.size() - 2);
    return json.size() > 40 ? json.substr(0, 40) + "..." : json;
}

bool is_whole(const QJsonValue& v, std::uint64_t min, std::uint64_t max) {
    const double d = v.toDouble(-1.0);
    return v.isDouble() && std::floor(d) == d && d >= static_cast<double>(min) &&
           d <= static_cast<double>(max);
}

/// Whether s is one of "a|b|c".
bool is_choice(std::string_view s, std::string_view choices) {
    for (std::size_t at = 0; at <= choices.size();) {
        const std::size_t end = std::min(choices.find('|', at), choices.size());
        if (choices.substr(at, end - at) == s) return true;
        at = end + 1;
    }
    return false;
}

std::string choices_text(std::string_view choices) {
    std::string out;
    for (char c : choices)
        out += c == '|' ? std::string(", ") : std::string(1, c);
    return out;
}

std::string check_servers(const QJsonValue& v);
std::string check_brokers(const QJsonValue& v);

/// "" if v is what the field wants, else what was expected.
std::string expected(const Field& f, const QJsonValue& v) {
    switch (f.type) {
    case Type::Text: return v.isString() ? "" : "a string";
    case Type::Name: return v.isString() && !v.toString().isEmpty() ? "" : "a non-empty string";
    case Type::Bool: return v.isBool() ? "" : "true or false";
    case Type::Whole:
        return is_whole(v, f.min, f.max)
                   ? ""
                   : "a whole number from " + std::to_string(f.min) + " to " + std::to_string(f.max);
    case Type::OneOf:
        return v.isString() && is_choice(v.toString().toStdString(), f.choices)
                   ? ""
                   : "one of " + choices_text(f.choices);
    case Type::Object: return v.isObject() ? "" : "an object";
    case Type::Array: return v.isArray() ? "" : "an array";
    case Type::Digits: {
        bool ok = false;
        if (v.isString()) v.toString().toULongLong(&ok);
        return ok ? "" : "a string of a whole number from 0 to 18446744073709551615";
    }
    case Type::Servers: return check_servers(v);
    case Type::Brokers: return check_brokers(v);
    }
    return "?";
}

std::string field_names(const KindRules& r) {
    std::string names;
    for (const Field& f : r.fields)
        names += (names.empty() ? "" : ", ") + std::string(f.name);
    return names.empty() ? "none" : names;
}

/// The info fields of one object against a list; "" or the first problem.
std::string check_fields(const QJsonObject& info, const std::vector<Field>& fields, bool open,
                         const std::string& what) {
    for (const Field& f : fields) {
        const QJsonValue v =
            info.value(QString::fromUtf8(f.name.data(), static_cast<qsizetype>(f.name.size())));
        if (v.isUndefined() && !f.required) continue;
        if (std::string want = expected(f, v); !want.empty())
            return (f.type == Type::Servers || f.type == Type::Brokers) && v.isObject()
                       ? std::string(f.name) + "." + want
                       : field_error(f.name, want, v);
    }
    if (open) return {};
    for (auto it = info.begin(); it != info.end(); ++it) {
        bool known = false;
        for (const Field& f : fields)
            known = known || it.key().toStdString() == f.name;
        if (!known) return it.key().toStdString() + ": unknown field (" + what + ")";
    }
    return {};
}

// A header's server: {protocol, address, accept} as setup_to_json writes it.
const std::vector<Field> kServerFields{optional(one_of("protocol", "tcp|udp|http|websocket")),
                                       of("address", Type::Name), optional(of("accept", Type::Bool)),
                                       optional(of("tls", Type::Object)),
                                       optional(whole("client_port", 1, 65535))};

/// "" if v is an object of NAME: {fields} with a valid address, else "NAME.field: expected ...,
/// not ..." (or "an object"); more(NAME, object) checks what the fields cannot say.
template <typename More>
std::string check_peers(const QJsonValue& v, const std::vector<Field>& fields, const std::string& what,
                        More more) {
    if (!v.isObject()) return "an object";
    const QJsonObject peers = v.toObject();
    for (auto it = peers.begin(); it != peers.end(); ++it) {
        const std::string name = it.key().toStdString();
        if (!it.value().isObject()) return field_error(name, "an object", it.value());
        const QJsonObject p = it.value().toObject();
        if (std::string problem = check_fields(p, fields, false, what); !problem.empty())
            return name + "." + problem;
        std::string why;
        if (!parse_address(p.value("address").toString().toStdString(), why))
            return name + ".address: " + why;
        if (std::string problem = more(p); !problem.empty()) return name + "." + problem;
    }
    return {};
}

std::string check_servers(const QJsonValue& v) {
    return check_peers(v, kServerFields, "a server has protocol, address, accept",
                       [](const QJsonObject&) { return std::string(); });
}

// A header's broker: {address, users, anonymous, refuse_client_ids} as setup_to_json writes it.
const std::vector<Field> kBrokerFields{
    of("address", Type::Name), optional(of("users", Type::Object)), optional(of("anonymous", Type::Bool)),
    optional(of("refuse_client_ids", Type::Array)), optional(of("tls", Type::Object))};

/// The users and refused client ids of a broker: strings.
std::string check_broker_lists(const QJsonObject& b) {
    const QJsonObject users = b.value("users").toObject();
    for (auto u = users.begin(); u != users.end(); ++u)
        if (!u.value().isString())
            return "users." + field_error(u.key().toStdString(), "a string", u.value());
    for (const QJsonValue id : b.value("refuse_client_ids").toArray())
        if (!id.isString()) return field_error("refuse_client_ids", "a list of strings", id);
    return {};
}

std::string check_brokers(const QJsonValue& v) {
    return check_peers(v, kBrokerFields, "a broker has address, users, anonymous, refuse_client_ids, tls",
                       check_broker_lists);
}

/// Whether the kind's server / conn / hex is there as it must be; "" or the problem.
std::string check_has(std::string_view field, Has has, bool present) {
    if (has == Has::Yes && !present) return std::string(field) + ": missing (this kind always has it)";
    if (has == Has::No && present) return std::string(field) + ": unknown field (this kind has none)";
    return {};
}

} // namespace

std::string check_trace_fields(const TraceEvent& event) {
    const auto found = rules().find(event.kind);
    if (found == rules().end()) return "kind: no rules for " + std::string(trace_kind_name(event.kind));
    const KindRules& r = found->second;
    for (const std::string& problem :
         {check_has("server", r.server, !event.server.empty()), check_has("conn", r.conn, event.conn != 0),
          check_has("hex", r.hex, !event.data.empty())})
        if (!problem.empty()) return problem;
    const std::string what =
        std::string("a ") + trace_kind_name(event.kind) + " event has: " + field_names(r);
    return check_fields(event.info, r.fields, r.open, what);
}

std::string field_error(std::string_view field, std::string_view what, const QJsonValue& v) {
    if (v.isUndefined()) return std::string(field) + ": missing (expected " + std::string(what) + ")";
    return std::string(field) + ": expected " + std::string(what) + ", not " + shown(v);
}

std::uint64_t trace_deadline_us(const QJsonObject& header) {
    const QJsonValue v = header.value("deadline_us");
    if (is_whole(v, 1, kMaxTraceCount)) return static_cast<std::uint64_t>(v.toInteger());
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(kDefaultDeadline).count());
}

} // namespace dtu::sim::scenario
