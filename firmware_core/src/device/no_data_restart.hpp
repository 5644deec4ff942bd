#pragma once
// AT+RSTIM, the no-data restart (G771 §2.6.8; spec net-transparent §12, GAP-40): the device restarts
// when the network has sent it no data for RSTIM seconds (0 = off). The work mode that receives the
// data (NET: socket data; HTTPD: response bytes) owns one and calls arm() at start and on every
// byte received.
#include <cstdint>
#include <functional>
#include <string>

#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "timer.hpp"

namespace dtu::device {

class NoDataRestart {
public:
    using RestartFn = std::function<void(hal::ResetCause)>;
    using LogFn = std::function<void(hal::LogLevel, const std::string&)>;

    /// seconds = 0 disables it.
    NoDataRestart(hal::Clock& clock, std::uint32_t seconds, RestartFn restart, LogFn log)
        : timer_(clock), seconds_(seconds), restart_(std::move(restart)), log_(std::move(log)) {}
    /// AT+RSTIM from the saved parameters.
    static std::uint32_t seconds_from(const params::Store& saved) {
        return static_cast<std::uint32_t>(saved.number("RSTIM", 0, 0));
    }

    /// (Re)start the RSTIM period: at the start of the mode and whenever network data arrives.
    void arm();

private:
    Timer timer_;
    std::uint32_t seconds_;
    RestartFn restart_;
    LogFn log_;
};

} // namespace dtu::device
