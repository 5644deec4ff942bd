#pragma once
// The device's calendar clock (what AT+CCLK shows): UTC kept as "unix time U at HAL time X", so it
// runs on with hal::Clock between updates. Spec device-info §5 (GAP-38): until the first NTP
// update it is the network (operator) time when the modem has one, else 2000-01-01 00:00:00 at
// power-on; an NTP update sets it.
#include <cstdint>

#include "dtu/hal/clock.hpp"
#include "dtu/hal/modem.hpp"

namespace dtu::device {

class WallClock {
public:
    /// 2000-01-01 00:00:00 UTC in unix seconds.
    static constexpr std::int64_t kEpoch2000 = 946684800;

    WallClock(hal::Clock& clock, hal::Modem& modem) : clock_(clock), modem_(modem) {}

    /// Power-on: forget any update; the clock reads 2000-01-01 00:00:00 now (or the network time).
    void power_on() {
        synced_ = false;
        base_unix_ms_ = kEpoch2000 * 1000;
        base_local_ms_ = clock_.now_ms();
    }
    /// UTC in milliseconds since 1970, now.
    std::int64_t unix_ms() const {
        if (!synced_) {
            const hal::NetworkTime t = modem_.network_time();
            if (t.valid) return t.unix_seconds * 1000;
        }
        return base_unix_ms_ + static_cast<std::int64_t>(clock_.now_ms() - base_local_ms_);
    }
    /// The clock read unix_ms at HAL time local_ms (an NTP update).
    void set(std::int64_t unix_ms, std::uint64_t local_ms) {
        synced_ = true;
        base_unix_ms_ = unix_ms;
        base_local_ms_ = local_ms;
    }
    /// Whether an NTP update has set the clock since power-on.
    bool synced() const { return synced_; }
    /// The operator's zone in quarter hours (+32 = UTC+8) when the network gives one, else 0.
    int tz_quarter_hours() const {
        const hal::NetworkTime t = modem_.network_time();
        return t.valid ? t.tz_quarter_hours : 0;
    }

private:
    hal::Clock& clock_;
    hal::Modem& modem_;
    bool synced_ = false;
    std::int64_t base_unix_ms_ = kEpoch2000 * 1000;
    std::uint64_t base_local_ms_ = 0;
};

} // namespace dtu::device
