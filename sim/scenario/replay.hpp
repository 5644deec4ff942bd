#pragma once
// Replaying a trace: a fresh World built from the trace's header, its servers passive, every input
// of the trace applied at the device time and scheduler position it was recorded at; then the
// outputs of the replay are compared with the recorded ones, byte for byte.
#include <cstddef>
#include <string>
#include <vector>

#include "sim/scenario/trace_event.hpp"

namespace dtu::sim::scenario {

struct ReplayResult {
    bool reproduced = false;
    std::size_t inputs = 0;           ///< input events applied
    std::size_t outputs = 0;          ///< output events compared (recorded)
    std::string error;                ///< the trace could not be replayed (bad header, bad input)
    std::string difference;           ///< the first output that differs, both sides described
    std::vector<TraceEvent> replayed; ///< the replay's own trace
};

ReplayResult replay_trace(const std::vector<TraceEvent>& recorded);

} // namespace dtu::sim::scenario
