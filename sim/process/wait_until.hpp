#pragma once
// Waiting for a condition with a deadline (a process started, a port listening): the only way the
// simulator's process helpers, and the integration tests, wait.
#include <chrono>
#include <thread>

namespace dtu::sim::process {

/// Check done() until it returns true or timeout passes; true if it did. The short pause between
/// checks only paces the polling — the wait ends as soon as the condition holds.
template <typename Predicate>
bool wait_until(Predicate done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval = std::chrono::milliseconds(2)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (done()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(interval);
    }
}

} // namespace dtu::sim::process
