#pragma once
// Reading YAML nodes into plain values with errors placed in the file: a Context collects every
// problem (file, line, column, message; nothing stops at the first one), MapFields checks a map's
// keys, and the read_* functions check one value's type and range.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_parser.hpp"

namespace dtu::sim::scenario {

/// Where a node starts (yaml-cpp marks are 0-based; ours 1-based). {0, 0} when it has no mark.
SourcePos pos_of(const YAML::Node& node);

/// Every error found in one file.
class ErrorList {
public:
    explicit ErrorList(std::string file) : file_(std::move(file)) {}
    void add(SourcePos pos, std::string message);
    const std::string& file() const { return file_; }
    const std::vector<ScenarioError>& errors() const { return errors_; }
    std::vector<ScenarioError> take() { return std::move(errors_); }

private:
    std::string file_;
    std::vector<ScenarioError> errors_;
};

/// Reports errors into an ErrorList, each message starting with where it is ("step 4: ").
class Context {
public:
    explicit Context(ErrorList& list, std::string prefix = {}) : list_(&list), prefix_(std::move(prefix)) {}
    /// The same list, with prefix appended to this context's prefix.
    Context nested(std::string_view prefix) const { return Context(*list_, prefix_ + std::string(prefix)); }
    void error(SourcePos pos, const std::string& message) const { list_->add(pos, prefix_ + message); }
    void error(const YAML::Node& at, const std::string& message) const { error(pos_of(at), message); }
    /// The scenario file's name as given (files it names are relative to its folder).
    const std::string& file() const { return list_->file(); }
    /// How many errors the list holds (to tell whether a part added any).
    std::size_t error_count() const { return list_->errors().size(); }

private:
    ErrorList* list_;
    std::string prefix_;
};

/// One key: value of a map.
struct Field {
    std::string name;
    YAML::Node key;
    YAML::Node value;
    /// The value's position; the key's when the value is empty (yaml-cpp places an empty value at
    /// the next token, often on the next line).
    SourcePos pos() const;
    /// A context whose messages start with "name: ".
    Context in(const Context& ctx) const { return ctx.nested(name + ": "); }
};

/// "a map", "a list", "a string", "nothing": what a node is, for "expected X, found Y".
std::string describe(const YAML::Node& node);

/// The fields of one YAML map. Duplicate keys, keys that are not strings and (unless open) keys
/// not in allowed are errors; the first of duplicate keys is kept.
class MapFields {
public:
    /// allowed empty = any key (JSON-like objects checked elsewhere).
    MapFields(const Context& ctx, const YAML::Node& map, std::vector<std::string_view> allowed);

    const Field* find(std::string_view key) const;
    const std::vector<Field>& all() const { return fields_; }
    /// Report a missing key (at the map) and return nullptr, or the field.
    const Field* require(std::string_view key) const;
    const YAML::Node& node() const { return map_; }

private:
    Context ctx_;
    YAML::Node map_;
    std::vector<Field> fields_;
};

/// True when the node is a map; otherwise reports "expected a map (what), found ...".
bool expect_map(const Context& ctx, const YAML::Node& node, SourcePos pos, std::string_view what);

/// A scalar's text (a plain 42 reads as "42"); an error for maps, lists and empty values.
std::optional<std::string> read_string(const Context& ctx, const Field& f);
/// true or false (YAML 1.2: true/True/TRUE, false/False/FALSE).
std::optional<bool> read_bool(const Context& ctx, const Field& f);
/// A whole number from lo to hi.
std::optional<std::int64_t> read_int(const Context& ctx, const Field& f, std::int64_t lo, std::int64_t hi);
/// A whole number from 0 to 2^64-1.
std::optional<std::uint64_t> read_uint64(const Context& ctx, const Field& f);
/// A duration with a unit (duration.hpp).
std::optional<Duration> read_duration(const Context& ctx, const Field& f);

/// The scalar text of a node when it is a non-empty scalar, else nullopt.
std::optional<std::string> scalar_text(const YAML::Node& node);

} // namespace dtu::sim::scenario
