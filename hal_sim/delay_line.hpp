#pragma once
// One direction of a simulated link in time: what AsioNet (real time) and VirtualNet (virtual time)
// queue between the device and the server, written once on the Scheduler. Items are ordered by
// delivery time (equal times keep their order); the line's one task is armed for the earliest.
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "dtu/hal/net.hpp"
#include "hal_sim/link_impairment.hpp"
#include "hal_sim/scheduler.hpp"
#include "hal_sim/scheduler_task.hpp"

namespace dtu::hal_sim {

/// One packet / TCP chunk, or the end of the connection, on its way through the link.
struct DelayItem {
    std::string data;
    bool eof = false; ///< the connection ends here (upstream: FIN; downstream: why)
    hal::NetError why = hal::NetError::None;
    bool held = false; ///< counted as held by a stall
};

/// Its owner (a connection) hands items in through the LinkImpairment and takes them out with
/// pump(sink) when wake() says one is due; it decides what delivery means (a socket write, an event
/// to the firmware). The task is cancelled by clear() and by the destructor, so no wake-up reaches
/// a line that is gone or an item that was dropped.
class DelayLine {
public:
    using TimePoint = Scheduler::TimePoint;

    /// How a pump ended.
    enum class End {
        Empty,   ///< everything was delivered
        Waiting, ///< the next item is not due yet; the task is armed for it
        Held,    ///< the direction is stalled: due items wait, in order, for resume()
        Stopped, ///< the sink said stop (its owner closed or detached); the line was not touched again
    };

    /// wake runs from the scheduler when the earliest item is due (and from resume()): the owner
    /// pumps there. stream = TCP (in order, never lost).
    DelayLine(Scheduler& scheduler, LinkImpairment& link, Direction direction, bool stream,
              std::function<void()> wake);
    DelayLine(const DelayLine&) = delete;
    DelayLine& operator=(const DelayLine&) = delete;

    /// Bytes through the impairment (LinkImpairment::schedule, now): false when the loss model
    /// dropped them (UDP; the sender believes they were sent).
    bool offer(std::string bytes);
    /// The end of the connection (TCP FIN / reset) behind the data already queued
    /// (LinkImpairment::schedule_control).
    void offer_end(hal::NetError why = hal::NetError::None);
    /// An item at a time decided elsewhere.
    void push(TimePoint t, DelayItem item);
    /// Drop everything queued; a pending wake-up is cancelled.
    void clear();
    /// A stall was cleared (or the config changed): wake the owner to move what waited.
    void resume() { wake_(); }

    /// Hand every due item to sink (a callable taking DelayItem&&, returning whether to go on), in
    /// order. A stalled direction holds what is due (each item counted as held once, nothing
    /// dropped). Unless stopped, the task is armed for the next item still waiting.
    template <typename Sink> End pump(Sink&& sink) {
        const TimePoint now = task_.scheduler().now();
        while (!items_.empty()) {
            auto it = items_.begin();
            if (it->first > now) {
                arm(it->first);
                return End::Waiting;
            }
            if (link_.stalled(flow_.direction)) {
                hold_due(now);
                return End::Held;
            }
            DelayItem item = std::move(it->second);
            bytes_ -= item.data.size();
            items_.erase(it);
            if (!sink(std::move(item))) return End::Stopped;
        }
        return End::Empty;
    }

    std::size_t bytes() const { return bytes_; } ///< payload bytes queued
    bool empty() const { return items_.empty(); }
    Direction direction() const { return flow_.direction; }

private:
    using Items = std::multimap<TimePoint, DelayItem>;

    /// Count the due items as held (once each) and arm for the first one not yet due.
    void hold_due(TimePoint now);
    void arm(TimePoint t);

    LinkImpairment& link_;
    LinkImpairment::Flow flow_;
    std::function<void()> wake_;
    Items items_;
    std::size_t bytes_ = 0;
    SchedulerTask task_; ///< armed for the earliest item not yet delivered
};

/// A datagram of a server socket (hal::Net::listen, send_to) through the impairment: it belongs to
/// no connection, so nothing keeps it in order and it needs no line, only a task at its arrival.
/// When it arrives, or nullopt when the loss model dropped it. Both nets' server sockets use it.
std::optional<Scheduler::TimePoint> datagram_arrival(LinkImpairment& link, Direction direction,
                                                     std::size_t bytes, Scheduler::TimePoint now);

} // namespace dtu::hal_sim
