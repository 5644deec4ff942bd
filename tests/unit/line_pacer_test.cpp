// hal_sim::LineQueue / LinePacer in virtual time: bytes are never released before they have crossed
// the line (start + data + parity + stop bits / baud), a burst is not slower than the line, a held
// queue releases nothing, unpaced bytes pass at once. Virtual time is exact, so these are checks
// of the model, not of the host's speed.
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hal_sim/line_queue.hpp"
#include "hal_sim/virtual_scheduler.hpp"

namespace dtu::hal_sim {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

struct Release {
    Scheduler::TimePoint at;
    std::size_t total; ///< bytes released up to and including this one
};

class LinePacing : public ::testing::Test {
protected:
    /// Bytes the line can have carried by t since t0.
    std::size_t crossed(Scheduler::TimePoint t, Scheduler::TimePoint t0, unsigned bits, unsigned baud) const {
        return static_cast<std::size_t>(nanoseconds(t - t0).count() * baud / (1'000'000'000LL * bits));
    }

    // Declared in this order: the line uses the scheduler and the buffers, so it is made after
    // them and goes first (its pacer cancels its timer on the scheduler).
    VirtualScheduler scheduler;
    std::string got;
    std::vector<Release> releases;
    LineQueue line{scheduler, true, [this](std::string_view b) {
                       got.append(b);
                       releases.push_back({scheduler.now(), got.size()});
                   }};
};

TEST_F(LinePacing, NeverAheadOfTheLineAndNotSlowerThanIt) {
    line.configure({9600, 8, hal::Parity::Even, 2, hal::Flow::None}); // 12 bits a byte
    const std::string bytes(1000, 'x');
    const auto t0 = scheduler.now();
    line.push(bytes);
    EXPECT_TRUE(got.empty()) << "released from the scheduler, never inside push()";
    scheduler.run_until(t0 + 10s);
    ASSERT_EQ(got, bytes);
    for (const Release& r : releases)
        EXPECT_LE(r.total, crossed(r.at, t0, 12, 9600)) << "a byte left before its stop bit";
    // 1000 * 12 / 9600 = 1.25 s; the last batch may wait at most one release step more.
    EXPECT_GE(releases.back().at - t0, 1250ms);
    EXPECT_LE(releases.back().at - t0, 1250ms + LinePacer::kMinStep);
}

TEST_F(LinePacing, AHeldLineReleasesNothingAndResumesInOrder) {
    line.configure({115200, 8, hal::Parity::None, 1, hal::Flow::None});
    line.hold(true);
    line.push("abc");
    line.push("def");
    scheduler.run_until(scheduler.now() + 1s);
    EXPECT_TRUE(got.empty());
    EXPECT_EQ(line.size(), 6u);
    line.hold(false);
    scheduler.run_until(scheduler.now() + 1s);
    EXPECT_EQ(got, "abcdef");
    EXPECT_EQ(line.size(), 0u);
}

TEST_F(LinePacing, AfterSentWaitsForTheBytesQueuedBeforeIt) {
    line.configure({9600, 8, hal::Parity::None, 1, hal::Flow::None});
    line.push(std::string(96, 'o')); // 100 ms
    std::size_t seen = 0;
    line.after_sent([&] { seen = got.size(); });
    line.push("later");
    scheduler.run_until(scheduler.now() + 1s);
    EXPECT_EQ(seen, 96u);
}

TEST(LineUnpaced, BytesPassAtOnceAndHoldIsIgnored) {
    VirtualScheduler scheduler;
    std::string got;
    LineQueue line(scheduler, false, [&](std::string_view b) { got.append(b); });
    line.hold(true);
    line.push("now");
    EXPECT_EQ(got, "now");
    EXPECT_FALSE(line.held());
}

} // namespace
} // namespace dtu::hal_sim
