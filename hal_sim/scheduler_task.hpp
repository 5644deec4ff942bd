#pragma once
// A one-shot Scheduler task owned by an object: cancelled when restarted, cancelled or destroyed, so
// no callback outlives its owner (device::Timer's idiom, on the host's Scheduler).
#include <functional>
#include <utility>

#include "hal_sim/scheduler.hpp"

namespace dtu::hal_sim {

class SchedulerTask {
public:
    explicit SchedulerTask(Scheduler& scheduler) : scheduler_(scheduler) {}
    ~SchedulerTask() { cancel(); }
    SchedulerTask(const SchedulerTask&) = delete;
    SchedulerTask& operator=(const SchedulerTask&) = delete;

    /// (Re)start: fn runs once at `when` unless cancelled first. fn may destroy the owner.
    void at(Scheduler::TimePoint when, std::function<void()> fn) {
        cancel();
        when_ = when;
        id_ = scheduler_.at(when, [this, fn = std::move(fn)] {
            id_ = 0;
            fn();
        });
    }
    void after(Scheduler::Duration delay, std::function<void()> fn) {
        at(scheduler_.now() + delay, std::move(fn));
    }
    void cancel() {
        if (id_) scheduler_.cancel(id_);
        id_ = 0;
    }
    bool active() const { return id_ != 0; }
    /// When the pending run is due (meaningful while active()).
    Scheduler::TimePoint when() const { return when_; }
    Scheduler& scheduler() const { return scheduler_; }

private:
    Scheduler& scheduler_;
    Scheduler::TaskId id_ = 0;
    Scheduler::TimePoint when_{};
};

} // namespace dtu::hal_sim
