#pragma once
// 127.0.0.1 addresses and ports for the test peers (brokers, servers) that run beside dtu-sim (the
// simulator's own helpers, sim/process/loopback_port.hpp).
#include "sim/process/loopback_port.hpp"

namespace dtu::itest {

using sim::process::free_tcp_port;
using sim::process::loopback;
using sim::process::tcp_accepts;

} // namespace dtu::itest
