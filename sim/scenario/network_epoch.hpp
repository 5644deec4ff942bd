#pragma once
// The UTC a virtual-time run starts at: the network's time in scenarios (AT+CCLK answers the same in
// every run) and the first timestamp of their pcapng traces.
#include <chrono>

namespace dtu::sim::scenario {

/// 2026-01-01T00:00:00Z.
inline constexpr std::chrono::system_clock::time_point kNetworkEpoch =
    std::chrono::sys_days{std::chrono::year{2026} / std::chrono::January / 1};

} // namespace dtu::sim::scenario
