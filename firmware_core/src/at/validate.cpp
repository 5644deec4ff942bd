#include "dtu/at/validate.hpp"

#include "dtu/at/text.hpp"

namespace dtu::at {
namespace {

bool in_length(const ParamSpec& p, std::size_t n) {
    return n >= static_cast<std::size_t>(p.min) && n <= static_cast<std::size_t>(p.max);
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); }

bool accept_enum(const ParamSpec& p, std::string_view raw, std::string& out) {
    std::string_view rest = p.choices;
    while (!rest.empty()) {
        const auto bar = rest.find('|');
        const std::string_view choice = rest.substr(0, bar);
        if (iequals(choice, raw)) {
            out.assign(choice);
            return true;
        }
        if (bar == std::string_view::npos) break;
        rest.remove_prefix(bar + 1);
    }
    return false;
}

bool accept_int(const ParamSpec& p, std::string_view raw, std::string& out) {
    const auto v = parse_decimal(raw);
    if (!v) return false;
    if (!(*v == 0 && p.zero_ok) && (*v < p.min || *v > p.max)) return false;
    out = std::to_string(*v);
    return true;
}

bool accept_hex(const ParamSpec& p, std::string_view raw, std::string& out) {
    if (raw.size() % 2 != 0 || !in_length(p, raw.size())) return false;
    for (const char c : raw)
        if (!is_hex(c)) return false;
    out = to_upper(raw);
    return true;
}

bool accept_phone(const ParamSpec& p, std::string_view raw, std::string& out) {
    if (!in_length(p, raw.size())) return false;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (!((c >= '0' && c <= '9') || (c == '+' && i == 0))) return false;
    }
    out.assign(raw);
    return true;
}

bool accept_text(const ParamSpec& p, std::string_view decoded, std::string& out) {
    if (!in_length(p, decoded.size())) return false;
    out.assign(decoded);
    return true;
}

bool accept_value(const ParamSpec& p, std::string_view value, std::string& out) {
    switch (p.kind) {
    case Kind::Enum: return accept_enum(p, value, out);
    case Kind::Int: return accept_int(p, value, out);
    case Kind::Hex: return accept_hex(p, value, out);
    case Kind::Phone: return accept_phone(p, value, out);
    case Kind::Text: return accept_text(p, value, out);
    }
    return false;
}

/// Fill a parameter the user left out, by the row's Omit rule.
bool fill_omitted(const ParamSpec& p, std::size_t i, const Values* current, const Values& factory,
                  std::string& out) {
    switch (p.omit) {
    case Omit::Required: return false;
    case Omit::Keep:
        if (current && i < current->size()) {
            out = (*current)[i];
            return true;
        }
        [[fallthrough]];
    case Omit::Factory: out = i < factory.size() ? factory[i] : std::string(); return true;
    case Omit::Empty: out.clear(); return true;
    }
    return false;
}

bool parse_fields(const CommandSpec& spec, std::string_view para, const Values* current,
                  const Values& factory, Values& out, bool strict_fields = false) {
    if (spec.params.empty()) return false;
    const auto fields = split_fields(para, strict_fields ? para.size() + 1 : spec.params.size());
    if (fields.size() > spec.params.size()) return false; // one ',' too many: a field too many
    out.assign(spec.params.size(), std::string());
    for (std::size_t i = 0; i < spec.params.size(); ++i) {
        const ParamSpec& p = spec.params[i];
        const bool present = i < fields.size();
        if (!present) {
            if (!fill_omitted(p, i, current, factory, out[i])) return false;
            continue;
        }
        const std::string_view raw = unquote(fields[i]);
        const bool ok =
            p.kind == Kind::Text ? accept_text(p, decode_escapes(raw), out[i]) : accept_value(p, raw, out[i]);
        if (!ok) return false;
    }
    return spec.check == nullptr || spec.check(out);
}

} // namespace

bool accept_input(const ParamSpec& p, std::string_view raw, std::string& out) {
    return p.kind == Kind::Text ? accept_text(p, decode_escapes(raw), out) : accept_value(p, raw, out);
}

bool accept_stored(const ParamSpec& p, std::string_view value) {
    std::string canonical;
    return accept_value(p, value, canonical) && canonical == value;
}

bool parse_set(const CommandSpec& spec, std::string_view para, const Values* current, const Values& factory,
               Values& out, bool strict_fields) {
    return parse_fields(spec, para, current, factory, out, strict_fields);
}

bool parse_factory(const CommandSpec& spec, std::string_view text, Values& out) {
    static const Values kNone;
    return parse_fields(spec, text, nullptr, kNone, out);
}

bool accept_stored_values(const CommandSpec& spec, Values& values) {
    if (values.size() != spec.params.size()) return false;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const bool left_out = values[i].empty() && spec.params[i].omit == Omit::Empty;
        if (!left_out && !accept_stored(spec.params[i], values[i])) return false;
    }
    return spec.check == nullptr || spec.check(values);
}

} // namespace dtu::at
