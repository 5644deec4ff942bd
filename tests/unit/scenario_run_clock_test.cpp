// RunClock (sim/scenario/run_clock.hpp): the one way a run advances device time, never past its
// deadline, whatever a step or a trace asks for.
#include <gtest/gtest.h>

#include <chrono>

#include "hal_sim/virtual_scheduler.hpp"
#include "sim/scenario/run_clock.hpp"

namespace dtu::sim::scenario {
namespace {

using namespace std::chrono_literals;
using Result = RunClock::Result;

class RunClockTest : public ::testing::Test {
protected:
    Duration since_start() const {
        return std::chrono::duration_cast<Duration>(scheduler_.now() - hal_sim::Scheduler::TimePoint{});
    }
    hal_sim::VirtualScheduler scheduler_;
};

TEST_F(RunClockTest, TimeRunsUpToWhatWasAskedWithinTheDeadline) {
    RunClock clock(scheduler_, 5s, 60s);
    EXPECT_EQ(clock.advance(2s, {}), Result::Reached);
    EXPECT_EQ(since_start(), 2s);
    EXPECT_EQ(clock.advance(3s, {}), Result::Reached) << "up to the deadline exactly is within it";
    EXPECT_EQ(since_start(), 5s);
}

TEST_F(RunClockTest, AskingPastTheDeadlineStopsAtIt) {
    // Every power_cycle asked for 1 s more and got it: 100 of them passed a 5 s deadline.
    RunClock clock(scheduler_, 5s, 60s);
    int in_time = 0;
    for (int i = 0; i < 100 && clock.advance(1s, {}) == Result::Reached; ++i)
        ++in_time;
    EXPECT_EQ(in_time, 5);
    EXPECT_EQ(since_start(), 5s);
    EXPECT_EQ(clock.advance(1ms, {}), Result::Deadline);
    EXPECT_EQ(clock.advance_to(scheduler_.now() + 1h, {}), Result::Deadline);
    EXPECT_EQ(since_start(), 5s);
}

TEST_F(RunClockTest, AConditionEndsTheWaitWhenItHolds) {
    RunClock clock(scheduler_, 1h, 60s);
    bool fired = false;
    scheduler_.after(300ms, [&] { fired = true; });
    EXPECT_EQ(clock.advance(10s, [&] { return fired; }), Result::Met);
    EXPECT_EQ(since_start(), 300ms);
}

TEST_F(RunClockTest, TimesThatDoNotFitSaturateInsteadOfOverflowing) {
    // now + 106752 days of nanoseconds overflows an int64: the run timed out at 0 s.
    RunClock clock(scheduler_, Duration::max(), 60s);
    EXPECT_EQ(clock.deadline(), hal_sim::Scheduler::TimePoint::max());
    bool fired = false;
    scheduler_.after(24h, [&] { fired = true; });
    EXPECT_EQ(clock.advance(Duration::max(), [&] { return fired; }), Result::Met);
    EXPECT_EQ(since_start(), 24h);
}

} // namespace
} // namespace dtu::sim::scenario
