#include "sim/scenario/scenario_parser.hpp"

#include <algorithm>
#include <cctype>

#include <QFile>

#include "dtu/profile/profile.hpp"
#include "sim/scenario/api_patch.hpp"
#include "sim/scenario/broker_parser.hpp"
#include "sim/scenario/server_parser.hpp"
#include "sim/scenario/step_parser.hpp"
#include "sim/scenario/suggest.hpp"
#include "sim/scenario/yaml_documents.hpp"
#include "sim/scenario/yaml_open_quote.hpp"

namespace dtu::sim::scenario {
namespace {

const std::vector<std::string_view> kTopKeys{
    "name", "source", "description", "profile", "seed",    "deadline", "clock",   "baud_pacing",
    "link", "radio",  "servers",     "clients", "brokers", "params",   "fail_on", "steps"};

void read_text(const Context& ctx, const MapFields& top, std::string_view key, std::string& out) {
    if (const Field* f = top.find(key)) out = read_string(ctx, *f).value_or("");
}

void read_profile(const Context& ctx, const MapFields& top, Scenario& s) {
    const Field* f = top.find("profile");
    if (f == nullptr) return;
    const auto name = read_string(ctx, *f);
    if (!name) return;
    if (profile::find(*name) == nullptr) {
        const auto known = profile::names();
        f->in(ctx).error(f->pos(), "unknown profile '" + *name + "'" + did_you_mean(*name, known) +
                                       " (known: " + join(known) + ")");
        return;
    }
    s.profile = *name;
}

void read_clock(const Context& ctx, const MapFields& top, Scenario& s) {
    const Field* f = top.find("clock");
    if (f == nullptr) return;
    const auto clock = read_string(ctx, *f);
    if (clock && (*clock == "virtual" || *clock == "real"))
        s.clock = *clock == "real" ? Scenario::ClockNeed::Real : Scenario::ClockNeed::Virtual;
    else if (clock)
        f->in(ctx).error(f->pos(), "'" + *clock + "' is not a clock: virtual or real");
}

void read_metadata(const Context& ctx, const MapFields& top, Scenario& s) {
    if (const Field* f = top.require("name")) {
        s.name = read_string(ctx, *f).value_or("");
        if (s.name.empty() && f->value.IsScalar()) f->in(ctx).error(f->pos(), "the name must not be empty");
    }
    read_text(ctx, top, "source", s.source);
    read_text(ctx, top, "description", s.description);
    read_profile(ctx, top, s);
    if (const Field* f = top.find("seed")) s.seed = read_uint64(ctx, *f);
    if (const Field* f = top.find("deadline")) s.deadline = read_duration(ctx, *f).value_or(kDefaultDeadline);
    read_clock(ctx, top, s);
    if (const Field* f = top.find("baud_pacing")) s.baud_pacing = read_bool(ctx, *f).value_or(true);
}

/// link / radio: the API's fields, checked by the API's own code.
void read_api_body(const Context& ctx, const MapFields& top, std::string_view key, ApiBody body,
                   QJsonObject& out) {
    const Field* f = top.find(key);
    if (f == nullptr || !expect_map(f->in(ctx), f->value, f->pos(), "the fields of PUT /api/v1/" + f->name))
        return;
    const Context in = f->in(ctx);
    out = api_body(in, MapFields(in, f->value, {}), body, false).value_or(QJsonObject{});
}

/// AT+ commands (case-insensitive), one line each: the device is configured with them.
void read_params(const Context& ctx, const MapFields& top, Scenario& s) {
    const Field* f = top.find("params");
    if (f == nullptr) return;
    const Context in = f->in(ctx);
    if (!f->value.IsSequence())
        return in.error(f->pos(), "expected a list of AT+ commands, found " + describe(f->value));
    for (const YAML::Node& n : f->value) {
        const auto line = scalar_text(n);
        std::string upper = line.value_or("").substr(0, 3);
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](unsigned char c) { return std::toupper(c); });
        if (!line)
            in.error(n, "expected an AT+ command, found " + describe(n));
        else if (upper != "AT+")
            in.error(n, "'" + *line + "' is not an AT+ command (e.g. AT+WKMOD=NET)");
        else if (line->find_first_of("\r\n") != std::string::npos)
            in.error(n, "a command is one line: no \\r or \\n");
        else
            s.params.emplace_back(*line, pos_of(n));
    }
}

void read_fail_on(const Context& ctx, const MapFields& top, const StepEnv& env, Scenario& s) {
    const Field* f = top.find("fail_on");
    if (f == nullptr) return;
    const Context in = f->in(ctx);
    if (!f->value.IsSequence())
        return in.error(f->pos(), "expected a list of patterns, found " + describe(f->value));
    for (const YAML::Node& n : f->value)
        if (auto fail = parse_fail_pattern(in, n, pos_of(n), env, false))
            s.fail_on.push_back(std::move(*fail));
}

void read_steps(const Context& ctx, const MapFields& top, const StepEnv& env, Scenario& s) {
    const Field* f = top.require("steps");
    if (f == nullptr) return;
    if (!f->value.IsSequence() || f->value.size() == 0)
        return f->in(ctx).error(f->pos(), "expected a list of steps (- serial_write: ...), found " +
                                              describe(f->value));
    int index = 0;
    for (const YAML::Node& n : f->value) {
        ++index;
        if (auto step = parse_step(ctx.nested("step " + std::to_string(index) + ": "), n, env))
            s.steps.push_back(std::move(*step));
    }
}

void read_scenario(const Context& ctx, const YAML::Node& root, Scenario& s) {
    if (!root.IsMap()) {
        const std::string found = root.IsNull() ? "an empty file" : describe(root);
        return ctx.error(root.IsNull() ? SourcePos{1, 1} : pos_of(root),
                         "expected a scenario: a map with name:, steps: and the other keys of "
                         "scenarios/README.md; found " +
                             found);
    }
    const MapFields top(ctx, root, kTopKeys);
    read_metadata(ctx, top, s);
    if (const Field* f = top.find("servers")) s.servers = parse_servers(ctx, *f);
    if (const Field* f = top.find("clients")) {
        auto clients = parse_clients(ctx, *f, s.servers);
        // Clients are VirtualNet peers only (virtual_net.hpp): such a file needs virtual time.
        if (!clients.empty() && s.clock == Scenario::ClockNeed::Real)
            ctx.error(f->pos(), "clients: run in virtual time only (remove clock: real)");
        if (!clients.empty()) s.clock = Scenario::ClockNeed::Virtual;
        s.servers.insert(s.servers.end(), clients.begin(), clients.end());
    }
    if (const Field* f = top.find("brokers")) s.brokers = parse_brokers(ctx, *f, s.servers);
    read_api_body(ctx, top, "link", ApiBody::Link, s.link);
    read_api_body(ctx, top, "radio", ApiBody::Radio, s.radio);
    read_params(ctx, top, s);
    const StepEnv env{&s.servers, &s.brokers, s.deadline};
    read_fail_on(ctx, top, env, s);
    read_steps(ctx, top, env, s);
}

/// The file's one YAML document; a syntax error (or a second document) is reported.
std::optional<YAML::Node> load(const Context& ctx, std::string_view text) {
    try {
        YamlDocuments loaded = load_documents(text);
        if (loaded.stuck.line > 0) {
            ctx.error(loaded.stuck, "not valid YAML: this cannot start a value here (a ',' outside [ ] or "
                                    "{ }? quote the text that starts with it)");
            return std::nullopt;
        }
        std::vector<YAML::Node>& documents = loaded.documents;
        if (documents.size() > 1) {
            ctx.error(pos_of(documents[1]), "a scenario file holds one YAML document; found " +
                                                std::to_string(documents.size()) + " (remove the '---')");
            return std::nullopt;
        }
        if (const auto quote = swallowing_quote(text)) {
            ctx.error(quote->pos, "not valid YAML: " + quote->message);
            return std::nullopt;
        }
        return documents.empty() ? YAML::Node() : documents.front();
    } catch (const YAML::Exception& e) {
        const SourcePos pos = e.mark.is_null() ? SourcePos{} : SourcePos{e.mark.line + 1, e.mark.column + 1};
        ctx.error(pos, "not valid YAML: " + e.msg);
        return std::nullopt;
    }
}

} // namespace

std::string ScenarioError::to_string() const {
    if (line <= 0) return file + ": " + message;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

ParseResult parse_scenario_text(std::string_view text, const std::string& file_name) {
    ErrorList errors(file_name);
    const Context ctx(errors);
    ParseResult result;
    const auto root = load(ctx, text);
    if (root) {
        Scenario s;
        s.file = file_name;
        read_scenario(ctx, *root, s);
        if (errors.errors().empty()) result.scenario = std::move(s);
    }
    result.errors = errors.take();
    return result;
}

ParseResult parse_scenario_file(const std::string& path) {
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly)) {
        ParseResult failed;
        failed.errors.push_back(
            ScenarioError{path, 0, 0, "cannot read the file: " + file.errorString().toStdString()});
        return failed;
    }
    const QByteArray text = file.readAll();
    return parse_scenario_text(std::string_view(text.constData(), static_cast<std::size_t>(text.size())),
                               path);
}

} // namespace dtu::sim::scenario
