#include "sim/scenario/pattern.hpp"

#include <vector>

#include "sim/scenario/hex.hpp"
#include "sim/scenario/regex.hpp"
#include "sim/scenario/suggest.hpp"

namespace dtu::sim::scenario {
namespace {

struct KindKey {
    std::string_view key;
    Pattern::Kind kind;
};
constexpr KindKey kPatternKeys[] = {
    {"text", Pattern::Kind::Text}, {"regex", Pattern::Kind::Regex}, {"hex", Pattern::Kind::Hex}};

/// The one field among keys present in fields; none or several are errors (at the map).
const Field* one_of(const Context& ctx, const MapFields& fields, const std::vector<std::string_view>& keys,
                    std::string_view what) {
    const Field* found = nullptr;
    for (std::string_view key : keys) {
        const Field* f = fields.find(key);
        if (f == nullptr) continue;
        if (found != nullptr) {
            ctx.error(f->key,
                      "give only one of " + join(keys) + " (found " + found->name + " and " + f->name + ")");
            return nullptr;
        }
        found = f;
    }
    if (found == nullptr) ctx.error(fields.node(), "missing " + std::string(what));
    return found;
}

Pattern::Kind kind_of(std::string_view key) {
    for (const KindKey& k : kPatternKeys)
        if (k.key == key) return k.kind;
    return Pattern::Kind::Text;
}

std::optional<Pattern> pattern_field(const Context& ctx, const Field& f) {
    const auto written = read_string(ctx, f);
    if (!written) return std::nullopt;
    std::string why;
    auto pattern = make_pattern(kind_of(f.name), *written, why);
    if (!pattern) f.in(ctx).error(f.pos(), why);
    return pattern;
}

/// The bytes of hex as the file wrote it; the error quotes it and shows the form that works.
std::optional<std::string> hex_bytes(const std::string& written, std::string& error) {
    std::string why;
    auto bytes = decode_hex(written, why);
    if (!bytes) error = "'" + written + "' is not hex: " + why + " (write bytes as \"01 02 0a\")";
    return bytes;
}

std::optional<std::string> bytes_field(const Context& ctx, const Field& f) {
    const auto written = read_string(ctx, f);
    if (!written) return std::nullopt;
    if (f.name == "text") return written;
    std::string why;
    auto bytes = hex_bytes(*written, why);
    if (!bytes) f.in(ctx).error(f.pos(), why);
    return bytes;
}

} // namespace

std::optional<Pattern> make_pattern(Pattern::Kind kind, const std::string& written, std::string& error) {
    Pattern pattern{kind, written, written};
    if (kind == Pattern::Kind::Hex) {
        auto bytes = hex_bytes(written, error);
        if (!bytes) return std::nullopt;
        pattern.value = std::move(*bytes);
    }
    if (kind == Pattern::Kind::Regex && !Regex::compile(written, error)) return std::nullopt;
    if (pattern.value.empty()) {
        error = "an empty pattern would match anything";
        return std::nullopt;
    }
    return pattern;
}

std::optional<Pattern> read_pattern(const Context& ctx, const YAML::Node& node, SourcePos pos) {
    if (node.IsScalar()) {
        std::string why;
        auto pattern = make_pattern(Pattern::Kind::Text, node.Scalar(), why);
        if (!pattern) ctx.error(pos, why);
        return pattern;
    }
    if (!node.IsMap()) {
        ctx.error(pos, "expected a pattern: a string, {text: ...}, {regex: ...} or {hex: ...}, found " +
                           describe(node));
        return std::nullopt;
    }
    return pattern_from(ctx, MapFields(ctx, node, {"text", "regex", "hex"}));
}

std::optional<Pattern> pattern_from(const Context& ctx, const MapFields& fields) {
    const Field* f = one_of(ctx, fields, {"text", "regex", "hex"}, "what to look for (text, regex or hex)");
    return f == nullptr ? std::nullopt : pattern_field(ctx, *f);
}

std::optional<std::string> read_bytes(const Context& ctx, const YAML::Node& node, SourcePos pos) {
    if (node.IsScalar()) {
        if (!node.Scalar().empty()) return node.Scalar();
        ctx.error(pos, "nothing to send: the string is empty");
        return std::nullopt;
    }
    if (!node.IsMap()) {
        ctx.error(pos, "expected bytes: a string or {hex: \"01 02\"}, found " + describe(node));
        return std::nullopt;
    }
    return bytes_from(ctx, MapFields(ctx, node, {"text", "hex"}));
}

std::optional<std::string> bytes_from(const Context& ctx, const MapFields& fields) {
    const Field* f = one_of(ctx, fields, {"text", "hex"}, "the bytes to send (text or hex)");
    if (f == nullptr) return std::nullopt;
    auto bytes = bytes_field(ctx, *f);
    if (bytes && bytes->empty()) {
        f->in(ctx).error(f->pos(), "nothing to send: no bytes");
        return std::nullopt;
    }
    return bytes;
}

} // namespace dtu::sim::scenario
