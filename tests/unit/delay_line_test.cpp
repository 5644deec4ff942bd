// hal_sim::DelayLine in virtual time, as AsioNet and VirtualNet use it: items come out at their
// delivery time and in their order, never inside offer(); a stall holds them (counted once each)
// until resume(); clear() and the destructor leave no wake-up behind; a sink that says stop is not
// called again. Virtual time is exact, so delivery times are compared for equality.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hal_sim/delay_line.hpp"
#include "hal_sim/virtual_scheduler.hpp"

namespace dtu::hal_sim {
namespace {

using namespace std::chrono_literals;

struct Delivered {
    std::string data;
    bool eof = false;
    Scheduler::TimePoint at;
};

class DelayLineTest : public ::testing::Test {
protected:
    /// One direction with latency_ms, UDP unless stream.
    std::unique_ptr<DelayLine> make_line(double latency_ms, bool stream = false) {
        LinkConfig config;
        config.upstream.latency_ms = latency_ms;
        link.set_config(config);
        return std::make_unique<DelayLine>(scheduler, link, Direction::Upstream, stream, [this] {
            wakes++;
            last_end = line->pump([this](DelayItem&& item) { return take(std::move(item)); });
        });
    }

    bool take(DelayItem&& item) {
        got.push_back({item.data, item.eof, scheduler.now()});
        return got.size() != stop_after;
    }

    void stall(bool on) {
        LinkConfig config = link.config();
        config.upstream.stall = on;
        link.set_config(config);
    }

    std::vector<std::string> data() const {
        std::vector<std::string> out;
        for (const Delivered& d : got)
            out.push_back(d.data);
        return out;
    }

    // The line uses the scheduler, the link and the records, so it is declared after them and
    // destroyed first (its destructor cancels its task on the scheduler).
    VirtualScheduler scheduler;
    LinkImpairment link{LinkConfig{}, 1};
    std::vector<Delivered> got;
    std::size_t stop_after = 0; ///< the sink says stop after this many items (0: never)
    int wakes = 0;
    DelayLine::End last_end = DelayLine::End::Empty;
    std::unique_ptr<DelayLine> line;
};

TEST_F(DelayLineTest, EqualTimesKeepTheirOrder) {
    line = make_line(40);
    const auto t0 = scheduler.now();
    for (const char* s : {"a", "b", "c", "d"})
        ASSERT_TRUE(line->offer(s));
    line->push(t0 + 40ms, DelayItem{"e"});
    scheduler.run_until(t0 + 1s);
    EXPECT_EQ(data(), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
    for (const Delivered& d : got)
        EXPECT_EQ(d.at, t0 + 40ms);
}

TEST_F(DelayLineTest, DeliversAtTheScheduledTimeNeverInsideOffer) {
    line = make_line(0);
    ASSERT_TRUE(line->offer("now"));
    EXPECT_TRUE(got.empty()) << "delivered from the scheduler, never inside offer()";
    EXPECT_EQ(line->bytes(), 3u);
    scheduler.run_until(scheduler.now());
    ASSERT_EQ(data(), std::vector<std::string>{"now"});

    const auto t0 = scheduler.now();
    line->push(t0 + 100ms, DelayItem{"late"});
    line->push(t0 + 30ms, DelayItem{"early"}); // re-arms for the earlier item
    scheduler.run_until(t0 + 29ms);
    EXPECT_EQ(got.size(), 1u) << "nothing before its time";
    scheduler.run_until(t0 + 1s);
    ASSERT_EQ(data(), (std::vector<std::string>{"now", "early", "late"}));
    EXPECT_EQ(got[1].at, t0 + 30ms);
    EXPECT_EQ(got[2].at, t0 + 100ms);
    EXPECT_EQ(line->bytes(), 0u);
    EXPECT_TRUE(line->empty());
    EXPECT_EQ(last_end, DelayLine::End::Empty);
}

TEST_F(DelayLineTest, TheEndFollowsTheDataOfAStream) {
    line = make_line(25, true);
    const auto t0 = scheduler.now();
    ASSERT_TRUE(line->offer("data"));
    line->offer_end(hal::NetError::PeerClosed);
    scheduler.run_until(t0 + 1s);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].data, "data");
    EXPECT_TRUE(got[1].eof);
    EXPECT_GE(got[1].at, got[0].at);
}

TEST_F(DelayLineTest, ALostDatagramIsNotQueued) {
    LinkConfig config;
    config.upstream.loss = 1.0;
    link.set_config(config);
    DelayLine lossy(scheduler, link, Direction::Upstream, false, [] {});
    EXPECT_FALSE(lossy.offer("gone"));
    EXPECT_TRUE(lossy.empty());
    EXPECT_EQ(scheduler.pending(), 0u);
    EXPECT_EQ(link.counters(Direction::Upstream).dropped, 1u);
}

TEST_F(DelayLineTest, AStallHoldsInOrderCountsOnceAndResumeDelivers) {
    line = make_line(10);
    const auto t0 = scheduler.now();
    stall(true);
    for (const char* s : {"1", "2", "3"})
        ASSERT_TRUE(line->offer(s));
    scheduler.run_until(t0 + 1s);
    EXPECT_TRUE(got.empty()) << "a stalled direction delivers nothing";
    EXPECT_EQ(last_end, DelayLine::End::Held);
    EXPECT_EQ(link.counters(Direction::Upstream).held, 3u);
    EXPECT_EQ(line->bytes(), 3u);

    line->resume(); // still stalled: held again, not counted again
    EXPECT_TRUE(got.empty());
    EXPECT_EQ(link.counters(Direction::Upstream).held, 3u);

    ASSERT_TRUE(line->offer("4")); // not due yet when held: counted when it is
    scheduler.run_until(t0 + 2s);
    EXPECT_EQ(link.counters(Direction::Upstream).held, 4u);

    stall(false);
    line->resume();
    EXPECT_EQ(data(), (std::vector<std::string>{"1", "2", "3", "4"}));
    EXPECT_EQ(link.counters(Direction::Upstream).held, 4u);
    EXPECT_TRUE(line->empty());
}

TEST_F(DelayLineTest, ClearCancelsTheWakeUp) {
    line = make_line(50);
    const auto t0 = scheduler.now();
    ASSERT_TRUE(line->offer("x"));
    ASSERT_TRUE(line->offer("y"));
    EXPECT_EQ(scheduler.pending(), 1u) << "one task for the earliest item";
    line->clear();
    EXPECT_EQ(scheduler.pending(), 0u);
    EXPECT_TRUE(line->empty());
    EXPECT_EQ(line->bytes(), 0u);
    scheduler.run_until(t0 + 1s);
    EXPECT_TRUE(got.empty());
    EXPECT_EQ(wakes, 0);
}

TEST_F(DelayLineTest, ASinkThatSaysStopIsNotCalledAgain) {
    line = make_line(5);
    const auto t0 = scheduler.now();
    for (const char* s : {"a", "b", "c"})
        ASSERT_TRUE(line->offer(s));
    stop_after = 1;
    scheduler.run_until(t0 + 1s);
    EXPECT_EQ(data(), std::vector<std::string>{"a"});
    EXPECT_EQ(last_end, DelayLine::End::Stopped);
    EXPECT_EQ(line->bytes(), 2u) << "what was not taken stays queued";
    EXPECT_EQ(scheduler.pending(), 0u) << "a stopped pump arms nothing";

    stop_after = 0;
    line->resume();
    EXPECT_EQ(data(), (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(DelayLineTest, DestroyedWithAPendingTaskLeavesNothingBehind) {
    line = make_line(100);
    const auto t0 = scheduler.now();
    ASSERT_TRUE(line->offer("pending"));
    ASSERT_EQ(scheduler.pending(), 1u);
    line.reset();
    EXPECT_EQ(scheduler.pending(), 0u);
    scheduler.run_until(t0 + 1s); // nothing may run on the freed line
    EXPECT_EQ(wakes, 0);
    EXPECT_TRUE(got.empty());
}

TEST_F(DelayLineTest, AServerDatagramArrivesAfterTheLatencyOrIsLost) {
    LinkConfig config;
    config.downstream.latency_ms = 20;
    link.set_config(config);
    const auto t0 = scheduler.now();
    EXPECT_EQ(datagram_arrival(link, Direction::Downstream, 10, t0), t0 + 20ms);
    config.downstream.loss = 1.0;
    link.set_config(config);
    EXPECT_EQ(datagram_arrival(link, Direction::Downstream, 10, t0), std::nullopt);
    EXPECT_EQ(link.counters(Direction::Downstream).dropped, 1u);
}

} // namespace
} // namespace dtu::hal_sim
