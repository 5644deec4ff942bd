#include "hal_sim/link_impairment.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace dtu::hal_sim {

namespace {

using Ms = std::chrono::duration<double, std::milli>;

LinkImpairment::Clock::duration to_duration(double ms) {
    if (!(ms > 0.0)) return LinkImpairment::Clock::duration::zero(); // also NaN
    return std::chrono::duration_cast<LinkImpairment::Clock::duration>(Ms(ms));
}

double clamp01(double v) { return v > 0.0 ? std::min(v, 1.0) : 0.0; } // NaN -> 0

std::optional<std::string> check_direction(const DirectionConfig& d, const char* name) {
    const std::string n(name);
    auto finite_nonneg = [](double v) { return std::isfinite(v) && v >= 0.0; };
    auto probability = [](double v) { return std::isfinite(v) && v >= 0.0 && v <= 1.0; };
    if (!finite_nonneg(d.latency_ms)) return n + ".latency_ms must be a number >= 0";
    if (!finite_nonneg(d.jitter_ms)) return n + ".jitter_ms must be a number >= 0";
    if (!finite_nonneg(d.bandwidth_kbps)) return n + ".bandwidth_kbps must be a number >= 0 (0 = unlimited)";
    if (!probability(d.loss)) return n + ".loss must be between 0 and 1";
    if (!probability(d.gilbert.p)) return n + ".gilbert.p must be between 0 and 1";
    if (!probability(d.gilbert.r)) return n + ".gilbert.r must be between 0 and 1";
    if (!probability(d.gilbert.loss_good)) return n + ".gilbert.loss_good must be between 0 and 1";
    if (!probability(d.gilbert.loss_bad)) return n + ".gilbert.loss_bad must be between 0 and 1";
    return std::nullopt;
}

} // namespace

LinkImpairment::LinkImpairment(LinkConfig config, std::uint64_t seed)
    : config_(std::move(config)), seed_(seed), rng_(seed) {}

void LinkImpairment::set_config(const LinkConfig& config) {
    const LinkConfig before = std::exchange(config_, config);
    if (on_change_) on_change_(before, config_);
}

std::optional<std::string> LinkImpairment::validate(const LinkConfig& c) {
    if (auto e = check_direction(c.upstream, "upstream")) return e;
    if (auto e = check_direction(c.downstream, "downstream")) return e;
    if (!std::isfinite(c.connect_delay_ms) || c.connect_delay_ms < 0.0)
        return "connect_delay_ms must be >= 0";
    if (!std::isfinite(c.tcp_retransmit_ms) || c.tcp_retransmit_ms < 0.0)
        return "tcp_retransmit_ms must be >= 0";
    return std::nullopt;
}

double LinkImpairment::uniform01() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

double LinkImpairment::normal01() {
    constexpr double kTwoPi = 6.283185307179586476925286766559;
    const double u1 = 1.0 - uniform01(); // (0, 1]: log is finite
    const double u2 = uniform01();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

bool LinkImpairment::lose(Direction d) {
    const DirectionConfig& c = dir_config(d);
    if (c.loss_model == LossModel::Independent) {
        const double p = clamp01(c.loss);
        return p > 0.0 && uniform01() < p;
    }
    // Gilbert–Elliott: the packet sees the current state, then the chain steps.
    bool& bad = bad_[static_cast<std::size_t>(d)];
    const double loss = clamp01(bad ? c.gilbert.loss_bad : c.gilbert.loss_good);
    const bool lost = uniform01() < loss;
    const double step = clamp01(bad ? c.gilbert.r : c.gilbert.p);
    if (uniform01() < step) bad = !bad;
    return lost;
}

double LinkImpairment::jitter_ms(const DirectionConfig& c) {
    if (!(c.jitter_ms > 0.0)) return 0.0;
    if (c.jitter == JitterDistribution::Uniform) return (uniform01() * 2.0 - 1.0) * c.jitter_ms;
    return normal01() * c.jitter_ms;
}

LinkImpairment::Verdict LinkImpairment::schedule(Flow& flow, std::size_t bytes, TimePoint now) {
    const Direction d = flow.direction;
    const DirectionConfig& c = dir_config(d);
    DirectionCounters& n = mut_counters(d);
    n.packets++;
    n.bytes += bytes;

    // Serialisation on the shared pipe of this direction.
    TimePoint departure = now;
    if (c.bandwidth_kbps > 0.0) {
        TimePoint& busy = busy_until_[static_cast<std::size_t>(d)];
        departure = std::max(now, busy) + to_duration(static_cast<double>(bytes) * 8.0 / c.bandwidth_kbps);
        busy = departure;
    }

    Verdict v;
    const bool lost = lose(d);
    if (lost && !flow.stream) {
        v.drop = true;
        n.dropped++;
        return v;
    }
    TimePoint t = departure + to_duration(c.latency_ms + jitter_ms(c));
    if (lost) { // TCP: the chunk arrives after a retransmission timeout
        t += to_duration(config_.tcp_retransmit_ms);
        v.retransmitted = true;
        n.retransmitted++;
    }
    if (flow.stream) {
        t = std::max(t, flow.last);
        flow.last = t;
    }
    if (t > now) n.delayed++;
    v.deliver_at = t;
    return v;
}

LinkImpairment::TimePoint LinkImpairment::schedule_control(Flow& flow, TimePoint now) {
    TimePoint t = now + to_duration(dir_config(flow.direction).latency_ms);
    t = std::max(t, flow.last);
    flow.last = t;
    return t;
}

std::chrono::nanoseconds LinkImpairment::connect_time() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(to_duration(config_.connect_delay_ms) +
                                                                to_duration(config_.upstream.latency_ms) +
                                                                to_duration(config_.downstream.latency_ms));
}

std::chrono::nanoseconds LinkImpairment::connect_delay() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(to_duration(config_.connect_delay_ms));
}

void LinkImpairment::count_overflow(Direction direction, std::size_t bytes) {
    DirectionCounters& n = mut_counters(direction);
    n.packets++;
    n.bytes += bytes;
    n.overflow++;
}

const char* LinkImpairment::direction_name(Direction direction) {
    return direction == Direction::Upstream ? "upstream" : "downstream";
}

} // namespace dtu::hal_sim
