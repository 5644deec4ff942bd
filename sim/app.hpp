#pragma once
// Running the simulator: event loop, start-up announcement, signals, clean shutdown.
#include "sim/cli.hpp"

namespace dtu::sim {

/// Exit status for a runtime failure (no PTY, state dir not writable, ...).
inline constexpr int kExitFailure = 1;

/// Run one device until SIGINT/SIGTERM; returns the process exit status.
int run(const Options& options);

} // namespace dtu::sim
