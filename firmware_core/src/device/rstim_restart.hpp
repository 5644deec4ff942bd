#pragma once
// AT+RSTIM (G771 §2.6.8): the device restarts when, for RSTIM seconds, no data came from the server
// (NET, HTTPD) or there was no MQTT connection. One countdown, shared by the work modes; 0 = off.
#include <functional>
#include <string>

#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "timer.hpp"

namespace dtu::device {

class RstimRestart {
public:
    using Restart = std::function<void(hal::ResetCause)>;
    using Log = std::function<void(hal::LogLevel, const std::string&)>;

    /// `what` completes the log line "no <what> for AT+RSTIM seconds: restarting".
    RstimRestart(hal::Clock& clock, const params::Store& saved, std::string what, Restart restart, Log log);
    /// (Re)start the countdown; nothing when RSTIM is 0.
    void arm();
    /// Stop it (e.g. while an MQTT session is up).
    void cancel() { timer_.cancel(); }
    bool armed() const { return timer_.active(); }

private:
    std::uint32_t seconds_;
    std::string what_;
    Restart restart_;
    Log log_;
    Timer timer_;
};

} // namespace dtu::device
