#pragma once
// HAL: reset, LEDs — the board around the MCU.
#include <cstdint>

namespace dtu::hal {

/// Why the firmware asked for a reset (counted and shown by the host).
enum class ResetCause : std::uint8_t {
    AtRestart,    ///< AT+Z (on the 7S4: the application only, fast)
    AtSave,       ///< AT+S (save and restart)
    FactoryReset, ///< AT+CLEAR
    NoData,       ///< AT+RSTIM no-data restart
    Watchdog,     ///< firmware gave up on something (e.g. reconnect limit)
    SimSwitch,    ///< AT+SIMSWITCH=2 switched to the other SIM card (G771 §2.6.1)
    AtReboot,     ///< AT+REBOOT: full system reboot, as a power cycle (7S4 §3.1.7.4)
    UserDefaults, ///< AT+RELD: user-default parameters restored (732 §3.1.7.14, 7S4 §3.1.7.13)
};

/// G771 §1.5 table 3: the front-panel LEDs.
enum class Led : std::uint8_t { Power, Work, Data, Link1, Link2, Net2G, NetCat1, Signal1, Signal2, Signal3 };

class System {
public:
    virtual ~System() = default;
    /// Reset the MCU. The HAL tears the firmware down and boots it again *after* the caller returns
    /// (output already queued on the UART is still delivered). The caller must not rely on any
    /// later code running.
    virtual void reset(ResetCause cause) = 0;
    /// Drive an LED.
    virtual void set_led(Led led, bool on) = 0;
};

} // namespace dtu::hal
