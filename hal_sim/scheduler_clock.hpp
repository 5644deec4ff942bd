#pragma once
// hal::Clock over a Scheduler: the firmware's millisecond timers in real or virtual time.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>

#include "dtu/hal/clock.hpp"
#include "hal_sim/scheduler.hpp"

namespace dtu::hal_sim {

class SchedulerClock final : public hal::Clock {
public:
    /// Time 0 is the scheduler's now.
    explicit SchedulerClock(Scheduler& scheduler);
    ~SchedulerClock() override;
    SchedulerClock(const SchedulerClock&) = delete;
    SchedulerClock& operator=(const SchedulerClock&) = delete;

    /// Milliseconds since construction (survives firmware resets).
    std::uint64_t now_ms() const override;
    /// One-shot timer; fn runs from the scheduler, never inside this call.
    hal::TimerId after(std::uint32_t ms, std::function<void()> fn) override;
    /// Cancel one timer; unknown or fired ids are ignored.
    void cancel(hal::TimerId id) override;
    /// Cancel every pending timer (the firmware is being reset).
    void cancel_all();
    /// Number of timers still pending.
    std::size_t pending() const { return tasks_.size(); }

private:
    Scheduler& scheduler_;
    const Scheduler::TimePoint start_;
    hal::TimerId last_id_ = hal::kNoTimer;
    std::map<hal::TimerId, Scheduler::TaskId> tasks_; ///< exactly the pending timers
};

} // namespace dtu::hal_sim
