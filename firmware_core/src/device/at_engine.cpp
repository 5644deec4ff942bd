#include "at_engine.hpp"

#include "dtu/at/answer.hpp"
#include "dtu/at/help.hpp"
#include "dtu/at/request.hpp"
#include "dtu/at/text.hpp"
#include "dtu/at/validate.hpp"
#include "factory_params.hpp"
#include "user_defaults.hpp"

#include <optional>

namespace dtu::device {
namespace {

/// The row a (upper-case) name refers to and which variant, or nullptr.
const at::CommandSpec* find_row(const profile::Profile& profile, std::string_view name, int& variant) {
    for (const auto& spec : profile.commands) {
        variant = at::match_name(spec, name);
        if (variant >= 0) return &spec;
    }
    // K7 §5.3.5 #13: a trailing port number of the only serial port ("UART1") is the name without
    // it; any other number is no command (spec k7 §3.1, GAP-42: "-2").
    const std::string_view suffix = profile.port_suffix;
    if (name.size() > 1 && !suffix.empty() && suffix.find(name.back()) != std::string_view::npos) {
        name.remove_suffix(1);
        for (const auto& spec : profile.commands) {
            variant = at::match_name(spec, name);
            if (variant >= 0 && !spec.name.empty()) return &spec;
        }
    }
    return nullptr;
}

/// Entry number in the first field of a Table/WriteOnly set, if it is a valid one.
std::optional<std::int64_t> entry_of(const at::CommandSpec& spec, std::string_view para) {
    std::string canonical;
    const auto first = at::unquote(at::split_fields(para, 2).front());
    if (!at::accept_input(spec.params.front(), first, canonical)) return std::nullopt;
    return at::parse_decimal(canonical);
}

} // namespace

Outcome AtEngine::ok() const { return Outcome{std::string(profile_.answers.ok)}; }

Outcome AtEngine::error(std::string_view code) const {
    Outcome o;
    o.reply.append(profile_.errors.prefix).append(code).append(profile_.errors.suffix);
    o.error = true;
    return o;
}

bool AtEngine::parse(const at::CommandSpec& spec, std::string_view para, const params::Values* current,
                     const params::Values& factory, params::Values& out) const {
    return at::parse_set(spec, para, current, factory, out, profile_.serial.strict_fields);
}

std::string_view AtEngine::query_end() const {
    // 7S4 §3.1.7.5-§3.1.7.65 end every query answer with the blank line and no OK:
    // "{CR}{LF}+E:status{CR}{LF}{CR}{LF}".
    return profile_.answers.query_ok ? profile_.answers.ok : profile_.answers.query_tail;
}

Outcome AtEngine::value(std::string_view name, std::string_view text, bool space) const {
    Outcome o;
    if (profile_.answers.query_prefix.empty())
        o.reply.append("\r\n+").append(name).append(space ? ": " : ":");
    else
        o.reply.append("\r\n").append(profile_.answers.query_prefix); // K7 §5.3.5 "+OK=<value>"
    o.reply.append(text).append("\r\n");
    o.reply.append(query_end());
    return o;
}

Outcome AtEngine::value(const at::CommandSpec& spec, std::string_view name, std::string_view text) const {
    return value(name, text, spec.answer_space);
}

std::string_view AtEngine::malformed_cause(std::string_view line) const {
    // at-syntax §5 (7S4 table 15): not "AT+<name>" at all -> not AT; a name with a character no
    // command name has (a space: at-syntax §2) or a name the model does not have -> unknown; a
    // known name followed by neither "?", "=?" nor "=..." -> the wrong form for it.
    if (!at::istarts_with(line, "AT+")) return profile_.errors.not_at;
    const std::string_view rest = line.substr(3);
    const std::string_view name = rest.substr(0, rest.find_first_of("=?"));
    if (name.empty()) return profile_.errors.not_at;
    int variant = 0;
    if (at::names_no_command(line) || !find_row(profile_, at::to_upper(name), variant))
        return profile_.errors.unknown;
    return profile_.errors.bad_op;
}

Outcome AtEngine::execute(std::string_view line, Channel channel, Session& session, const LiveState& live) {
    const auto req = at::parse_request(line);
    if (!req) return error(malformed_cause(line));
    int variant = 0;
    const at::CommandSpec* spec = find_row(profile_, req->name, variant);
    // G771 §2.6.3: while a login is pending only the login command gets through; prefixed
    // (serial/network/SMS) AT is not subject to it.
    if (channel == Channel::Command && session.login_required && !session.logged_in &&
        !(spec && spec->behavior == at::Behavior::Login)) {
        Outcome o{std::string(profile_.answers.login_required)};
        o.error = true;
        return o;
    }
    if (!spec) return error(profile_.errors.unknown);
    if ((spec->ops & req->op) == 0) return error(profile_.errors.bad_op);
    Outcome o = spec->alias_of.empty() ? dispatch(*spec, variant, req->op, req->para, session, live)
                                       : alias(*spec, req->op, req->para);
    // AT+ENTM ends command mode and a UDP network AT session; elsewhere it only answers.
    if (o.after == After::ExitCommand && channel != Channel::Command && channel != Channel::LanAt)
        o.after = After::None;
    return o;
}

Outcome AtEngine::dispatch(const at::CommandSpec& spec, int variant, at::Op op, std::string_view para,
                           Session& session, const LiveState& live) {
    using at::Behavior;
    // No blank after the colon of a "=?" answer even where the query has one (732 §3.1.7.9:
    // `+CMDPW:<"password">` but `+CMDPW: "password"`).
    if (op == at::kTest)
        return value(spec.test_name.empty() ? at::concrete_name(spec, variant) : std::string(spec.test_name),
                     at::test_answer(spec));
    switch (spec.behavior) {
    case Behavior::Stored:
    case Behavior::Echo:
    case Behavior::WriteOnly: return stored(spec, variant, op, para);
    case Behavior::Table: return table(spec, op, para);
    case Behavior::Login: return login(spec, para, session);
    case Behavior::Test:
        return profile_.answers.test_reply.empty() ? ok() : Outcome{std::string(profile_.answers.test_reply)};
    case Behavior::Help: return help();
    case Behavior::FirmwareUpdate: return firmware_update(spec, para);
    case Behavior::Ping: return ping(spec, para);
    case Behavior::Restart: return restart_after(ok(), hal::ResetCause::AtRestart);
    case Behavior::Reboot: return restart_after(ok(), hal::ResetCause::AtReboot);
    case Behavior::Save: return commit_and_restart(working_, hal::ResetCause::AtSave);
    case Behavior::FactoryReset:
        return commit_and_restart(factory_params(profile_, hal_.modem), hal::ResetCause::FactoryReset);
    case Behavior::SaveUserDefaults: return save_user_defaults();
    case Behavior::LoadUserDefaults:
        return commit_and_restart(
            user_defaults::load_user(hal_.storage, profile_, factory_params(profile_, hal_.modem)),
            hal::ResetCause::UserDefaults);
    case Behavior::ExitCommand: {
        Outcome o{std::string(profile_.answers.entm_reply)};
        o.after = After::ExitCommand;
        return o;
    }
    case Behavior::SendSms: return send_sms(spec, para);
    default: return info(spec, variant, live);
    }
}

Outcome AtEngine::stored(const at::CommandSpec& spec, int variant, at::Op op, std::string_view para) {
    std::string key = at::concrete_name(spec, static_cast<std::size_t>(variant));
    if (op != at::kSet) {
        const params::Values* v = working_.find(key);
        return value(spec, key, v ? shown(spec, *v) : std::string());
    }
    std::size_t factory_index = static_cast<std::size_t>(variant);
    if (spec.behavior == at::Behavior::WriteOnly) {
        const auto entry = entry_of(spec, para);
        if (!entry) return error(profile_.errors.parameter);
        key += std::to_string(*entry);
        factory_index = 0;
    }
    params::Values values;
    if (!parse(spec, para, working_.find(key), params::factory_for(spec, factory_index), values))
        return error(profile_.errors.parameter);
    return set_value(key, std::move(values));
}

Outcome AtEngine::table(const at::CommandSpec& spec, at::Op op, std::string_view para) {
    const auto entries = static_cast<std::size_t>(spec.params.front().max);
    if (op != at::kSet) {
        // GM5 §2.3: a header line, then one line per entry.
        Outcome o;
        o.reply.append("\r\n+").append(spec.name).append(":");
        for (std::size_t i = 1; i <= entries; ++i) {
            const params::Values* v = working_.find(std::string(spec.name) + std::to_string(i));
            o.reply.append("\r\n").append(v ? shown(spec, *v) : std::string());
        }
        o.reply.append("\r\n").append(query_end());
        return o;
    }
    const auto entry = entry_of(spec, para);
    if (!entry) return error(profile_.errors.parameter);
    const std::string key = std::string(spec.name) + std::to_string(*entry);
    params::Values values;
    if (!parse(spec, para, working_.find(key),
               params::factory_for(spec, static_cast<std::size_t>(*entry - 1)), values))
        return error(profile_.errors.parameter);
    return set_value(key, std::move(values));
}

Outcome AtEngine::login(const at::CommandSpec& spec, std::string_view para, Session& session) {
    params::Values values;
    if (!parse(spec, para, nullptr, {}, values)) return error(profile_.errors.parameter);
    const std::string key(spec.name);
    if (session.login_required && !session.logged_in) {
        if (values.front() != working_.text(key)) return error(profile_.errors.login);
        session.logged_in = true;
        return ok();
    }
    // G771 §2.6.3: sending the login command again changes the login password.
    return set_value(key, std::move(values));
}

std::string AtEngine::shown(const at::CommandSpec& spec, const params::Values& values) const {
    return at::format_values(spec, values, profile_.answers.escaped_in_answers);
}

Outcome AtEngine::set_value(const std::string& key, params::Values values) {
    const params::Values* current = working_.find(key);
    const std::optional<params::Values> before = current ? std::optional(*current) : std::nullopt;
    working_.set(key, std::move(values));
    // modes-and-timing §6.2 (GAP-15): a model without AT+S writes every successful set at once
    // (the user-default set in NVRAM stays, §6.3).
    if (profile_.persistence.save_command || user_defaults::commit_saved(hal_.storage, profile_, working_))
        return ok();
    hal_.log.write(hal::LogLevel::Error, "NVRAM commit failed: the setting is not kept");
    if (before)
        working_.set(key, *before);
    else
        working_.erase(key);
    return error(profile_.errors.parameter);
}

Outcome AtEngine::alias(const at::CommandSpec& spec, at::Op op, std::string_view para) {
    int variant = 0;
    const at::CommandSpec* target = find_row(profile_, spec.alias_of, variant);
    if (!target) return error(profile_.errors.unknown); // a table error; the row tests catch it
    const std::string key = at::concrete_name(*target, static_cast<std::size_t>(variant));
    const std::string name(spec.name);
    const bool whole = spec.alias_field < 0;
    const auto field = static_cast<std::size_t>(whole ? 0 : spec.alias_field);
    params::Values values = working_.find(key) ? *working_.find(key) : params::factory_for(*target, 0);
    if (op == at::kTest) return value(spec, name, at::test_answer(whole ? *target : spec));
    if (op != at::kSet)
        return value(spec, name, whole ? shown(*target, values) : shown(spec, {values.at(field)}));
    params::Values parsed;
    if (whole ? !parse(*target, para, &values, params::factory_for(*target, 0), parsed)
              : !parse(spec, para, nullptr, {}, parsed))
        return error(profile_.errors.parameter);
    if (!whole) {
        values.at(field) = std::move(parsed.front());
        parsed = std::move(values);
        if (!at::accept_stored_values(*target, parsed)) return error(profile_.errors.parameter);
    }
    return set_value(key, std::move(parsed));
}

Outcome AtEngine::help() const {
    // 7S4 §3.1.7.2 "{CR}{LF}help message{CR}{LF}{CR}{LF}": the lines, then the query ending.
    Outcome o;
    o.reply.append("\r\n").append(at::help_text(profile_.commands)).append("\r\n").append(query_end());
    return o;
}

Outcome AtEngine::firmware_update(const at::CommandSpec& spec, std::string_view para) const {
    params::Values key;
    if (!parse(spec, para, nullptr, {}, key)) return error(profile_.errors.parameter);
    // modes-and-timing §10: no firmware image exists in a simulator; the key is accepted only.
    hal_.log.write(hal::LogLevel::Warn, "AT+UPDATE: no FTP self-upgrade in the simulator, nothing changed");
    return ok();
}

Outcome AtEngine::commit_and_restart(const params::Store& store, hal::ResetCause cause) {
    if (!user_defaults::commit_saved(hal_.storage, profile_, store)) {
        hal_.log.write(hal::LogLevel::Error, "NVRAM commit failed: parameters not saved, not restarting");
        return error(profile_.errors.parameter);
    }
    return restart_after(ok(), cause);
}

Outcome AtEngine::save_user_defaults() {
    // modes-and-timing §6.3: the parameters as they are now (the working copy), no restart.
    if (!user_defaults::commit_user(hal_.storage, profile_, working_)) {
        hal_.log.write(hal::LogLevel::Error, "NVRAM commit failed: user defaults not saved");
        return error(profile_.errors.parameter);
    }
    const std::string_view saved = profile_.answers.user_defaults_saved; // K7 §5.3.5 #44 "+OK=saved"
    return saved.empty() ? ok() : Outcome{std::string(saved)};
}

Outcome AtEngine::ping(const at::CommandSpec& spec, std::string_view para) {
    // 732 §3.1.7.45 answers OK and prints no result. hal::Net has no ICMP, so what is checked is
    // what a reply could depend on here: a valid host and a data link. No link: "not possible now".
    params::Values values;
    if (!at::parse_set(spec, para, nullptr, {}, values) || !hal_.net.attached())
        return error(profile_.errors.parameter);
    hal_.log.write(hal::LogLevel::Info, "AT+PING " + values.front() + ": data link up (no ICMP simulated)");
    return ok();
}

Outcome AtEngine::restart_after(Outcome o, hal::ResetCause cause) {
    o.after = After::Restart;
    o.cause = cause;
    return o;
}

} // namespace dtu::device
