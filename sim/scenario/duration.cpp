#include "sim/scenario/duration.hpp"

#include <array>
#include <charconv>
#include <cstdint>

namespace dtu::sim::scenario {
namespace {

struct Unit {
    std::string_view suffix;
    std::int64_t ms;
};
// Longest suffix first so "ms" is not read as "m" followed by junk.
constexpr std::array<Unit, 5> kUnits{
    {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}}};
constexpr std::string_view kExamples = "500ms, 5s, 30m, 2h";

std::string too_long(const std::string& quoted) {
    return quoted + " is too long: at most " + format_duration(kMaxDuration) + " (10 years)";
}

} // namespace

std::optional<Duration> parse_duration(std::string_view text, std::string& error) {
    const std::string quoted = "'" + std::string(text) + "'";
    std::int64_t count = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
    const std::string_view suffix(end, static_cast<std::size_t>(text.data() + text.size() - end));
    if (ec == std::errc::result_out_of_range) {
        error = too_long(quoted);
        return std::nullopt;
    }
    if (ec != std::errc() || end == text.data()) {
        error = quoted + " is not a duration: a whole number and a unit, e.g. " + std::string(kExamples);
        return std::nullopt;
    }
    if (suffix.empty()) {
        error = quoted + " needs a unit: " + std::string(kExamples);
        return std::nullopt;
    }
    for (const Unit& unit : kUnits) {
        if (suffix != unit.suffix) continue;
        if (count <= 0) {
            error = quoted + " must be longer than 0";
            return std::nullopt;
        }
        if (count > kMaxDuration.count() / unit.ms) {
            error = too_long(quoted);
            return std::nullopt;
        }
        return Duration(count * unit.ms);
    }
    error = quoted + " has an unknown unit '" + std::string(suffix) + "': use ms, s, m, h or d (" +
            std::string(kExamples) + ")";
    return std::nullopt;
}

std::string format_duration(Duration d) {
    const std::int64_t ms = d.count();
    for (auto it = kUnits.rbegin(); it != kUnits.rend(); ++it)
        if (ms != 0 && ms % it->ms == 0) return std::to_string(ms / it->ms) + std::string(it->suffix);
    return std::to_string(ms) + "ms";
}

} // namespace dtu::sim::scenario
