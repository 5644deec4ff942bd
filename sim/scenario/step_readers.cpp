// The step kinds of scenarios/README.md "Steps": what each accepts, read into its Action.
#include <algorithm>
#include <cctype>

#include "sim/json_codec.hpp"
#include "sim/scenario/api_patch.hpp"
#include "sim/scenario/pattern.hpp"
#include "sim/scenario/scripted_server.hpp"
#include "sim/scenario/server_parser.hpp"
#include "sim/scenario/step_args.hpp"
#include "sim/scenario/suggest.hpp"
#include "sim/scenario/yaml_json.hpp"

namespace dtu::sim::scenario {
namespace {

using Result = std::optional<Action>;
constexpr Duration kDefaultOffTime{1000}; // power_cycle: scenarios/README.md "Steps"

template <typename T> Result all_set(T&& action, bool ok) {
    return ok ? Result(std::forward<T>(action)) : std::nullopt;
}

Result serial_write(const StepArgs& a) {
    auto bytes = a.map ? bytes_from(a.ctx, *a.map) : read_bytes(a.ctx, a.value, a.pos);
    return all_set(SerialWrite{bytes.value_or("")}, bytes.has_value());
}

Result serial_expect(const StepArgs& a) {
    auto pattern = a.map ? pattern_from(a.ctx, *a.map) : read_pattern(a.ctx, a.value, a.pos);
    const auto timeout = a.timeout();
    return all_set(SerialExpect{pattern.value_or(Pattern{}), timeout.value_or(kDefaultTimeout)},
                   pattern && timeout);
}

Result command_mode(const StepArgs& a) {
    if (!a.no_value("nothing or {timeout: ...}")) return std::nullopt;
    const auto timeout = a.timeout();
    return all_set(CommandMode{timeout.value_or(kDefaultTimeout)}, timeout.has_value());
}

/// An AT command line: starts with AT (any case), one line (the runner adds the \r).
bool valid_command(const Context& ctx, SourcePos pos, const std::string& command) {
    const bool at = command.size() >= 2 && std::toupper(static_cast<unsigned char>(command[0])) == 'A' &&
                    std::toupper(static_cast<unsigned char>(command[1])) == 'T';
    if (!at)
        ctx.error(pos, "'" + command + "' is not an AT command (it must start with AT)");
    else if (command.find_first_of("\r\n") != std::string::npos)
        ctx.error(pos, "an AT command is one line: leave out \\r and \\n (the step adds \\r)");
    return at && command.find_first_of("\r\n") == std::string::npos;
}

Result at_command(const StepArgs& a) {
    AtCommand at{{}, Pattern{Pattern::Kind::Text, "OK", "OK"}, kDefaultTimeout};
    if (!a.map) {
        if (!a.value.IsScalar())
            return a.ctx.error(a.pos, "expected an AT command, found " + describe(a.value)), std::nullopt;
        at.command = a.value.Scalar();
        return all_set(std::move(at), valid_command(a.ctx, a.pos, at.command));
    }
    bool ok = true;
    if (const Field* f = a.map->require("command")) {
        const auto command = read_string(a.ctx, *f);
        ok = command && valid_command(f->in(a.ctx), f->pos(), *command);
        at.command = command.value_or("");
    } else {
        ok = false;
    }
    if (const Field* f = a.map->find("expect")) {
        auto expect = read_pattern(f->in(a.ctx), f->value, f->pos());
        ok = ok && expect.has_value();
        if (expect) at.expect = std::move(*expect);
    }
    const auto timeout = a.timeout();
    at.timeout = timeout.value_or(kDefaultTimeout);
    return all_set(std::move(at), ok && timeout);
}

Result server_expect(const StepArgs& a) {
    if (!a.map)
        return a.ctx.error(a.pos, "expected {server, text|regex|hex, timeout}, found " + describe(a.value)),
               std::nullopt;
    const ServerSpec* server = a.server();
    auto pattern = pattern_from(a.ctx, *a.map);
    const auto timeout = a.timeout();
    return all_set(ServerExpect{server ? server->name : "", pattern.value_or(Pattern{}),
                                timeout.value_or(kDefaultTimeout)},
                   server && pattern && timeout);
}

Result expect_connect(const StepArgs& a) {
    const ServerSpec* server = a.server();
    if (server && server->client && server->protocol == ServerSpec::Protocol::Udp) {
        a.ctx.error(a.pos, "client '" + server->name + "' is a udp client: it has no connection to expect");
        server = nullptr;
    }
    const auto timeout = a.timeout();
    return all_set(ExpectConnect{server ? server->name : "", timeout.value_or(kDefaultTimeout)},
                   server && timeout);
}

Result expect_disconnect(const StepArgs& a) {
    const ServerSpec* server = a.server();
    const auto timeout = a.timeout();
    const bool ok = server && !a.reject_udp(*server, "close") && timeout;
    return all_set(ExpectDisconnect{server ? server->name : "", timeout.value_or(kDefaultTimeout)}, ok);
}

Result server_send(const StepArgs& a) {
    if (!a.map)
        return a.ctx.error(a.pos, "expected {server, text|hex}, found " + describe(a.value)), std::nullopt;
    const ServerSpec* server = a.server();
    auto bytes = bytes_from(a.ctx, *a.map);
    if (bytes && bytes->size() > kMaxServerSendBytes) {
        const Field* f = a.map->find("text") ? a.map->find("text") : a.map->find("hex");
        f->in(a.ctx).error(f->pos(), std::to_string(bytes->size()) +
                                         " bytes are more than one send can take: at most " +
                                         std::to_string(kMaxServerSendBytes) +
                                         " (1 MiB, what a connection queues towards the device); split them "
                                         "into several server_send steps with time between them");
        bytes.reset();
    }
    return all_set(ServerSend{server ? server->name : "", bytes.value_or("")}, server && bytes);
}

Result server_close(const StepArgs& a) {
    const ServerSpec* server = a.server();
    bool ok = server && !a.reject_udp(*server, "close");
    ServerClose close{server ? server->name : "", false};
    if (const Field* f = a.map ? a.map->find("reset") : nullptr) {
        const auto reset = read_bool(a.ctx, *f);
        ok = ok && reset;
        close.reset = reset.value_or(false);
    }
    return all_set(std::move(close), ok);
}

Result client_connect(const StepArgs& a) {
    const ServerSpec* client = a.client();
    if (client && client->protocol == ServerSpec::Protocol::Udp) {
        a.ctx.error(a.pos, "client '" + client->name +
                               "' is a udp client: it has no connection (server_send sends a datagram)");
        client = nullptr;
    }
    return all_set(ClientConnect{client ? client->name : ""}, client != nullptr);
}

Result server_accept(const StepArgs& a) {
    if (!a.map)
        return a.ctx.error(a.pos, "expected {server, accept: true|false}, found " + describe(a.value)),
               std::nullopt;
    const ServerSpec* server = a.server();
    ServerAccept accept{server ? server->name : "", true};
    bool ok = server && !a.reject_udp(*server, "accept");
    if (const Field* f = a.map->require("accept")) {
        const auto value = read_bool(a.ctx, *f);
        ok = ok && value.has_value();
        accept.accept = value.value_or(true);
    } else {
        ok = false;
    }
    return all_set(std::move(accept), ok);
}

Result http_respond(const StepArgs& a) {
    if (!a.map)
        return a.ctx.error(a.pos, "expected {server, status, headers, body}, found " + describe(a.value)),
               std::nullopt;
    const ServerSpec* server = a.server();
    if (server && server->protocol != ServerSpec::Protocol::Http) {
        a.ctx.error(pos_of(a.map->find("server")->value), "server '" + server->name + "' is a " +
                                                              protocol_name(server->protocol) +
                                                              " server, not http");
        server = nullptr;
    }
    auto response = http_response_from(a.ctx, *a.map);
    return all_set(HttpRespond{server ? server->name : "", response.value_or(HttpResponse{})},
                   server && response);
}

/// link, radio, sms_in: a map of the API's fields.
std::optional<QJsonObject> body(const StepArgs& a, ApiBody which, std::string_view what) {
    if (!a.map) {
        a.ctx.error(a.pos, "expected a map of " + std::string(what) + " fields, found " + describe(a.value));
        return std::nullopt;
    }
    return api_body(a.ctx, *a.map, which, true);
}

Result link(const StepArgs& a) {
    auto patch = body(a, ApiBody::Link, "PUT /api/v1/link");
    return all_set(LinkChange{patch.value_or(QJsonObject{})}, patch.has_value());
}

Result link_reset(const StepArgs& a) { return all_set(LinkReset{}, a.no_value("nothing")); }

Result radio(const StepArgs& a) {
    auto patch = body(a, ApiBody::Radio, "PUT /api/v1/radio");
    return all_set(RadioChange{patch.value_or(QJsonObject{})}, patch.has_value());
}

Result sms_in(const StepArgs& a) {
    auto message = body(a, ApiBody::Sms, "POST /api/v1/sms (from, text, encoding)");
    return all_set(SmsIn{message.value_or(QJsonObject{})}, message.has_value());
}

Result sms_expect(const StepArgs& a) {
    SmsExpect expect{std::nullopt, {}, kDefaultTimeout};
    auto pattern = a.map ? pattern_from(a.ctx, *a.map) : read_pattern(a.ctx, a.value, a.pos);
    bool ok = pattern.has_value();
    if (const Field* f = a.map ? a.map->find("to") : nullptr) {
        expect.to = read_string(a.ctx, *f);
        ok = ok && expect.to;
    }
    const auto timeout = a.timeout();
    expect.pattern = pattern.value_or(Pattern{});
    expect.timeout = timeout.value_or(kDefaultTimeout);
    return all_set(std::move(expect), ok && timeout);
}

Result power_cycle(const StepArgs& a) {
    const auto off = a.value.IsScalar() ? a.duration_value()
                                        : (a.no_value("nothing, a duration or {off_for: ...}")
                                               ? a.duration("off_for", kDefaultOffTime)
                                               : std::nullopt);
    return all_set(PowerCycle{off.value_or(kDefaultOffTime)}, off.has_value());
}

Result power_off(const StepArgs& a) { return all_set(PowerOff{}, a.no_value("nothing")); }
Result power_on(const StepArgs& a) { return all_set(PowerOn{}, a.no_value("nothing")); }

Result wait(const StepArgs& a) {
    const auto d = a.map ? a.duration("for", std::nullopt) : a.duration_value();
    return all_set(Wait{d.value_or(Duration{})}, d.has_value());
}

/// expect_silence's `servers` / `brokers`: a list of declared names, or true (every one) / false
/// (none). declared: the peer of that name (nullptr: reported).
template <typename Declared>
bool silent_peers(const StepArgs& a, const Field& f, std::vector<std::string>& names, bool& all_peers,
                  Declared declared) {
    if (f.value.IsSequence()) {
        all_peers = false;
        bool ok = true;
        for (const YAML::Node& n : f.value) {
            const auto* peer = declared(f.in(a.ctx), Field{f.name.substr(0, f.name.size() - 1), n, n}, a.env);
            ok = ok && peer;
            if (peer) names.push_back(peer->name);
        }
        return ok;
    }
    const auto all = read_bool(a.ctx, f);
    all_peers = all.value_or(true);
    return all.has_value();
}

Result expect_silence(const StepArgs& a) {
    ExpectSilence silence{};
    const auto d = a.map ? a.duration("for", std::nullopt) : a.duration_value();
    bool ok = d.has_value();
    silence.duration = d.value_or(Duration{});
    if (const Field* f = a.map ? a.map->find("serial") : nullptr) {
        const auto serial = read_bool(a.ctx, *f);
        ok = ok && serial;
        silence.serial = serial.value_or(true);
    }
    if (const Field* f = a.map ? a.map->find("servers") : nullptr)
        ok = silent_peers(a, *f, silence.servers, silence.all_servers, declared_server) && ok;
    if (const Field* f = a.map ? a.map->find("brokers") : nullptr)
        ok = silent_peers(a, *f, silence.brokers, silence.all_brokers, declared_broker) && ok;
    return all_set(std::move(silence), ok);
}

Result expect_reboot(const StepArgs& a) {
    ExpectReboot reboot{std::nullopt, kDefaultTimeout};
    if (a.value.IsScalar())
        reboot.cause = a.value.Scalar();
    else if (!a.no_value("nothing, a cause or {cause, timeout}"))
        return std::nullopt;
    bool ok = true;
    if (const Field* f = a.map ? a.map->find("cause") : nullptr) {
        reboot.cause = read_string(a.ctx, *f);
        ok = reboot.cause.has_value();
    }
    const auto timeout = a.timeout();
    reboot.timeout = timeout.value_or(kDefaultTimeout);
    return all_set(std::move(reboot), ok && timeout);
}

/// The names at the top of GET /api/v1/status, for "did you mean" on the first part of a path.
std::vector<std::string> status_fields() {
    std::vector<std::string> out;
    for (const QString& key : status_to_json(BoardSnapshot{}).keys())
        out.push_back(key.toStdString());
    return out;
}

Result expect_status(const StepArgs& a) {
    if (!a.map)
        return a.ctx.error(a.pos, "expected a map of dotted status path: value, found " + describe(a.value)),
               std::nullopt;
    static const std::vector<std::string> known = status_fields();
    const std::vector<std::string_view> names(known.begin(), known.end());
    ExpectStatus status;
    bool ok = true;
    const auto timeout = a.duration("timeout", Duration{0});
    ok = timeout.has_value();
    status.timeout = timeout.value_or(Duration{0});
    for (const Field& f : a.map->all()) {
        if (f.name == "name" || f.name == "timeout") continue;
        const std::string top = f.name.substr(0, f.name.find('.'));
        if (std::find(names.begin(), names.end(), top) == names.end()) {
            a.ctx.error(f.key, "the status has no field '" + top + "'" + did_you_mean(top, names));
            ok = false;
            continue;
        }
        auto v = to_json(f.in(a.ctx), f.value);
        ok = ok && v;
        if (v) status.fields.emplace_back(f.name, *v);
    }
    if (ok && status.fields.empty()) a.ctx.error(a.pos, "nothing to compare: give path: value pairs");
    return all_set(std::move(status), ok && !status.fields.empty());
}

Result expect_tls(const StepArgs& a) {
    const ServerSpec* server = a.server();
    bool ok = server != nullptr;
    if (server && !server->tls) {
        a.ctx.error(a.pos, "server '" + server->name + "' has no tls");
        ok = false;
    }
    ExpectTls tls{server ? server->name : "", true, {}, {}, {}, kDefaultTimeout};
    if (const Field* f = a.map ? a.map->find("ok") : nullptr) {
        const auto value = read_bool(a.ctx, *f);
        ok = ok && value;
        tls.ok = value.value_or(true);
    }
    for (auto [key, out] : {std::pair{"client_subject", &tls.client_subject},
                            std::pair{"version", &tls.version}, std::pair{"error", &tls.error}}) {
        const Field* f = a.map ? a.map->find(key) : nullptr;
        if (!f) continue;
        // An empty client_subject: no client certificate was presented.
        auto value = f->value.IsScalar() && f->value.Scalar().empty() ? std::optional<std::string>("")
                                                                      : read_string(a.ctx, *f);
        ok = ok && value;
        *out = std::move(value);
    }
    if (tls.ok && tls.error) {
        a.ctx.error(a.pos, "error: only a failed handshake (ok: false) has one");
        ok = false;
    }
    const auto timeout = a.timeout();
    tls.timeout = timeout.value_or(kDefaultTimeout);
    return all_set(std::move(tls), ok && timeout);
}

Result fail_on(const StepArgs& a) {
    auto fail = parse_fail_pattern(a.ctx, a.value, a.pos, a.env, true);
    return all_set(AddFailOn{fail.value_or(FailPattern{})}, fail.has_value());
}

} // namespace

const std::vector<StepKind>& step_table() {
    static const std::vector<StepKind> table{
        {"serial_write", {"text", "hex"}, serial_write},
        {"serial_expect", {"text", "regex", "hex", "timeout"}, serial_expect},
        {"command_mode", {"timeout"}, command_mode},
        {"at", {"command", "expect", "timeout"}, at_command},
        {"server_expect", {"server", "text", "regex", "hex", "timeout"}, server_expect},
        {"expect_connect", {"server", "timeout"}, expect_connect},
        {"expect_disconnect", {"server", "timeout"}, expect_disconnect},
        {"server_send", {"server", "text", "hex"}, server_send},
        {"server_close", {"server", "reset"}, server_close},
        {"client_connect", {"client"}, client_connect},
        {"server_accept", {"server", "accept"}, server_accept},
        {"http_respond", {"server", "status", "reason", "headers", "body"}, http_respond},
        {"link", {}, link},
        {"link_reset", {"name"}, link_reset},
        {"radio", {}, radio},
        {"sms_in", {}, sms_in}, // POST /api/v1/sms checks the fields
        {"sms_expect", {"to", "text", "regex", "hex", "timeout"}, sms_expect},
        {"power_cycle", {"off_for"}, power_cycle},
        {"power_off", {"name"}, power_off},
        {"power_on", {"name"}, power_on},
        {"wait", {"for"}, wait},
        {"expect_silence", {"for", "serial", "servers", "brokers"}, expect_silence},
        {"expect_reboot", {"cause", "timeout"}, expect_reboot},
        {"expect_status", {}, expect_status},
        {"fail_on", {}, fail_on},
        {"broker_expect",
         {"broker", "topic", "text", "regex", "hex", "qos", "retain", "will", "timeout"},
         read_broker_expect},
        {"expect_will", {"broker", "topic", "text", "regex", "hex", "timeout"}, read_expect_will},
        {"broker_publish", {"broker", "topic", "text", "hex", "qos", "retain"}, read_broker_publish},
        {"broker_state", {"broker", "state", "code"}, read_broker_state},
        {"broker_drop", {"broker", "reset"}, read_broker_drop},
        {"broker_expect_session",
         {"broker", "client_id", "connected", "username", "protocol_level", "keepalive", "clean_session",
          "subscriptions", "timeout"},
         read_broker_expect_session},
        {"expect_tls", {"server", "ok", "client_subject", "version", "error", "timeout"}, expect_tls},
    };
    return table;
}

} // namespace dtu::sim::scenario
