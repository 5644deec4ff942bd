#pragma once
// hal::Modem: identity from the command line and a radio the scenario (later: the control API) sets.
#include <utility>

#include "dtu/hal/modem.hpp"

namespace dtu::hal_sim {

/// The cellular module's static model: good LTE coverage unless told otherwise.
class SimModem final : public hal::Modem {
public:
    /// Network time offset when none is set: +32 quarter hours (UTC+8, China Standard Time).
    static constexpr int kDefaultTzQuarterHours = 32;

    /// Identity as given on the command line; radio() starts at default_radio().
    explicit SimModem(hal::Identity identity);

    /// IMEI, ICCID and SN.
    hal::Identity identity() const override { return identity_; }
    /// Current radio conditions.
    hal::RadioState radio() const override { return radio_; }
    /// Host UTC as the operator's time, with the configured zone; invalid when disabled.
    hal::NetworkTime network_time() const override;

    /// Replace the identity (SIM switch).
    void set_identity(hal::Identity identity) { identity_ = std::move(identity); }
    /// Replace the radio conditions.
    void set_radio(hal::RadioState radio) { radio_ = std::move(radio); }
    /// Whether the network provides time, and its zone offset.
    void set_network_time(bool valid, int tz_quarter_hours = kDefaultTzQuarterHours);

    /// RSSI 27, BER 99, registered on LTE, IP 10.0.0.2, serving cell 21269/30321, two neighbours.
    static hal::RadioState default_radio();

private:
    hal::Identity identity_;
    hal::RadioState radio_;
    bool time_valid_ = true;
    int tz_quarter_hours_ = kDefaultTzQuarterHours;
};

} // namespace dtu::hal_sim
