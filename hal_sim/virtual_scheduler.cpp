#include "hal_sim/virtual_scheduler.hpp"

namespace dtu::hal_sim {

Scheduler::TaskId VirtualScheduler::at(TimePoint when, std::function<void()> fn) {
    if (when < now_) when = now_; // the past is now: order among due tasks stays FIFO
    const TaskId id = ++last_id_;
    queue_.emplace(Key{when, id}, std::move(fn));
    due_.emplace(id, when);
    return id;
}

void VirtualScheduler::cancel(TaskId id) {
    const auto it = due_.find(id);
    if (it == due_.end()) return;
    queue_.erase(Key{it->second, id});
    due_.erase(it);
}

std::optional<Scheduler::TimePoint> VirtualScheduler::next_time() const {
    if (queue_.empty()) return std::nullopt;
    return queue_.begin()->first.first;
}

bool VirtualScheduler::run_until(TimePoint limit, const std::function<bool()>& done) {
    if (done && done()) return true;
    while (!queue_.empty() && queue_.begin()->first.first <= limit) {
        auto node = queue_.extract(queue_.begin());
        now_ = node.key().first;
        due_.erase(node.key().second);
        ++tasks_run_;
        node.mapped()(); // erased before the call: it may schedule or cancel tasks
        if (done && done()) return true;
    }
    if (limit > now_) now_ = limit;
    return false;
}

} // namespace dtu::hal_sim
