#include "sim/scenario/run_clock.hpp"

#include <algorithm>

namespace dtu::sim::scenario {
namespace {

/// from + span, or the latest time point when that does not fit.
template <typename T, typename D> T saturating_add(T from, D span) {
    const auto room = std::chrono::duration_cast<D>(T::max() - from); // rounded down: it fits
    return span >= room ? T::max() : from + span;
}

} // namespace

RunClock::RunClock(hal_sim::RunnableScheduler& scheduler, Duration deadline, std::chrono::seconds wall_limit)
    : scheduler_(scheduler), deadline_(saturating_add(scheduler.now(), deadline)), wall_(wall_limit) {}

RunClock::Result RunClock::advance(Duration span, const std::function<bool()>& done) {
    return advance_to(saturating_add(scheduler_.now(), span), done);
}

RunClock::Result RunClock::advance_to(TimePoint until, const std::function<bool()>& done) {
    if (wall_.exceeded(scheduler_)) return Result::WallLimit;
    bool met = false;
    scheduler_.run_until(std::min(until, deadline_), [&] {
        if (wall_.exceeded(scheduler_)) return true;
        met = done && done();
        return met;
    });
    if (wall_.exceeded(scheduler_)) return Result::WallLimit;
    if (met) return Result::Met;
    return until > deadline_ ? Result::Deadline : Result::Reached;
}

} // namespace dtu::sim::scenario
