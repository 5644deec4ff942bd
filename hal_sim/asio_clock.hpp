#pragma once
// hal::Clock in real time: Asio steady timers on the firmware's io_context.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "dtu/hal/clock.hpp"

namespace dtu::hal_sim {

/// Real-time clock for interactive use and for scenarios with real external peers.
class AsioClock final : public hal::Clock {
public:
    /// Time 0 is now.
    explicit AsioClock(boost::asio::io_context& io);
    ~AsioClock() override;
    AsioClock(const AsioClock&) = delete;
    AsioClock& operator=(const AsioClock&) = delete;

    /// Milliseconds since construction (steady clock; survives firmware resets).
    std::uint64_t now_ms() const override;
    /// One-shot timer; fn runs from the io_context, never inside this call.
    hal::TimerId after(std::uint32_t ms, std::function<void()> fn) override;
    /// Cancel one timer; unknown or fired ids are ignored.
    void cancel(hal::TimerId id) override;
    /// Cancel every pending timer (the firmware is being reset).
    void cancel_all();
    /// Number of timers still pending.
    std::size_t pending() const { return timers_.size(); }

private:
    void fire(hal::TimerId id);

    struct Entry {
        std::unique_ptr<boost::asio::steady_timer> timer;
        std::function<void()> fn;
    };

    boost::asio::io_context& io_;
    const std::chrono::steady_clock::time_point start_;
    hal::TimerId last_id_ = hal::kNoTimer;
    // A fired or cancelled timer is erased at once, so the map holds exactly the pending timers.
    std::map<hal::TimerId, Entry> timers_;
};

} // namespace dtu::hal_sim
