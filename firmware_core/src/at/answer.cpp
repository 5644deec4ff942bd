#include "dtu/at/answer.hpp"

#include "dtu/at/text.hpp"

namespace dtu::at {
namespace {

std::string range_of(const ParamSpec& p) {
    const std::string lo = std::to_string(p.min);
    const std::string hi = std::to_string(p.max);
    switch (p.kind) {
    case Kind::Enum: {
        std::string s(p.choices);
        for (char& c : s)
            if (c == '|') c = ',';
        return "<" + s + ">";
    }
    case Kind::Int: return p.zero_ok ? "<0," + lo + "~" + hi + ">" : "<" + lo + "~" + hi + ">";
    case Kind::Text: return "<" + lo + "~" + hi + " bytes>";
    case Kind::Hex: return "<" + lo + "~" + hi + " hex digits>";
    case Kind::Phone: return "<" + lo + "~" + hi + " digits>";
    }
    return "<>";
}

} // namespace

std::string format_values(const CommandSpec& spec, const Values& values, std::string_view escaped) {
    std::size_t shown = values.size();
    while (shown > 0 && shown <= spec.params.size() && spec.params[shown - 1].omit == Omit::Empty &&
           values[shown - 1].empty())
        --shown;
    std::string out;
    for (std::size_t i = 0; i < shown; ++i) {
        if (i) out += spec.answer_separator;
        const ParamSpec* p = i < spec.params.size() ? &spec.params[i] : nullptr;
        const bool text = p && p->kind == Kind::Text;
        const bool quoted = p && p->quoted;
        if (quoted) out += '"';
        if (p && p->lower)
            out += to_lower(values[i]);
        else
            out += text ? encode_escapes(values[i], escaped) : values[i];
        if (quoted) out += '"';
    }
    return out;
}

std::string format_ranges(const CommandSpec& spec) {
    std::string out;
    for (std::size_t i = 0; i < spec.params.size(); ++i) {
        const bool optional = spec.params[i].omit != Omit::Required;
        if (optional) out += '[';
        if (i) out += ',';
        out += range_of(spec.params[i]);
        if (optional) out += ']';
    }
    return out;
}

std::string test_answer(const CommandSpec& spec) {
    if (spec.test_form.empty()) return format_ranges(spec);
    std::string out(spec.test_form);
    const std::size_t entries = out.find('%');
    if (entries != std::string::npos && !spec.params.empty())
        out.replace(entries, 1, std::to_string(spec.params.front().max));
    return out;
}

} // namespace dtu::at
