#pragma once
// One direction of a serial line in time: a byte takes (start + data + parity + stop) bits / baud to
// cross the wire (8N1 at 9600 baud: 1.04 ms). Written once on the Scheduler, so the PTY UART (real
// time) and the virtual UART (scenarios, virtual time) pace the same way.
#include <cstddef>
#include <cstdint>
#include <functional>

#include "dtu/hal/uart.hpp"
#include "hal_sim/scheduler.hpp"

namespace dtu::hal_sim {

/// The wire's clock for one direction. Its owner keeps the bytes (one queue or several) and asks
/// take(waiting) how many of them have crossed the line by now; when some are left, wake() calls
/// back at the moment the next one has crossed. A burst of back-to-back bytes is timed from its
/// first byte, so a late wake-up releases more bytes at once and never slows the line down.
class LinePacer {
public:
    /// Bytes are released at least this far apart (in batches): at 115200 baud about 12 bytes, far
    /// below any packing interval (UARTFT >= 10 ms), so framing by time is unchanged.
    static constexpr Scheduler::Duration kMinStep = std::chrono::milliseconds(1);
    /// A take() this much later than the next byte was due means the bytes could not move (the
    /// receiver held the line, or the host stopped reading): the burst starts again instead of
    /// releasing everything the idle time would have carried. Far above timer lateness, so a busy
    /// host does not slow the line down.
    static constexpr Scheduler::Duration kMaxLag = std::chrono::milliseconds(50);

    explicit LinePacer(Scheduler& scheduler, const hal::LineSettings& line = {});
    ~LinePacer();
    LinePacer(const LinePacer&) = delete;
    LinePacer& operator=(const LinePacer&) = delete;

    /// A new line rate; bytes not yet released cross at the new rate from now on.
    void configure(const hal::LineSettings& line);
    const hal::LineSettings& line() const { return line_; }
    Scheduler& scheduler() const { return scheduler_; }

    /// The owner has `waiting` bytes for the line (call as soon as they are queued): how many of
    /// them have crossed by now. They are taken: the owner passes them on.
    std::size_t take(std::size_t waiting);
    /// Call fn once, when the next byte of the current burst has crossed (or at once, posted, when
    /// the line is idle). Replaces an earlier wake-up.
    void wake(std::function<void()> fn);
    /// Forget a pending wake-up and end the burst: bytes offered later start a new one. Used when
    /// the receiver stops taking bytes (flow control) and when the queue is emptied.
    void stop();

    /// Time on the wire for n bytes at the current setting.
    Scheduler::Duration line_time(std::uint64_t bytes) const;

private:
    /// When the next byte of the burst has crossed.
    Scheduler::TimePoint next_done() const;

    Scheduler& scheduler_;
    hal::LineSettings line_;
    bool in_burst_ = false;
    Scheduler::TimePoint burst_start_{};
    std::uint64_t taken_ = 0; ///< bytes released since burst_start_
    Scheduler::TaskId wake_ = 0;
};

} // namespace dtu::hal_sim
