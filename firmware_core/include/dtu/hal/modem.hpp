#pragma once
// HAL: the cellular module's identity, radio state and SIM cards (sockets: net.hpp, SMS: sms.hpp).
#include <cstdint>
#include <string>
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
};

} // namespace dtu::hal
