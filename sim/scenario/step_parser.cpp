#include "sim/scenario/step_parser.hpp"

#include <algorithm>

#include "sim/scenario/duration.hpp"
#include "sim/scenario/pattern.hpp"
#include "sim/scenario/step_args.hpp"
#include "sim/scenario/suggest.hpp"

namespace dtu::sim::scenario {
namespace {

/// The peer of f's name among peers ("server" / "broker" names the kind), reported when undeclared.
template <typename Spec>
const Spec* declared_peer(const Context& ctx, const Field& f, const std::vector<Spec>& peers,
                          const std::string& kind) {
    const auto name = read_string(ctx, f);
    if (!name) return nullptr;
    std::vector<std::string_view> names;
    for (const Spec& p : peers) {
        if (p.name == *name) return &p;
        names.emplace_back(p.name);
    }
    ctx.error(f.pos(), kind + " '" + *name + "' is not declared under " + kind + "s: (" +
                           (names.empty() ? "no " + kind + "s are declared" : "declared: " + join(names)) +
                           ")");
    return nullptr;
}

/// The required `key` field (or, for a scalar value, the value itself), through declared.
template <typename Declared>
auto named_peer(const StepArgs& a, const char* key, Declared declared)
    -> decltype(declared(a.ctx, Field{}, a.env)) {
    if (a.map) {
        const Field* f = a.map->require(key);
        return f == nullptr ? nullptr : declared(a.ctx, *f, a.env);
    }
    if (a.value.IsScalar()) return declared(a.ctx, Field{key, a.value, a.value}, a.env);
    a.ctx.error(a.pos, "expected the options (" + std::string(key) + ": ...), found " + describe(a.value));
    return nullptr;
}

std::optional<Duration> within_deadline(const Context& ctx, SourcePos pos, std::optional<Duration> d,
                                        const StepEnv& env) {
    if (d && *d > env.deadline) {
        ctx.error(pos, format_duration(*d) + " is longer than the deadline (" +
                           format_duration(env.deadline) + "): raise `deadline:` or shorten this");
        return std::nullopt;
    }
    return d;
}

const StepKind* find_kind(std::string_view name) {
    const auto& table = step_table();
    const auto it =
        std::find_if(table.begin(), table.end(), [&](const StepKind& k) { return k.name == name; });
    return it == table.end() ? nullptr : &*it;
}

std::string keys_of(const YAML::Node& map) {
    std::string out;
    for (auto it = map.begin(); it != map.end(); ++it)
        out += (out.empty() ? "" : ", ") + (it->first.IsScalar() ? it->first.Scalar() : describe(it->first));
    return out;
}

} // namespace

std::optional<Duration> StepArgs::timeout() const { return duration("timeout", kDefaultTimeout); }

std::optional<Duration> StepArgs::duration(std::string_view key, std::optional<Duration> fallback) const {
    const Field* f = map ? map->find(key) : nullptr;
    if (f == nullptr) {
        if (!fallback)
            ctx.error(map ? pos_of(map->node()) : pos, "missing required key '" + std::string(key) + "'");
        return fallback;
    }
    return within_deadline(f->in(ctx), f->pos(), read_duration(ctx, *f), env);
}

std::optional<Duration> StepArgs::duration_value() const {
    if (!value.IsScalar()) {
        ctx.error(pos, "expected a duration (500ms, 5s, 30m, 2h), found " + describe(value));
        return std::nullopt;
    }
    std::string why;
    const auto d = parse_duration(value.Scalar(), why);
    if (!d) ctx.error(pos, why);
    return within_deadline(ctx, pos, d, env);
}

const ServerSpec* StepArgs::server() const { return named_peer(*this, "server", declared_server); }

const ServerSpec* StepArgs::client() const { return named_peer(*this, "client", declared_client); }

const BrokerSpec* StepArgs::broker() const { return named_peer(*this, "broker", declared_broker); }

bool StepArgs::reject_udp(const ServerSpec& server, std::string_view what) const {
    if (server.protocol != ServerSpec::Protocol::Udp) return false;
    ctx.error(pos,
              "server '" + server.name + "' is a udp server: it has no connections to " + std::string(what));
    return true;
}

bool StepArgs::no_value(std::string_view expected) const {
    if (map || value.IsNull() || !value.IsDefined()) return true;
    ctx.error(pos, "expected " + std::string(expected) + ", found " + describe(value));
    return false;
}

const BrokerSpec* declared_broker(const Context& ctx, const Field& f, const StepEnv& env) {
    return declared_peer(ctx, f, *env.brokers, "broker");
}

const ServerSpec* declared_server(const Context& ctx, const Field& f, const StepEnv& env) {
    return declared_peer(ctx, f, *env.servers, "server");
}

const ServerSpec* declared_client(const Context& ctx, const Field& f, const StepEnv& env) {
    const auto name = read_string(ctx, f);
    if (!name) return nullptr;
    std::vector<std::string_view> names;
    for (const ServerSpec& p : *env.servers) {
        if (!p.client) continue;
        if (p.name == *name) return &p;
        names.emplace_back(p.name);
    }
    ctx.error(f.pos(), "client '" + *name + "' is not declared under clients: (" +
                           (names.empty() ? "no clients are declared" : "declared: " + join(names)) + ")");
    return nullptr;
}

const std::vector<std::string_view>& step_kinds() {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> out;
        for (const StepKind& k : step_table())
            out.push_back(k.name);
        return out;
    }();
    return names;
}

std::optional<Step> parse_step(const Context& ctx, const YAML::Node& node, const StepEnv& env) {
    YAML::Node kind_node;
    YAML::Node value;
    YAML::Node sibling_name; // `- serial_write: "x"` with `name: ...` beside the kind
    bool has_sibling_name = false;
    if (node.IsMap() && node.size() == 2) {
        for (const auto& kv : node) {
            // reset(), not operator=: assigning to a yaml-cpp node that refers to data overwrites the data.
            if (kv.first.IsScalar() && kv.first.Scalar() == "name") {
                sibling_name.reset(kv.second);
                has_sibling_name = true;
            } else {
                kind_node.reset(kv.first);
                value.reset(kv.second);
            }
        }
    }
    if (node.IsMap() && node.size() == 1) {
        kind_node.reset(node.begin()->first);
        value.reset(node.begin()->second);
    } else if (has_sibling_name && kind_node.IsDefined() && !kind_node.IsNull()) {
        // the kind and its label side by side
    } else if (node.IsScalar()) {
        kind_node.reset(node); // a bare kind: `- power_off`
    } else {
        std::string found = node.IsMap()
                                ? std::to_string(node.size()) + " keys (" + keys_of(node) +
                                      "): options go in a map under the kind (only name: may stand beside it)"
                                : describe(node);
        ctx.error(node, "expected a map with one key, the step kind; found " + found);
        return std::nullopt;
    }
    const std::string kind = kind_node.IsScalar() ? kind_node.Scalar() : describe(kind_node);
    const StepKind* k = find_kind(kind);
    if (k == nullptr) {
        ctx.error(kind_node, "unknown step kind '" + kind + "'" + did_you_mean(kind, step_kinds()));
        return std::nullopt;
    }
    const Field whole{kind, kind_node, value};
    StepArgs args{ctx, value, whole.pos(), std::nullopt, env};
    Step step{kind, {}, pos_of(kind_node), {}};
    if (value.IsMap()) {
        std::vector<std::string_view> keys = k->keys;
        if (!keys.empty() && std::find(keys.begin(), keys.end(), "name") == keys.end())
            keys.push_back("name");
        args.map.emplace(ctx, value, keys);
        if (const Field* label = args.map->find("name")) step.label = read_string(ctx, *label).value_or("");
    }
    if (has_sibling_name) {
        if (sibling_name.IsScalar())
            step.label = sibling_name.Scalar();
        else
            ctx.error(sibling_name, "name: expected a string");
    }
    const std::size_t errors = ctx.error_count();
    auto action = k->read(args);
    if (!action || ctx.error_count() != errors) return std::nullopt;
    step.action = std::move(*action);
    return step;
}

std::optional<FailPattern> parse_fail_pattern(const Context& ctx, const YAML::Node& node, SourcePos pos,
                                              const StepEnv& env, bool is_step) {
    FailPattern fail{"serial", false, {}, pos};
    if (!node.IsMap()) {
        auto pattern = read_pattern(ctx, node, pos);
        if (!pattern) return std::nullopt;
        fail.pattern = std::move(*pattern);
        return fail;
    }
    std::vector<std::string_view> keys{"in", "text", "regex", "hex"};
    if (is_step) keys.push_back("name");
    const MapFields fields(ctx, node, keys);
    if (const Field* in = fields.find("in")) {
        const bool serial = in->value.IsScalar() && in->value.Scalar() == "serial";
        const auto named_broker = [&](const BrokerSpec& b) {
            return in->value.IsScalar() && b.name == in->value.Scalar();
        };
        const auto broker = std::find_if(env.brokers->begin(), env.brokers->end(), named_broker);
        fail.broker = broker != env.brokers->end();
        const ServerSpec* server = serial || fail.broker ? nullptr : declared_server(ctx, *in, env);
        if (!serial && !fail.broker && server == nullptr) return std::nullopt;
        fail.where = serial ? "serial" : fail.broker ? broker->name : server->name;
    }
    auto pattern = pattern_from(ctx, fields);
    if (!pattern) return std::nullopt;
    fail.pattern = std::move(*pattern);
    return fail;
}

} // namespace dtu::sim::scenario
