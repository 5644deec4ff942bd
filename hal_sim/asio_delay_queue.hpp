#pragma once
// One direction of an AsioNet link's delay line: the items on their way (delay_line.hpp), ordered by
// delivery time, and the one steady_timer armed for the earliest. AsioNet::Conn pumps it.
#include <cstddef>
#include <cstdint>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "dtu/hal/net.hpp"
#include "hal_sim/delay_line.hpp"
#include "hal_sim/link_impairment.hpp"

namespace dtu::hal_sim {

struct AsioDelayQueue {
    AsioDelayQueue(boost::asio::io_context& io, Direction d, hal::Proto proto) : timer(io) {
        flow.direction = d;
        flow.stream = proto == hal::Proto::Tcp;
    }
    void push(LinkImpairment::TimePoint t, DelayItem item) {
        bytes += item.data.size();
        items.emplace(t, std::move(item));
    }
    void clear() {
        items.clear();
        bytes = 0;
        ++seq; // a pending wait becomes stale
        armed = false;
        timer.cancel();
    }
    DelayItems items;
    std::size_t bytes = 0;
    boost::asio::steady_timer timer;
    bool armed = false;
    LinkImpairment::TimePoint armed_at{};
    std::uint64_t seq = 0;
    LinkImpairment::Flow flow;
};

} // namespace dtu::hal_sim
