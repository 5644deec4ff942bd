#pragma once
// YAML values as JSON, for the parts of a scenario that are control API bodies (link, radio, sms_in)
// or compared with one (expect_status). Plain scalars are typed as YAML 1.2's core schema does
// (null, true/false, integers, floats; anything else a string); quoted scalars are strings.
#include <optional>

#include <QJsonValue>

#include "sim/scenario/yaml_fields.hpp"

namespace dtu::sim::scenario {

enum class Scalars {
    Typed,  ///< 42 -> number, true -> bool, ~ -> null
    Strings ///< every scalar as its text (SMS numbers like +8613800138000 stay strings)
};

/// The node as JSON; non-finite numbers, keys that are not names, duplicate keys, unknown tags and
/// alias expansions past a size limit are errors (reported, nullopt).
std::optional<QJsonValue> to_json(const Context& ctx, const YAML::Node& node,
                                  Scalars scalars = Scalars::Typed);

} // namespace dtu::sim::scenario
