#pragma once
// Patterns and bytes in scenario files (scenarios/README.md "Values"): a string, {text: ...},
// {regex: ...} (RE2 syntax, regex.hpp; compiled here so a bad one is reported before anything runs) or
// {hex: "01 02 0a"}.
#include <optional>
#include <string>
#include <string_view>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_fields.hpp"

namespace dtu::sim::scenario {

/// A pattern of kind from what the file says (hex decoded, regex compiled); empty patterns are errors.
std::optional<Pattern> make_pattern(Pattern::Kind kind, const std::string& written, std::string& error);

/// A pattern given as a value: a string (text) or a map with one of text, regex, hex.
std::optional<Pattern> read_pattern(const Context& ctx, const YAML::Node& node, SourcePos pos);
/// A pattern given by one of the keys text, regex, hex among a step's options (required).
std::optional<Pattern> pattern_from(const Context& ctx, const MapFields& fields);

/// Bytes given as a value: a string or a map with one of text, hex.
std::optional<std::string> read_bytes(const Context& ctx, const YAML::Node& node, SourcePos pos);
/// Bytes given by one of the keys text, hex among a step's options (required).
std::optional<std::string> bytes_from(const Context& ctx, const MapFields& fields);

} // namespace dtu::sim::scenario
