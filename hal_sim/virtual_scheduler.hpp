#pragma once
// Virtual time: a discrete-event queue. Nothing happens until the owner runs it; then time jumps
// from one task to the next, so a day of device time costs only the work done in it. Tasks run in
// (time, order scheduled) order, which makes a run deterministic.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "hal_sim/scheduler.hpp"

namespace dtu::hal_sim {

class VirtualScheduler final : public RunnableScheduler {
public:
    TimePoint now() const override { return now_; }
    TaskId at(TimePoint when, std::function<void()> fn) override;
    void cancel(TaskId id) override;

    /// When the next task is due; nullopt when nothing is pending.
    std::optional<TimePoint> next_time() const;
    /// Run every task due up to `limit` in order, stopping early as soon as done() (checked after
    /// each task) is true. Time ends at `limit` unless stopped early. Returns whether done() held.
    bool run_until(TimePoint limit, const std::function<bool()>& done) override;
    bool run_until(TimePoint limit) { return run_until(limit, {}); }
    /// Move time forward to `when` (>= now) and run what is due on the way.
    void advance_to(TimePoint when) { run_until(when); }

    std::size_t pending() const { return queue_.size(); }
    /// Tasks run since construction (for benchmarks and runaway detection).
    std::uint64_t tasks_run() const override { return tasks_run_; }
    bool real_time() const override { return false; }

private:
    using Key = std::pair<TimePoint, TaskId>;
    TimePoint now_{};
    TaskId last_id_ = 0;
    std::uint64_t tasks_run_ = 0;
    std::map<Key, std::function<void()>> queue_;
    std::unordered_map<TaskId, TimePoint> due_; ///< id -> key time, for cancel
};

} // namespace dtu::hal_sim
