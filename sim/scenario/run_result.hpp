#pragma once
// What running one scenario produced.
#include <cstdint>
#include <string>

namespace dtu::sim::scenario {

enum class Outcome : std::uint8_t {
    Passed,
    Failed,   ///< a mismatch: fail pattern, unexpected output, wrong status, wrong reboot cause
    TimedOut, ///< a wait ran out of time (its own timeout, or the scenario's deadline)
    Error,    ///< the scenario could not run (params rejected, wall-clock limit, trace not writable)
    Skipped,  ///< `clock: real` without --real-time, or `clock: virtual` with it
};

struct RunResult {
    Outcome outcome = Outcome::Passed;
    std::string message;       ///< one line: what failed
    std::string details;       ///< expected vs actual, last events
    int step = 0;              ///< 1-based index of the failing step (0: setup / none)
    double device_seconds = 0; ///< device time the run covered
    std::uint64_t events = 0;  ///< trace events recorded
    std::uint64_t tasks = 0;   ///< scheduler tasks run
    double wall_seconds = 0;   ///< real time the run took (measured by the command line)
    std::string trace;         ///< the JSONL trace written, its .pcapng next to it ("" = none)
};

/// "passed", "FAILED", "TIMED OUT", "ERROR", "skipped".
const char* outcome_name(Outcome outcome);

} // namespace dtu::sim::scenario
