#pragma once
// Runs one scenario (in virtual time, or real time with --real-time): builds its World, applies `params`
// through the serial port, executes the steps in order, and says how it went. Every wait is bounded by its
// own timeout and the scenario's deadline (device time) and by a wall-clock limit, so a run always ends.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "sim/scenario/run_result.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/trace_recorder.hpp"
#include "sim/scenario/wall_limit.hpp"

namespace dtu::sim::scenario {

struct RunOptions {
    std::optional<std::uint64_t> seed; ///< --seed: wins over the file's
    std::string trace_dir;             ///< --trace: write NAME.jsonl and NAME.pcapng here ("" = none)
    std::string trace_name;            ///< NAME (trace_names.hpp); "" = the scenario file's own name
    std::chrono::seconds wall_limit = kDefaultWallLimit; ///< a run taking longer (real time) is an Error
    /// --real-time: every scenario runs on host time and sockets. Without it a `clock: real`
    /// scenario is skipped (its real peers may not be there).
    bool real_time = false;
};

RunResult run_scenario(const Scenario& scenario, const RunOptions& options);

} // namespace dtu::sim::scenario
