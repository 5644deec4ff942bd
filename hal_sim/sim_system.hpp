#pragma once
// hal::System for the host: resets become "destroy the Device and boot a new one".
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "dtu/hal/system.hpp"
#include "hal_sim/scheduler.hpp"

namespace dtu::hal_sim {

/// Reset requests and LED states of one simulated board.
class SimSystem final : public hal::System {
public:
    static constexpr std::size_t kCauseCount = 8; ///< number of hal::ResetCause values
    static constexpr std::size_t kLedCount = 10;  ///< number of hal::Led values

    using ResetHandler = std::function<void(hal::ResetCause)>;

    /// on_reset runs from the scheduler (never inside reset()) and must rebuild the firmware.
    SimSystem(Scheduler& scheduler, ResetHandler on_reset);
    ~SimSystem() override;
    SimSystem(const SimSystem&) = delete;
    SimSystem& operator=(const SimSystem&) = delete;

    /// Count the request and post the rebuild; requests made before it runs fold into one.
    void reset(hal::ResetCause cause) override;
    /// Record an LED state.
    void set_led(hal::Led led, bool on) override;

    /// Whether the firmware has the LED on.
    bool led(hal::Led led) const { return leds_[static_cast<std::size_t>(led)]; }
    /// Reset requests with this cause since the process started.
    std::uint64_t resets(hal::ResetCause cause) const { return resets_[static_cast<std::size_t>(cause)]; }
    /// Reset requests of any cause.
    std::uint64_t total_resets() const;
    /// Text for logs and status, e.g. "AT+Z".
    static const char* cause_name(hal::ResetCause cause);

private:
    Scheduler& scheduler_;
    Scheduler::TaskId pending_task_ = 0;
    ResetHandler on_reset_;
    bool reset_pending_ = false;
    std::array<std::uint64_t, kCauseCount> resets_{};
    std::array<bool, kLedCount> leds_{};
};

} // namespace dtu::hal_sim
