#pragma once
// `dtu-sim scenario FILE...` and `dtu-sim replay TRACE`: argument handling, progress, summary,
// JUnit, exit status.
#include <string>
#include <vector>

namespace dtu::sim::scenario {

inline constexpr int kExitScenarioFailed = 1;  ///< a step failed (mismatch) or a run errored
inline constexpr int kExitScenarioUsage = 2;   ///< bad command line
inline constexpr int kExitScenarioTimeout = 3; ///< a wait timed out, nothing mismatched
inline constexpr int kExitScenarioInvalid = 4; ///< a scenario file or trace is invalid (it did not run)

/// args: what follows "scenario" on the command line.
int scenario_main(const std::vector<std::string>& args);
/// args: what follows "replay" (replay_cli.cpp).
int replay_main(const std::vector<std::string>& args);

} // namespace dtu::sim::scenario
