// hal_sim::SchedulerClock over both schedulers: never inline, order, cancel, cancel_all; and the
// VirtualScheduler's discrete-event contract (time jumps, FIFO at equal times, run_until).
#include <chrono>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "hal_sim/asio_scheduler.hpp"
#include "hal_sim/scheduler_clock.hpp"
#include "hal_sim/virtual_scheduler.hpp"
#include "run_io.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;

TEST(AsioSchedulerClock, TimersFireInOrderAndNeverInline) {
    boost::asio::io_context io;
    hal_sim::AsioScheduler scheduler(io);
    hal_sim::SchedulerClock clock(scheduler);
    std::vector<int> fired;
    clock.after(30, [&] { fired.push_back(30); });
    clock.after(0, [&] { fired.push_back(0); });
    clock.after(10, [&] { fired.push_back(10); });
    EXPECT_TRUE(fired.empty()) << "after(0) must not call inline";
    ASSERT_TRUE(run_until(
        io, [&] { return fired.size() == 3; }, 2s));
    EXPECT_EQ(fired, (std::vector<int>{0, 10, 30}));
    EXPECT_GE(clock.now_ms(), 30u);
    EXPECT_EQ(clock.pending(), 0u) << "fired timers are erased";
}

TEST(AsioSchedulerClock, CancelledTimersNeverFire) {
    boost::asio::io_context io;
    hal_sim::AsioScheduler scheduler(io);
    hal_sim::SchedulerClock clock(scheduler);
    int fired = 0;
    const hal::TimerId a = clock.after(5, [&] { ++fired; });
    clock.after(5, [&] { fired += 10; });
    EXPECT_NE(a, hal::kNoTimer);
    clock.cancel(a);
    clock.cancel(a);     // twice: ignored
    clock.cancel(12345); // unknown: ignored
    ASSERT_TRUE(run_until(
        io, [&] { return fired != 0; }, 2s));
    EXPECT_EQ(fired, 10);
    clock.after(5, [&] { fired = -1; });
    clock.after(1, [&] { fired = -1; });
    clock.cancel_all();
    EXPECT_EQ(clock.pending(), 0u);
    EXPECT_FALSE(run_until(
        io, [&] { return fired == -1; }, 50ms))
        << "cancel_all timers stay silent";
}

TEST(AsioSchedulerClock, ACallbackMayStartAndCancelTimers) {
    boost::asio::io_context io;
    hal_sim::AsioScheduler scheduler(io);
    hal_sim::SchedulerClock clock(scheduler);
    int step = 0;
    hal::TimerId later = hal::kNoTimer;
    clock.after(1, [&] {
        step = 1;
        later = clock.after(1, [&] { step = 2; });
    });
    ASSERT_TRUE(run_until(
        io, [&] { return step == 2; }, 2s));
    clock.cancel(later); // already fired: ignored
}

TEST(VirtualScheduler, TimeJumpsToEachTaskAndEqualTimesRunInOrder) {
    hal_sim::VirtualScheduler s;
    hal_sim::SchedulerClock clock(s);
    std::vector<std::pair<int, std::uint64_t>> fired;
    clock.after(86'400'000, [&] { fired.emplace_back(3, clock.now_ms()); });
    clock.after(30'000, [&] { fired.emplace_back(1, clock.now_ms()); });
    clock.after(30'000, [&] { fired.emplace_back(2, clock.now_ms()); });
    s.post([&] { fired.emplace_back(0, clock.now_ms()); });
    EXPECT_TRUE(fired.empty()) << "nothing runs until the owner runs the queue";
    EXPECT_FALSE(s.run_until(hal_sim::Scheduler::TimePoint{} + 24h + 1ms));
    EXPECT_EQ(fired, (std::vector<std::pair<int, std::uint64_t>>{
                         {0, 0}, {1, 30'000}, {2, 30'000}, {3, 86'400'000}}));
    EXPECT_EQ(clock.now_ms(), 86'400'001u) << "time ends at the limit";
    EXPECT_EQ(s.tasks_run(), 4u);
}

TEST(VirtualScheduler, RunUntilStopsWhenDoneAndCancelWorks) {
    hal_sim::VirtualScheduler s;
    hal_sim::SchedulerClock clock(s);
    int count = 0;
    const hal::TimerId never = clock.after(5, [&] { count += 100; });
    std::function<void()> tick = [&] {
        ++count;
        clock.after(1000, tick);
    };
    clock.after(1000, tick);
    clock.cancel(never);
    EXPECT_TRUE(s.run_until(hal_sim::Scheduler::TimePoint{} + 1h, [&] { return count == 3; }));
    EXPECT_EQ(count, 3);
    EXPECT_EQ(clock.now_ms(), 3000u) << "stopped at the task that made done() true";
    clock.cancel_all();
    EXPECT_EQ(s.pending(), 0u);
    EXPECT_EQ(s.next_time(), std::nullopt);
    s.advance_to(hal_sim::Scheduler::TimePoint{} + 10s);
    EXPECT_EQ(clock.now_ms(), 10'000u);
}

} // namespace
} // namespace dtu::itest
