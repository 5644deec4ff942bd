#include "sim/scenario/run_clock.hpp"

#include <algorithm>

namespace dtu::sim::scenario {
namespace {

/// Tasks between two looks at the wall clock (virtual time runs thousands a millisecond).
constexpr std::uint64_t kWallCheckEvery = 1024;

/// from + span, or the latest time point when that does not fit.
template <typename T, typename D> T saturating_add(T from, D span) {
    const auto room = std::chrono::duration_cast<D>(T::max() - from); // rounded down: it fits
    return span >= room ? T::max() : from + span;
}

} // namespace

RunClock::RunClock(hal_sim::RunnableScheduler& scheduler, Duration deadline, std::chrono::seconds wall_limit)
    : scheduler_(scheduler), deadline_(saturating_add(scheduler.now(), deadline)),
      wall_deadline_(saturating_add(std::chrono::steady_clock::now(), wall_limit)) {}

RunClock::Result RunClock::advance(Duration span, const std::function<bool()>& done) {
    return advance_to(saturating_add(scheduler_.now(), span), done);
}

RunClock::Result RunClock::advance_to(TimePoint until, const std::function<bool()>& done) {
    if (wall_limit_passed()) return Result::WallLimit;
    bool met = false;
    scheduler_.run_until(std::min(until, deadline_), [&] {
        if (wall_limit_passed()) return true;
        met = done && done();
        return met;
    });
    if (wall_passed_) return Result::WallLimit;
    if (met) return Result::Met;
    return until > deadline_ ? Result::Deadline : Result::Reached;
}

bool RunClock::wall_limit_passed() {
    // Real time looks at the clock every time; virtual time every kWallCheckEvery tasks.
    const bool look = scheduler_.real_time() || ++checks_ % kWallCheckEvery == 0;
    if (look && std::chrono::steady_clock::now() > wall_deadline_) wall_passed_ = true;
    return wall_passed_;
}

} // namespace dtu::sim::scenario
