#include "hal_sim/asio_scheduler.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>

namespace dtu::hal_sim {

AsioScheduler::~AsioScheduler() { tasks_.clear(); } // cancels the timers; their handlers see an error

Scheduler::TaskId AsioScheduler::at(TimePoint when, std::function<void()> fn) {
    const TaskId id = ++last_id_;
    auto timer = std::make_unique<boost::asio::steady_timer>(io_, when);
    timer->async_wait([this, id](const boost::system::error_code& ec) {
        if (!ec) fire(id);
    });
    tasks_.emplace(id, Entry{std::move(timer), std::move(fn)});
    return id;
}

void AsioScheduler::fire(TaskId id) {
    // A task cancelled after its completion was already queued is gone.
    auto it = tasks_.find(id);
    if (it == tasks_.end()) return;
    std::function<void()> fn = std::move(it->second.fn);
    tasks_.erase(it); // erased before the call: fn may schedule or cancel tasks
    fn();
}

void AsioScheduler::cancel(TaskId id) { tasks_.erase(id); }

bool AsioScheduler::run_until(TimePoint limit, const std::function<bool()>& done) {
    // The guard keeps run_one_until waiting for the slice to end when nothing is pending.
    const auto guard = boost::asio::make_work_guard(io_);
    if (io_.stopped()) io_.restart();
    for (;;) {
        if (done && done()) return true;
        const TimePoint now = Clock::now();
        if (now >= limit) return false;
        handlers_run_ += io_.run_one_until(std::min(limit, now + kSlice));
    }
}

} // namespace dtu::hal_sim
