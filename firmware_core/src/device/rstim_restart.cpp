#include "rstim_restart.hpp"

namespace dtu::device {

RstimRestart::RstimRestart(hal::Clock& clock, const params::Store& saved, std::string what, Restart restart,
                           Log log)
    : seconds_(static_cast<std::uint32_t>(saved.number("RSTIM", 0, 0))), what_(std::move(what)),
      restart_(std::move(restart)), log_(std::move(log)), timer_(clock) {}

void RstimRestart::arm() {
    if (seconds_ == 0) return;
    timer_.start(seconds_ * 1000, [this] {
        log_(hal::LogLevel::Warn, "no " + what_ + " for AT+RSTIM seconds: restarting");
        restart_(hal::ResetCause::NoData);
    });
}

} // namespace dtu::device
