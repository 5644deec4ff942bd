#pragma once
// Real time: Scheduler tasks as steady timers on an io_context.
#include <map>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "hal_sim/scheduler.hpp"

namespace dtu::hal_sim {

class AsioScheduler final : public Scheduler {
public:
    explicit AsioScheduler(boost::asio::io_context& io) : io_(io) {}
    ~AsioScheduler() override;
    AsioScheduler(const AsioScheduler&) = delete;
    AsioScheduler& operator=(const AsioScheduler&) = delete;

    TimePoint now() const override { return Clock::now(); }
    TaskId at(TimePoint when, std::function<void()> fn) override;
    void cancel(TaskId id) override;

    boost::asio::io_context& io() { return io_; }

private:
    void fire(TaskId id);

    struct Entry {
        std::unique_ptr<boost::asio::steady_timer> timer;
        std::function<void()> fn;
    };
    boost::asio::io_context& io_;
    TaskId last_id_ = 0;
    std::map<TaskId, Entry> tasks_; ///< exactly the pending tasks
};

} // namespace dtu::hal_sim
