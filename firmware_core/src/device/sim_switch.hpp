#pragma once
// SIM card mode (AT+SIMSWITCH, G771 §2.6.1 table 7; spec device-info §6, GAP-37): which of the two
// cards the module uses, decided at start-up and, in dual-backup mode, watched while running.
//
//  "0,0" / "0,1"  lock the external / internal card: select it, never switch.
//  "1"            external first: an external card is used whether or not it gets online; without
//                 one the internal card is selected detect_ms after start-up (no restart).
//  "2"            dual backup: on the external card, no card, or not online for online_ms ->
//                 "\r\nSIM switch to INT\r\n" on the serial port, select internal, restart. On the
//                 internal card, not online for online_ms -> if an external card is present,
//                 "SIM switch to EXT", select it, restart; else keep waiting (and check again).
//
// "Online" is hal::Net::attached() (registered with a data bearer), looked at every poll_ms; a
// card counts as not online once it has been offline for online_ms in a row, so a card that
// loses service (or runs out of credit) later is switched away from too. The module keeps the
// selected card across firmware restarts, which is what makes "switch, then restart" stick.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"
#include "timer.hpp"

namespace dtu::device {

class SimSwitch {
public:
    struct Hooks {
        std::function<void(std::string_view)> to_serial;
        std::function<void(hal::ResetCause)> restart;
        std::function<void(hal::LogLevel, const std::string&)> log;
    };

    SimSwitch(hal::Hal hal, const profile::SimSwitchRules& limits);
    /// Apply the saved SIMSWITCH mode (at power-on, after the start message).
    void start(const params::Store& saved, Hooks hooks);

    /// "EXT" / "INT", as the switch message prints them.
    static const char* slot_name(hal::SimSlot slot);

private:
    void use(hal::SimSlot slot, const char* why);
    void watch(); ///< mode 2: arm the "not online within online_ms" check for the active card
    void poll();
    void not_online();
    void switch_and_restart(hal::SimSlot to);
    void log(hal::LogLevel level, const std::string& line) const {
        if (hooks_.log) hooks_.log(level, "SIM: " + line);
    }

    hal::Hal hal_;
    const profile::SimSwitchRules& limits_;
    Hooks hooks_;
    Timer timer_;
    std::uint64_t offline_since_ = 0;
    bool offline_ = false;
};

} // namespace dtu::device
