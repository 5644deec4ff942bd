#include "no_data_restart.hpp"

namespace dtu::device {

void NoDataRestart::arm() {
    if (seconds_ == 0) return;
    timer_.start(seconds_ * 1000, [this] {
        log_(hal::LogLevel::Warn, "no " + what_ + " for AT+RSTIM seconds: restarting");
        restart_(hal::ResetCause::NoData);
    });
}

} // namespace dtu::device
