#include "sim/scenario/yaml_fields.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "sim/scenario/duration.hpp"
#include "sim/scenario/suggest.hpp"

namespace dtu::sim::scenario {

SourcePos pos_of(const YAML::Node& node) {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null() || mark.line < 0) return {};
    return {mark.line + 1, mark.column + 1};
}

void ErrorList::add(SourcePos pos, std::string message) {
    errors_.push_back(ScenarioError{file_, pos.line, pos.column, std::move(message)});
}

SourcePos Field::pos() const { return value.IsNull() || !value.IsDefined() ? pos_of(key) : pos_of(value); }

std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "'" + node.Scalar() + "'";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: break;
    }
    return "nothing";
}

MapFields::MapFields(const Context& ctx, const YAML::Node& map, std::vector<std::string_view> allowed)
    : ctx_(ctx), map_(map) {
    for (const auto& entry : map) { // entry is a temporary pair of handles: copy them, never refer
        const YAML::Node key = entry.first;
        if (!key.IsScalar()) {
            ctx.error(key, "a key must be a name, found " + describe(key));
            continue;
        }
        const std::string name = key.Scalar();
        if (find(name) != nullptr) {
            ctx.error(key, "'" + name + "' appears twice in this map");
            continue;
        }
        if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            ctx.error(key, "unknown key '" + name + "'" + did_you_mean(name, allowed) +
                               " (keys: " + join(allowed) + ")");
            continue;
        }
        fields_.push_back(Field{name, key, entry.second});
    }
}

const Field* MapFields::find(std::string_view key) const {
    const auto it =
        std::find_if(fields_.begin(), fields_.end(), [&](const Field& f) { return f.name == key; });
    return it == fields_.end() ? nullptr : &*it;
}

const Field* MapFields::require(std::string_view key) const {
    const Field* f = find(key);
    if (f == nullptr) ctx_.error(map_, "missing required key '" + std::string(key) + "'");
    return f;
}

bool expect_map(const Context& ctx, const YAML::Node& node, SourcePos pos, std::string_view what) {
    if (node.IsMap()) return true;
    ctx.error(pos, "expected a map (" + std::string(what) + "), found " + describe(node));
    return false;
}

std::optional<std::string> scalar_text(const YAML::Node& node) {
    if (!node.IsScalar()) return std::nullopt;
    return node.Scalar();
}

std::optional<std::string> read_string(const Context& ctx, const Field& f) {
    if (f.value.IsScalar()) return f.value.Scalar();
    f.in(ctx).error(f.pos(), "expected a string, found " + describe(f.value));
    return std::nullopt;
}

std::optional<bool> read_bool(const Context& ctx, const Field& f) {
    static const std::vector<std::string_view> kTrue{"true", "True", "TRUE"};
    static const std::vector<std::string_view> kFalse{"false", "False", "FALSE"};
    if (const auto text = scalar_text(f.value); text && f.value.Tag() == "?") {
        if (std::find(kTrue.begin(), kTrue.end(), *text) != kTrue.end()) return true;
        if (std::find(kFalse.begin(), kFalse.end(), *text) != kFalse.end()) return false;
    }
    f.in(ctx).error(f.pos(), "expected true or false, found " + describe(f.value));
    return std::nullopt;
}

namespace {

template <typename T> std::optional<T> whole_number(const YAML::Node& node) {
    const auto text = scalar_text(node);
    if (!text || text->empty()) return std::nullopt;
    T value{};
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
    return value;
}

} // namespace

std::optional<std::int64_t> read_int(const Context& ctx, const Field& f, std::int64_t lo, std::int64_t hi) {
    const auto value = whole_number<std::int64_t>(f.value);
    if (value && *value >= lo && *value <= hi) return value;
    f.in(ctx).error(f.pos(), "expected a whole number from " + std::to_string(lo) + " to " +
                                 std::to_string(hi) + ", found " + describe(f.value));
    return std::nullopt;
}

std::optional<std::uint64_t> read_uint64(const Context& ctx, const Field& f) {
    if (const auto value = whole_number<std::uint64_t>(f.value)) return value;
    f.in(ctx).error(f.pos(), "expected a whole number from 0 to " +
                                 std::to_string(std::numeric_limits<std::uint64_t>::max()) + ", found " +
                                 describe(f.value));
    return std::nullopt;
}

std::optional<Duration> read_duration(const Context& ctx, const Field& f) {
    const auto text = scalar_text(f.value);
    if (!text) {
        f.in(ctx).error(f.pos(), "expected a duration (500ms, 5s, 30m, 2h), found " + describe(f.value));
        return std::nullopt;
    }
    std::string why;
    const auto d = parse_duration(*text, why);
    if (!d) f.in(ctx).error(f.pos(), why);
    return d;
}

} // namespace dtu::sim::scenario
