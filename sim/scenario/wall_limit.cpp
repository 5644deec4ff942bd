#include "sim/scenario/wall_limit.hpp"

#include <charconv>

namespace dtu::sim::scenario {
namespace {

/// Calls between two looks at the clock in virtual time.
constexpr std::uint64_t kLookEvery = 1024;

} // namespace

std::optional<std::chrono::seconds> parse_wall_limit(const std::string& text, std::string& error) {
    std::uint32_t seconds = 0;
    const char* end = text.data() + text.size();
    const auto [at, ec] = std::from_chars(text.data(), end, seconds);
    if (ec == std::errc() && at == end && seconds > 0) return std::chrono::seconds(seconds);
    error = "--wall-limit needs a whole number of seconds from 1 to 4294967295, not '" + text + "'";
    return std::nullopt;
}

WallLimit::WallLimit(std::chrono::seconds limit)
    : limit_(limit), end_(std::chrono::steady_clock::now() + limit) {}

bool WallLimit::exceeded(const hal_sim::RunnableScheduler& scheduler) {
    if (exceeded_) return true;
    const bool look = scheduler.real_time() || ++calls_ % kLookEvery == 0;
    exceeded_ = look && std::chrono::steady_clock::now() > end_;
    return exceeded_;
}

} // namespace dtu::sim::scenario
