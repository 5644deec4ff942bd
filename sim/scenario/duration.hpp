#pragma once
// Durations in scenario files (scenarios/README.md "Values"): a whole number and a unit.
#include <optional>
#include <string>
#include <string_view>

#include "sim/scenario/scenario.hpp"

namespace dtu::sim::scenario {

/// The longest duration a file may write: device time is nanoseconds in an int64 (about 292
/// years), and a deadline plus a timeout plus the time already run must still fit.
inline constexpr Duration kMaxDuration = std::chrono::hours(24 * 3650);

/// "250ms", "5s", "30m", "2h", "1d" -> the duration (> 0, at most kMaxDuration), or nullopt with why
/// in error.
std::optional<Duration> parse_duration(std::string_view text, std::string& error);

/// The shortest exact form: 90000ms -> "90s", 3600000ms -> "1h", 1500ms -> "1500ms".
std::string format_duration(Duration d);

} // namespace dtu::sim::scenario
