#pragma once
// AT+RSTIM, the no-data restart (G771 §2.6.8; spec net-transparent §12, GAP-40): the device restarts
// when the network has sent it no data for RSTIM seconds (0 = off). The work mode that receives the
// data (NET: socket data; HTTPD: response bytes) owns one and calls arm() at start and on every
// byte received. MQTT mode uses the same countdown for G771 §2.6.8's no-connection restart ("MQTT 无连
// 接"): arm() at start and when the session ends, cancel() while it is up.
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

    /// seconds = 0 disables it. `what` completes the log line "no <what> for AT+RSTIM seconds".
    NoDataRestart(hal::Clock& clock, std::uint32_t seconds, RestartFn restart, LogFn log,
                  std::string what = "data from the network")
        : timer_(clock), seconds_(seconds), restart_(std::move(restart)), log_(std::move(log)),
          what_(std::move(what)) {}
    /// AT+RSTIM from the saved parameters.
    static std::uint32_t seconds_from(const params::Store& saved) {
        return static_cast<std::uint32_t>(saved.number("RSTIM", 0, 0));
    }

    /// (Re)start the RSTIM period: at the start of the mode and whenever network data arrives.
    void arm();
    /// Stop the countdown until the next arm().
    void cancel() { timer_.cancel(); }

private:
    Timer timer_;
    std::uint32_t seconds_;
    RestartFn restart_;
    LogFn log_;
    std::string what_;
};

} // namespace dtu::device
