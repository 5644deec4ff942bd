#pragma once
// Bytes on their way across one direction of a serial line: queued, released to a sink at the
// line's rate (LinePacer), held while the receiver says so. Unpaced, bytes pass at once.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hal_sim/line_pacer.hpp"
#include "hal_sim/output_queue.hpp"

namespace dtu::hal_sim {

class LineQueue {
public:
    using Sink = std::function<void(std::string_view bytes)>;

    /// paced = false: push() hands bytes to the sink at once and hold() is ignored (no line model).
    LineQueue(Scheduler& scheduler, bool paced, Sink sink = {});
    void set_sink(Sink sink) { sink_ = std::move(sink); }
    /// Called after each release (room in the queue); may push more.
    void on_released(std::function<void()> fn) { on_released_ = std::move(fn); }
    void configure(const hal::LineSettings& line) { pacer_.configure(line); }
    const LinePacer& pacer() const { return pacer_; }
    bool paced() const { return paced_; }

    /// Bytes for the line. Paced: released from the scheduler, never inside this call.
    void push(std::string_view bytes);
    /// Stop (true) or resume (false) releasing: the receiver's flow control.
    void hold(bool held);
    bool held() const { return held_; }
    /// Bytes queued, not yet released.
    std::size_t size() const { return queue_.size(); }
    /// Everything queued, in order; the queue is empty afterwards.
    std::string take_all();
    /// Call fn (from the scheduler) once every byte queued now has been released.
    void after_sent(std::function<void()> fn);

private:
    void release();
    void schedule();
    void run_due_waiters();

    struct Waiter {
        std::uint64_t released; ///< released_ at which fn is due
        std::function<void()> fn;
    };

    LinePacer pacer_;
    const bool paced_;
    Sink sink_;
    std::function<void()> on_released_;
    OutputQueue queue_;
    bool held_ = false;
    std::uint64_t released_ = 0; ///< bytes released since construction
    std::vector<Waiter> waiters_;
};

} // namespace dtu::hal_sim
