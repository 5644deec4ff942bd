#pragma once
// The one way a run advances device time: up to a point, never past the run's deadline, and never
// longer than its wall-clock limit, stopping early when a condition holds. Every step of the scenario
// runner waits through it (step_runner.cpp), and replay can bound a trace's time the same way.
#include <chrono>
#include <cstdint>
#include <functional>

#include "hal_sim/scheduler.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/wall_limit.hpp"

namespace dtu::sim::scenario {

class RunClock {
public:
    using TimePoint = hal_sim::Scheduler::TimePoint;
    /// The deadline counts from the scheduler's time now; wall_limit from the host's.
    RunClock(hal_sim::RunnableScheduler& scheduler, Duration deadline, std::chrono::seconds wall_limit);

    enum class Result : std::uint8_t {
        Met,      ///< done() held
        Reached,  ///< the time asked for passed (done() did not hold)
        Deadline, ///< the time asked for lies past the deadline: time ran up to the deadline only
        WallLimit ///< the wall-clock limit passed first
    };
    /// Run tasks for span of device time, or until done() (checked after each task) holds.
    Result advance(Duration span, const std::function<bool()>& done);
    /// The same, up to the device time until.
    Result advance_to(TimePoint until, const std::function<bool()>& done);

    TimePoint deadline() const { return deadline_; }

private:
    hal_sim::RunnableScheduler& scheduler_;
    TimePoint deadline_;
    WallLimit wall_;
};

} // namespace dtu::sim::scenario
