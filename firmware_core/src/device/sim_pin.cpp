#include "sim_pin.hpp"

namespace dtu::device {

void SimPin::start(const params::Store& saved, std::string_view param) {
    switch (hal_.modem.sim_lock()) {
    case hal::SimLock::Ready: return;
    case hal::SimLock::PukRequired: return locked("the SIM card is blocked (PUK required)");
    case hal::SimLock::PinRequired: break;
    }
    if (param.empty()) return locked("the SIM card asks for its PIN, which this model cannot enter");
    const std::string setting = "AT+" + std::string(param);
    const std::string_view pin = saved.text(param);
    if (pin.empty()) return locked("the SIM card asks for its PIN and " + setting + " is empty");
    if (!hal_.modem.enter_pin(pin)) {
        const bool blocked = hal_.modem.sim_lock() == hal::SimLock::PukRequired;
        return locked("the SIM card refused the PIN of " + setting +
                      (blocked ? " and is now blocked (PUK required)" : ""));
    }
    log_(hal::LogLevel::Info, "SIM: PIN accepted");
}

void SimPin::locked(const std::string& why) {
    std::string line = "SIM: " + why + ": no network registration";
    if (restart_ms_ != 0) {
        line += "; restarting in " + std::to_string(restart_ms_ / 1000) + " s";
        timer_.start(restart_ms_, [this] { restart_(hal::ResetCause::Watchdog); });
    }
    log_(hal::LogLevel::Error, line);
}

} // namespace dtu::device
