// hal_sim::AsioClock on a real io_context: never inline, order, cancel, cancel_all.
#include <chrono>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "hal_sim/asio_clock.hpp"
#include "run_io.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;

TEST(AsioClock, TimersFireInOrderAndNeverInline) {
    boost::asio::io_context io;
    hal_sim::AsioClock clock(io);
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

TEST(AsioClock, CancelledTimersNeverFire) {
    boost::asio::io_context io;
    hal_sim::AsioClock clock(io);
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

TEST(AsioClock, ACallbackMayStartAndCancelTimers) {
    boost::asio::io_context io;
    hal_sim::AsioClock clock(io);
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

} // namespace
} // namespace dtu::itest
