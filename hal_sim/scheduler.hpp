#pragma once
// Where the host HAL's time comes from: an executor with timed tasks. Real time is AsioScheduler
// (steady timers on an io_context); virtual time is VirtualScheduler (a discrete-event queue the
// scenario runner advances, so time jumps to the next event). Every hal_sim part that needs time
// (the firmware's clock, resets, the SMS centre, the virtual network) takes a Scheduler, so the same
// parts run under both clocks.
#include <chrono>
#include <cstdint>
#include <functional>

namespace dtu::hal_sim {

class Scheduler {
public:
    using Clock = std::chrono::steady_clock;
    using TimePoint = Clock::time_point;
    using Duration = Clock::duration;
    using TaskId = std::uint64_t; ///< never 0

    virtual ~Scheduler() = default;
    /// Current time (virtual: starts at TimePoint{}).
    virtual TimePoint now() const = 0;
    /// Run fn at `when` (at once if it has passed), never inside this call. Tasks due at the same
    /// time run in the order they were scheduled.
    virtual TaskId at(TimePoint when, std::function<void()> fn) = 0;
    /// Forget a pending task; unknown, fired or cancelled ids are ignored.
    virtual void cancel(TaskId id) = 0;

    TaskId after(Duration delay, std::function<void()> fn) { return at(now() + delay, std::move(fn)); }
    TaskId post(std::function<void()> fn) { return at(now(), std::move(fn)); }
};

/// A Scheduler its owner drives step by step (the scenario runner): virtual time jumps from task to
/// task, real time waits for them. Either way the owner says how far to go and when to stop.
class RunnableScheduler : public Scheduler {
public:
    /// Run what is due up to `limit`, stopping early as soon as done() (checked after each task, and
    /// in real time at least every few milliseconds) is true. Returns whether done() held.
    virtual bool run_until(TimePoint limit, const std::function<bool()>& done) = 0;
    /// Tasks (real time: event handlers) run since construction.
    virtual std::uint64_t tasks_run() const = 0;
    /// Whether time is the host's (it passes by itself) rather than jumping from task to task.
    virtual bool real_time() const = 0;
};

} // namespace dtu::hal_sim
