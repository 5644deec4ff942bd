#include "hal_sim/scheduler_clock.hpp"

#include <chrono>
#include <utility>

namespace dtu::hal_sim {

SchedulerClock::SchedulerClock(Scheduler& scheduler) : scheduler_(scheduler), start_(scheduler.now()) {}

SchedulerClock::~SchedulerClock() { cancel_all(); }

std::uint64_t SchedulerClock::now_ms() const {
    const auto elapsed = scheduler_.now() - start_;
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count());
}

hal::TimerId SchedulerClock::after(std::uint32_t ms, std::function<void()> fn) {
    // Ids are never 0 (kNoTimer) and, after wrap-around, never one still pending.
    do {
        ++last_id_;
    } while (last_id_ == hal::kNoTimer || tasks_.count(last_id_) != 0);
    const hal::TimerId id = last_id_;
    const Scheduler::TaskId task =
        scheduler_.after(std::chrono::milliseconds(ms), [this, id, fn = std::move(fn)] {
            tasks_.erase(id); // before the call: fn may start or cancel timers
            fn();
        });
    tasks_.emplace(id, task);
    return id;
}

void SchedulerClock::cancel(hal::TimerId id) {
    const auto it = tasks_.find(id);
    if (it == tasks_.end()) return;
    scheduler_.cancel(it->second);
    tasks_.erase(it);
}

void SchedulerClock::cancel_all() {
    for (const auto& [id, task] : tasks_)
        scheduler_.cancel(task);
    tasks_.clear();
}

} // namespace dtu::hal_sim
