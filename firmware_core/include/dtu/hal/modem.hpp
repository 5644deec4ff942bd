#pragma once
// HAL: the cellular module's identity, radio state and SIM cards (sockets: net.hpp, SMS: sms.hpp).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dtu::hal {

/// What the module and SIM say about themselves.
struct Identity {
    std::string imei;  ///< 15 digits
    std::string iccid; ///< 20 characters, of the SIM in use; empty when that slot has no card
    std::string sn;    ///< device serial number, 20 digits
};

struct Cell {
    std::uint32_t lac = 0;
    std::uint32_t cid = 0;
};

/// Radio conditions as the module reports them (not registered: rssi/ber 99, state 0, "No Network").
struct RadioState {
    int rssi = 27;               ///< 0..31, 99 unknown (GSM-style CSQ scale)
    int ber = 99;                ///< 0..7, 99 unknown
    int service_state = 4;       ///< SYSINFO first field
    std::string network = "LTE"; ///< SYSINFO second field: "No Network", "GSM/GPRS", "LTE"
    std::string local_ip;        ///< data bearer IP, empty when not attached
    std::string phone_number;    ///< CNUM, may be empty
    Cell serving;
    std::vector<Cell> neighbours; ///< at most 6
};

/// Network (operator) time, when the network provides one.
struct NetworkTime {
    bool valid = false;
    std::int64_t unix_seconds = 0; ///< UTC
    int tz_quarter_hours = 0;      ///< local offset in quarter hours (+32 = UTC+8)
};

/// The two SIM slots of a dual-SIM, single-standby module (G771 §1.3: card 1 external 2FF slot,
/// card 2 built-in eSIM).
enum class SimSlot : std::uint8_t { External, Internal };

/// The card's PIN lock as the module reports it (3GPP TS 27.007 AT+CPIN?). A locked card does not
/// register with the network.
enum class SimLock : std::uint8_t {
    Ready,       ///< no PIN asked, or the PIN was entered since the module started
    PinRequired, ///< the card waits for its PIN
    PukRequired, ///< too many wrong PINs: the card is blocked (only its PUK, outside the DTU, frees it)
};

class Modem {
public:
    virtual ~Modem() = default;
    virtual Identity identity() const = 0;
    virtual RadioState radio() const = 0;
    virtual NetworkTime network_time() const = 0;
    /// Whether a card sits in slot (the module's SIM detect).
    virtual bool sim_present(SimSlot slot) const = 0;
    /// The card the module uses. Kept by the module across firmware resets; external at power-on.
    virtual SimSlot active_sim() const = 0;
    /// Use slot from now on: the module registers with that card (whether the data link comes up
    /// is seen through hal::Net::attached()).
    virtual void select_sim(SimSlot slot) = 0;
    /// The active card's PIN lock.
    virtual SimLock sim_lock() const = 0;
    /// Give the active card its PIN (AT+CPIN="pin"). True when the card is now Ready. A wrong PIN
    /// uses up one of the card's attempts (three, kept by the card); after the last it is PukRequired.
    virtual bool enter_pin(std::string_view pin) = 0;
};

} // namespace dtu::hal
