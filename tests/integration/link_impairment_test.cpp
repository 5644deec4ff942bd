// hal_sim::LinkImpairment alone: the decisions for each packet, on a seeded PRNG and given times (no
// I/O, no clock): loss counts a seed gives, Gilbert–Elliott bursts, TCP order, bandwidth, jitter,
// validation and the named profiles.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hal_sim/link_config.hpp"
#include "hal_sim/link_impairment.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;
using hal_sim::Direction;
using hal_sim::LinkConfig;
using hal_sim::LinkImpairment;
using Flow = LinkImpairment::Flow;

const LinkImpairment::TimePoint kT0 = LinkImpairment::TimePoint{} + 1000s;

Flow udp_flow(Direction d = Direction::Upstream) { return Flow{d, false, {}}; }
Flow tcp_flow(Direction d = Direction::Upstream) { return Flow{d, true, {}}; }

std::size_t count_drops(std::uint64_t seed, double loss, int n) {
    LinkConfig c;
    c.upstream.loss = loss;
    LinkImpairment link(c, seed);
    Flow f = udp_flow();
    std::size_t dropped = 0;
    for (int i = 0; i < n; ++i)
        dropped += link.schedule(f, 100, kT0).drop ? 1 : 0;
    EXPECT_EQ(link.counters(Direction::Upstream).dropped, dropped);
    EXPECT_EQ(link.counters(Direction::Upstream).packets, static_cast<std::uint64_t>(n));
    return dropped;
}

TEST(LinkImpairment, NoImpairmentDeliversEverythingAtOnce) {
    LinkImpairment link(LinkConfig{}, 1);
    Flow f = udp_flow();
    for (int i = 0; i < 100; ++i) {
        const auto v = link.schedule(f, 10, kT0);
        EXPECT_FALSE(v.drop);
        EXPECT_EQ(v.deliver_at, kT0);
    }
    EXPECT_EQ(link.counters(Direction::Upstream).packets, 100u);
    EXPECT_EQ(link.counters(Direction::Upstream).bytes, 1000u);
    EXPECT_EQ(link.counters(Direction::Upstream).delayed, 0u);
    EXPECT_EQ(link.counters(Direction::Downstream).packets, 0u);
}

TEST(LinkImpairment, IndependentLossCountIsFixedBySeed) {
    // 10 % over 2000 datagrams: within 7..13 %, and exactly what seed 1 gives on every platform
    // (mt19937_64 is fully specified and the distributions are our own).
    const std::size_t dropped = count_drops(1, 0.10, 2000);
    EXPECT_GE(dropped, 140u);
    EXPECT_LE(dropped, 260u);
    EXPECT_EQ(dropped, 196u);
    EXPECT_EQ(count_drops(1, 0.10, 2000), dropped) << "same seed, same decisions";
    EXPECT_NE(count_drops(2, 0.10, 2000), dropped) << "another seed, other decisions";
    EXPECT_EQ(count_drops(7, 0.0, 2000), 0u);
    EXPECT_EQ(count_drops(7, 1.0, 2000), 2000u);
}

TEST(LinkImpairment, SameSeedSameDelays) {
    LinkConfig c;
    c.downstream.latency_ms = 30;
    c.downstream.jitter_ms = 10;
    c.downstream.jitter = hal_sim::JitterDistribution::Normal;
    c.downstream.loss = 0.05;
    LinkImpairment a(c, 99), b(c, 99);
    Flow fa = udp_flow(Direction::Downstream), fb = udp_flow(Direction::Downstream);
    for (int i = 0; i < 500; ++i) {
        const auto va = a.schedule(fa, 64, kT0), vb = b.schedule(fb, 64, kT0);
        ASSERT_EQ(va.drop, vb.drop);
        if (!va.drop) {
            ASSERT_EQ(va.deliver_at, vb.deliver_at);
        }
    }
}

TEST(LinkImpairment, GilbertElliottLosesInBursts) {
    auto bursts = [](const LinkConfig& c) {
        LinkImpairment link(c, 5);
        Flow f = udp_flow();
        std::size_t lost = 0, runs = 0;
        bool prev = false;
        for (int i = 0; i < 100000; ++i) {
            const bool d = link.schedule(f, 100, kT0).drop;
            lost += d ? 1 : 0;
            if (d && !prev) ++runs;
            prev = d;
        }
        return std::make_pair(static_cast<double>(lost) / 100000.0, static_cast<double>(lost) / runs);
    };
    LinkConfig ge;
    ge.upstream.loss_model = hal_sim::LossModel::GilbertElliott;
    ge.upstream.gilbert = {0.02, 0.2, 0.0, 1.0}; // stationary loss p/(p+r) = 9.1 %, mean burst 1/r = 5
    const auto [ge_rate, ge_burst] = bursts(ge);
    EXPECT_NEAR(ge_rate, 0.02 / 0.22, 0.015);
    EXPECT_GT(ge_burst, 3.0);

    LinkConfig independent;
    independent.upstream.loss = ge_rate;
    const auto [ind_rate, ind_burst] = bursts(independent);
    EXPECT_NEAR(ind_rate, ge_rate, 0.01);
    EXPECT_LT(ind_burst, 1.3) << "independent loss: bursts of about 1 / (1 - loss)";
}

TEST(LinkImpairment, TcpNeverLosesNorReorders) {
    LinkConfig c;
    c.upstream.latency_ms = 20;
    c.upstream.jitter_ms = 15; // uniform: a later chunk could be drawn earlier than the one before it
    c.upstream.loss = 0.2;
    c.tcp_retransmit_ms = 200;
    LinkImpairment link(c, 3);
    Flow f = tcp_flow();
    LinkImpairment::TimePoint last{};
    std::size_t retransmitted = 0;
    for (int i = 0; i < 2000; ++i) {
        const auto v = link.schedule(f, 500, kT0 + std::chrono::milliseconds(i));
        ASSERT_FALSE(v.drop);
        ASSERT_GE(v.deliver_at, last) << "chunk " << i << " overtook the one before it";
        ASSERT_GE(v.deliver_at, kT0 + std::chrono::milliseconds(i) + 5ms) << "latency - jitter";
        if (v.retransmitted) {
            ++retransmitted;
            EXPECT_GE(v.deliver_at, kT0 + std::chrono::milliseconds(i) + 205ms);
        }
        last = v.deliver_at;
    }
    const auto& n = link.counters(Direction::Upstream);
    EXPECT_EQ(n.dropped, 0u);
    EXPECT_EQ(n.retransmitted, retransmitted);
    EXPECT_GT(retransmitted, 300u);
    EXPECT_LT(retransmitted, 500u);
}

TEST(LinkImpairment, UdpMayReorderUnderJitter) {
    LinkConfig c;
    c.upstream.latency_ms = 50;
    c.upstream.jitter_ms = 20;
    LinkImpairment link(c, 11);
    Flow f = udp_flow();
    std::vector<LinkImpairment::TimePoint> times;
    for (int i = 0; i < 200; ++i)
        times.push_back(link.schedule(f, 50, kT0 + std::chrono::milliseconds(i)).deliver_at);
    EXPECT_FALSE(std::is_sorted(times.begin(), times.end())) << "datagrams 1 ms apart, +-20 ms jitter";
    for (int i = 0; i < 200; ++i) {
        EXPECT_GE(times[i], kT0 + std::chrono::milliseconds(i) + 30ms);
        EXPECT_LE(times[i], kT0 + std::chrono::milliseconds(i) + 70ms);
    }
}

TEST(LinkImpairment, NormalJitterIsClampedAndCentred) {
    LinkConfig c;
    c.downstream.latency_ms = 5;
    c.downstream.jitter_ms = 10; // sigma twice the latency: often negative before the clamp
    c.downstream.jitter = hal_sim::JitterDistribution::Normal;
    LinkImpairment link(c, 8);
    Flow f = udp_flow(Direction::Downstream);
    double sum = 0;
    std::size_t zero = 0;
    for (int i = 0; i < 20000; ++i) {
        const auto v = link.schedule(f, 10, kT0);
        ASSERT_GE(v.deliver_at, kT0) << "a packet never arrives before it was sent";
        const double d = std::chrono::duration<double, std::milli>(v.deliver_at - kT0).count();
        sum += d;
        zero += d == 0.0 ? 1 : 0;
    }
    EXPECT_GT(zero, 20000u / 5) << "P(N(5, 10) < 0) = 31 %";
    EXPECT_GT(sum / 20000, 5.0) << "the clamp only moves delays up";
}

TEST(LinkImpairment, BandwidthSerialisesPacketsOnTheSharedPipe) {
    LinkConfig c;
    c.upstream.bandwidth_kbps = 80; // 1000 bytes = 8000 bits = 100 ms
    c.upstream.latency_ms = 10;
    LinkImpairment link(c, 1);
    Flow a = udp_flow(), b = tcp_flow(); // two connections share the radio
    EXPECT_EQ(link.schedule(a, 1000, kT0).deliver_at, kT0 + 110ms);
    EXPECT_EQ(link.schedule(b, 1000, kT0).deliver_at, kT0 + 210ms);
    EXPECT_EQ(link.schedule(a, 500, kT0 + 50ms).deliver_at, kT0 + 260ms);
    // The pipe was idle since 250 ms: the next packet starts when offered.
    EXPECT_EQ(link.schedule(b, 1000, kT0 + 1s).deliver_at, kT0 + 1s + 110ms);
    // Downstream is another pipe.
    Flow d = udp_flow(Direction::Downstream);
    EXPECT_EQ(link.schedule(d, 1000, kT0).deliver_at, kT0);
    EXPECT_EQ(link.counters(Direction::Upstream).delayed, 4u);
}

TEST(LinkImpairment, ControlEventsFollowTheData) {
    LinkConfig c;
    c.downstream.latency_ms = 10;
    c.tcp_retransmit_ms = 300;
    c.downstream.loss = 1.0; // every chunk retransmitted once
    LinkImpairment link(c, 1);
    Flow f = tcp_flow(Direction::Downstream);
    const auto data = link.schedule(f, 100, kT0).deliver_at;
    EXPECT_EQ(data, kT0 + 310ms);
    EXPECT_EQ(link.schedule_control(f, kT0 + 1ms), data) << "a FIN never overtakes data";
    EXPECT_EQ(link.schedule_control(f, kT0 + 1s), kT0 + 1s + 10ms);
}

TEST(LinkImpairment, ConnectTimeIsOneRoundTripPlusTheDelay) {
    LinkConfig c;
    c.upstream.latency_ms = 40;
    c.downstream.latency_ms = 60;
    c.connect_delay_ms = 250;
    LinkImpairment link(c, 1);
    EXPECT_EQ(link.connect_time(), 350ms);
}

TEST(LinkImpairment, SetConfigNotifiesAndCounts) {
    LinkImpairment link(LinkConfig{}, 1);
    int calls = 0;
    link.set_change_handler([&](const LinkConfig& before, const LinkConfig& after) {
        ++calls;
        EXPECT_TRUE(before.attached);
        EXPECT_FALSE(after.attached);
    });
    LinkConfig c;
    c.attached = false;
    link.set_config(c);
    EXPECT_EQ(calls, 1);
    EXPECT_FALSE(link.attached());
    link.count_overflow(Direction::Downstream, 100);
    link.count_held(Direction::Downstream);
    EXPECT_EQ(link.counters(Direction::Downstream).overflow, 1u);
    EXPECT_EQ(link.counters(Direction::Downstream).bytes, 100u);
    EXPECT_EQ(link.counters(Direction::Downstream).held, 1u);
}

TEST(LinkImpairment, ValidateRejectsNonsense) {
    EXPECT_FALSE(LinkImpairment::validate(LinkConfig{}));
    LinkConfig c;
    c.upstream.latency_ms = -1;
    EXPECT_TRUE(LinkImpairment::validate(c));
    c = LinkConfig{};
    c.downstream.loss = 1.5;
    ASSERT_TRUE(LinkImpairment::validate(c));
    EXPECT_NE(LinkImpairment::validate(c)->find("downstream.loss"), std::string::npos);
    c = LinkConfig{};
    c.upstream.jitter_ms = std::nan("");
    EXPECT_TRUE(LinkImpairment::validate(c));
    c = LinkConfig{};
    c.upstream.gilbert.r = -0.1;
    EXPECT_TRUE(LinkImpairment::validate(c));
    c = LinkConfig{};
    c.tcp_retransmit_ms = -5;
    EXPECT_TRUE(LinkImpairment::validate(c));
}

TEST(LinkProfiles, NamedProfilesAreValidAndPlausible) {
    for (const char* name : {"none", "lte", "cat1", "gprs"}) {
        const auto p = hal_sim::link_profile(name);
        ASSERT_TRUE(p) << name;
        EXPECT_FALSE(LinkImpairment::validate(*p)) << name;
        EXPECT_NE(hal_sim::link_profile_names().find(name), std::string::npos) << name;
        EXPECT_TRUE(p->attached);
    }
    EXPECT_FALSE(hal_sim::link_profile("5g"));
    EXPECT_FALSE(hal_sim::link_profile(""));

    const auto none = *hal_sim::link_profile("none");
    EXPECT_EQ(none.upstream.latency_ms, 0);
    EXPECT_EQ(none.downstream.loss, 0);
    const auto cat1 = *hal_sim::link_profile("cat1");
    EXPECT_EQ(cat1.upstream.bandwidth_kbps, 5000);
    EXPECT_EQ(cat1.downstream.bandwidth_kbps, 10000);
    const auto gprs = *hal_sim::link_profile("gprs");
    EXPECT_EQ(gprs.upstream.loss_model, hal_sim::LossModel::GilbertElliott);
    const auto& g = gprs.upstream.gilbert;
    EXPECT_NEAR(g.loss_bad * g.p / (g.p + g.r), 0.02, 1e-9) << "2 % stationary loss";

    // The gprs chain loses about 2 % in practice too.
    LinkImpairment link(gprs, 1);
    Flow f = udp_flow();
    std::size_t lost = 0;
    for (int i = 0; i < 100000; ++i)
        lost += link.schedule(f, 10, kT0 + std::chrono::seconds(i)).drop ? 1 : 0;
    EXPECT_NEAR(static_cast<double>(lost) / 100000.0, 0.02, 0.005);
}

} // namespace
} // namespace dtu::itest
