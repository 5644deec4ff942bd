#pragma once
// hal::Log for the host: one line per message on stderr, below a chosen level filtered out.
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "dtu/hal/log.hpp"

namespace dtu::hal_sim {

/// Prints `2026-12-01T22:14:03.123+01:00 LEVEL [tag] message` (ISO 8601 local time with its offset
/// from UTC) to a stdio stream, default stderr.
class HostLog final : public hal::Log {
public:
    /// tag names the source, e.g. the device ("g771/868000000000001": profile and IMEI, so merged logs
    /// of several devices can be told apart) or the simulator ("dtu-sim/868000000000001").
    HostLog(std::string tag, hal::LogLevel min_level, std::FILE* out = stderr);

    /// Print the line if level >= the minimum; one fwrite, so lines never interleave.
    void write(hal::LogLevel level, std::string_view line) override;
    /// Whether a message at this level would be printed.
    bool enabled(hal::LogLevel level) const { return level >= min_level_; }

    /// "debug", "info", "warn" or "error" (the --log-level values); nullopt otherwise.
    static std::optional<hal::LogLevel> parse_level(std::string_view name);
    /// Fixed-width upper-case level name, e.g. "WARN ".
    static std::string_view level_name(hal::LogLevel level);

private:
    std::string tag_;
    hal::LogLevel min_level_;
    std::FILE* out_;
};

} // namespace dtu::hal_sim
