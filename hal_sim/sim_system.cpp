#include "hal_sim/sim_system.hpp"

#include <numeric>
#include <utility>

namespace dtu::hal_sim {

SimSystem::SimSystem(Scheduler& scheduler, ResetHandler on_reset)
    : scheduler_(scheduler), on_reset_(std::move(on_reset)) {}

SimSystem::~SimSystem() {
    if (reset_pending_) scheduler_.cancel(pending_task_);
}

void SimSystem::reset(hal::ResetCause cause) {
    ++resets_[static_cast<std::size_t>(cause)];
    if (reset_pending_) return;
    reset_pending_ = true;
    // Posted: the firmware is still on the stack (hal.hpp: the reset happens after the caller returns).
    pending_task_ = scheduler_.post([this, cause] {
        reset_pending_ = false;
        leds_ = {}; // a reset MCU starts with its GPIOs low
        if (on_reset_) on_reset_(cause);
    });
}

void SimSystem::set_led(hal::Led led, bool on) { leds_[static_cast<std::size_t>(led)] = on; }

std::uint64_t SimSystem::total_resets() const {
    return std::accumulate(resets_.begin(), resets_.end(), std::uint64_t{0});
}

const char* SimSystem::cause_name(hal::ResetCause cause) {
    switch (cause) {
    case hal::ResetCause::AtRestart: return "AT+Z";
    case hal::ResetCause::AtSave: return "AT+S";
    case hal::ResetCause::FactoryReset: return "AT+CLEAR";
    case hal::ResetCause::NoData: return "RSTIM";
    case hal::ResetCause::Watchdog: return "watchdog";
    case hal::ResetCause::SimSwitch: return "SIMSWITCH";
    case hal::ResetCause::AtReboot: return "AT+REBOOT";
    case hal::ResetCause::UserDefaults: return "AT+RELD";
    }
    return "unknown";
}

} // namespace dtu::hal_sim
