#pragma once
// The wall-clock bound of a run (--wall-limit): a scenario or a replay that takes longer than this
// in real time is stopped, so a runaway file (a deadline of years, a trace whose last event is
// centuries away) ends in seconds instead of filling the memory.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "hal_sim/scheduler.hpp"

namespace dtu::sim::scenario {

inline constexpr std::chrono::seconds kDefaultWallLimit{120};
/// S as a wall limit: a whole number of seconds > 0; nullopt with error otherwise.
std::optional<std::chrono::seconds> parse_wall_limit(const std::string& text, std::string& error);

class WallLimit {
public:
    explicit WallLimit(std::chrono::seconds limit);
    /// Whether the limit has passed. Called after every scheduler task: virtual time runs
    /// thousands of tasks a millisecond, so it looks at the clock every so many calls; real time
    /// looks every time. Once true, stays true.
    bool exceeded(const hal_sim::RunnableScheduler& scheduler);
    std::chrono::seconds limit() const { return limit_; }

private:
    std::chrono::seconds limit_;
    std::chrono::steady_clock::time_point end_;
    std::uint64_t calls_ = 0;
    bool exceeded_ = false;
};

} // namespace dtu::sim::scenario
