#pragma once
// The SIM card's PIN at start-up (732 AT+UCPIN §3.1.7.68): "设备在启动时会进行 pin码验证" — the device
// gives a card that asks for its PIN the stored one when it starts. A card that stays locked (no
// PIN stored, a wrong one, or blocked after three wrong ones) gets no network; the 732 then restarts
// after 5 minutes ("5 分钟后会重启"), which is another attempt, so three starts with a wrong PIN
// block the card, as the manual warns. A card that asks no PIN is left alone ("不会对您的卡有任何影响").
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "timer.hpp"

namespace dtu::device {

class SimPin {
public:
    using RestartFn = std::function<void(hal::ResetCause)>;
    using LogFn = std::function<void(hal::LogLevel, const std::string&)>;

    /// restart_ms: restart this long after a start whose card stayed locked (0 = never).
    SimPin(hal::Hal hal, std::uint32_t restart_ms, RestartFn restart, LogFn log)
        : hal_(hal), timer_(hal.clock), restart_ms_(restart_ms), restart_(std::move(restart)),
          log_(std::move(log)) {}

    /// At start: unlock the active card with the PIN stored in param (the profile's row, e.g.
    /// "UCPIN"; "" = the model has no PIN setting).
    void start(const params::Store& saved, std::string_view param);

private:
    void locked(const std::string& why);

    hal::Hal hal_;
    Timer timer_;
    std::uint32_t restart_ms_;
    RestartFn restart_;
    LogFn log_;
};

} // namespace dtu::device
