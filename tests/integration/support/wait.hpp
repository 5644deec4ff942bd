#pragma once
// Waiting for a condition with a deadline: the only way integration tests wait (the simulator's
// own helper, sim/process/wait_until.hpp).
#include "sim/process/wait_until.hpp"

namespace dtu::itest {

using sim::process::wait_until;

} // namespace dtu::itest
