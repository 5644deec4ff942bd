#pragma once
// HAL: device time. All firmware time goes through here (no host clocks in firmware_core).
#include <cstdint>
#include <functional>

namespace dtu::hal {

using TimerId = std::uint32_t;
inline constexpr TimerId kNoTimer = 0;

/// Monotonic millisecond time and one-shot timers, all on the firmware's single executor.
class Clock {
public:
    virtual ~Clock() = default;
    /// Milliseconds since the HAL started; never goes backwards.
    virtual std::uint64_t now_ms() const = 0;
    /// Call fn once, ms milliseconds from now, on the firmware executor. Never calls fn inline.
    /// Returns a non-zero id.
    virtual TimerId after(std::uint32_t ms, std::function<void()> fn) = 0;
    /// Cancel a pending timer; unknown or already fired ids are ignored.
    virtual void cancel(TimerId id) = 0;
};

} // namespace dtu::hal
