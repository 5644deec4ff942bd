#include "sim/scenario/match_stream.hpp"

#include <cstdio>

#include "sim/scenario/trace_text.hpp"

namespace dtu::sim::scenario {

Matcher::Matcher(const Pattern& pattern) : pattern_(pattern) {
    if (pattern.kind != Pattern::Kind::Regex) return;
    std::string error; // the parser compiled it already (make_pattern): it cannot fail here
    regex_ = Regex::compile(pattern.value, error);
}

std::optional<Matcher::Hit> Matcher::find(std::string_view text, std::size_t from) const {
    if (from > text.size()) return std::nullopt;
    if (pattern_.kind == Pattern::Kind::Regex) return regex_ ? regex_->search(text, from) : std::nullopt;
    const std::size_t at = text.find(pattern_.value, from);
    if (at == std::string_view::npos) return std::nullopt;
    return Hit{at, at + pattern_.value.size()};
}

std::string Matcher::describe() const {
    switch (pattern_.kind) {
    case Pattern::Kind::Text: return "text \"" + printable(pattern_.value) + "\"";
    case Pattern::Kind::Regex: return "regex /" + pattern_.value + "/";
    case Pattern::Kind::Hex: return "hex " + hex_dump(pattern_.value);
    }
    return {};
}

bool MatchStream::consume(const Matcher& matcher) {
    const auto hit = matcher.find(data_, cursor_);
    if (!hit) return false;
    cursor_ = hit->end;
    return true;
}

std::string printable(std::string_view bytes, std::size_t max_bytes) {
    if (bytes.size() <= max_bytes) return readable_bytes(bytes);
    return readable_bytes(bytes.substr(0, max_bytes)) + "...";
}

std::string hex_dump(std::string_view bytes, std::size_t max_bytes) {
    std::string out;
    for (std::size_t i = 0; i < bytes.size() && i < max_bytes; ++i) {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%s%02x", i ? " " : "", static_cast<unsigned char>(bytes[i]));
        out += buf;
    }
    if (bytes.size() > max_bytes) out += " ...";
    return out;
}

} // namespace dtu::sim::scenario
