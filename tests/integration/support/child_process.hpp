#pragma once
// A child process for tests (dtu-sim, socat, mosquitto): the simulator's own, which starts the
// mosquitto of real-time scenarios (sim/process/child_process.hpp).
#include "sim/process/child_process.hpp"

namespace dtu::itest {

using sim::process::ChildProcess;
using sim::process::ExitStatus;
using sim::process::run_to_end;
using sim::process::SpawnOptions;

} // namespace dtu::itest
