#include "hal_sim/delay_line.hpp"

namespace dtu::hal_sim {

DelayLine::DelayLine(Scheduler& scheduler, LinkImpairment& link, Direction direction, bool stream,
                     std::function<void()> wake)
    : link_(link), flow_{direction, stream, {}}, wake_(std::move(wake)), task_(scheduler) {}

bool DelayLine::offer(std::string bytes) {
    const auto v = link_.schedule(flow_, bytes.size(), task_.scheduler().now());
    if (v.drop) return false;
    push(v.deliver_at, DelayItem{std::move(bytes)});
    return true;
}

void DelayLine::offer_end(hal::NetError why) {
    push(link_.schedule_control(flow_, task_.scheduler().now()), DelayItem{{}, true, why});
}

void DelayLine::push(TimePoint t, DelayItem item) {
    bytes_ += item.data.size();
    items_.emplace(t, std::move(item));
    arm(t);
}

void DelayLine::clear() {
    items_.clear();
    bytes_ = 0;
    task_.cancel();
}

void DelayLine::hold_due(TimePoint now) {
    auto it = items_.begin();
    for (; it != items_.end() && it->first <= now; ++it) {
        if (!it->second.held) {
            it->second.held = true;
            link_.count_held(flow_.direction);
        }
    }
    if (it != items_.end()) arm(it->first);
}

void DelayLine::arm(TimePoint t) {
    if (task_.active() && task_.when() <= t) return; // the armed wake-up comes first; the pump re-arms
    task_.at(t, wake_);
}

std::optional<Scheduler::TimePoint> datagram_arrival(LinkImpairment& link, Direction direction,
                                                     std::size_t bytes, Scheduler::TimePoint now) {
    LinkImpairment::Flow flow{direction, false, {}};
    const auto v = link.schedule(flow, bytes, now);
    if (v.drop) return std::nullopt;
    return v.deliver_at;
}

} // namespace dtu::hal_sim
