#pragma once
// Replaying a trace: a fresh World built from the trace's header, its servers passive, every input
// of the trace applied at the device time and scheduler position it was recorded at; then the
// outputs of the replay are compared with the recorded ones, byte for byte. The brokers are not
// passive: the broker model is deterministic, so it runs again, takes the trace's broker_publish,
// broker_state and broker_drop inputs, and its events (broker_connect, broker_message, ...) are
// compared like the device's outputs. Like a scenario run, it
// is bounded by the scenario's deadline (device time, from the header) and a wall-clock limit.
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "sim/scenario/trace_event.hpp"
#include "sim/scenario/wall_limit.hpp"

namespace dtu::sim::scenario {

struct ReplayResult {
    bool reproduced = false;
    std::size_t inputs = 0;           ///< input events applied
    std::size_t outputs = 0;          ///< output events compared (recorded)
    std::string error;                ///< the trace could not be replayed (bad header, bad input)
    std::string stopped;              ///< the replay was stopped (its wall-clock limit passed)
    std::string difference;           ///< the first output that differs, both sides described
    std::vector<TraceEvent> replayed; ///< the replay's own trace
};

struct ReplayOptions {
    std::chrono::seconds wall_limit = kDefaultWallLimit; ///< --wall-limit, as for scenarios
};

ReplayResult replay_trace(const std::vector<TraceEvent>& recorded, const ReplayOptions& options = {});

} // namespace dtu::sim::scenario
