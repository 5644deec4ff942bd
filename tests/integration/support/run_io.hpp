#pragma once
// Driving an io_context from a test until a condition holds (no fixed sleeps).
#include <chrono>

#include <boost/asio/io_context.hpp>

namespace dtu::itest {

/// Run io in short slices until done() or timeout; true if done() became true.
template <typename Predicate>
bool run_until(boost::asio::io_context& io, Predicate done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        io.restart();
        io.run_for(std::chrono::milliseconds(5));
    }
    return true;
}

} // namespace dtu::itest
