#pragma once
// Real time: Scheduler tasks as steady timers on an io_context. Whoever owns the io_context runs it
// (DeviceHost: io.run()); the scenario runner drives it through run_until instead.
#include <map>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "hal_sim/scheduler.hpp"

namespace dtu::hal_sim {

class AsioScheduler final : public RunnableScheduler {
public:
    explicit AsioScheduler(boost::asio::io_context& io) : io_(io) {}
    ~AsioScheduler() override;
    AsioScheduler(const AsioScheduler&) = delete;
    AsioScheduler& operator=(const AsioScheduler&) = delete;

    TimePoint now() const override { return Clock::now(); }
    TaskId at(TimePoint when, std::function<void()> fn) override;
    void cancel(TaskId id) override;

    /// Runs the io_context's handlers (sockets too, not only this scheduler's tasks) until done()
    /// holds or `limit` passes; done() is checked after each handler and at least every kSlice.
    bool run_until(TimePoint limit, const std::function<bool()>& done) override;
    std::uint64_t tasks_run() const override { return handlers_run_; }
    bool real_time() const override { return true; }

    boost::asio::io_context& io() { return io_; }

    static constexpr std::chrono::milliseconds kSlice{20};

private:
    void fire(TaskId id);

    struct Entry {
        std::unique_ptr<boost::asio::steady_timer> timer;
        std::function<void()> fn;
    };
    boost::asio::io_context& io_;
    TaskId last_id_ = 0;
    std::uint64_t handlers_run_ = 0;
    std::map<TaskId, Entry> tasks_; ///< exactly the pending tasks
};

} // namespace dtu::hal_sim
