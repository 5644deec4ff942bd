#pragma once
// JSON for GET/PUT /api/v1/sim/pin (docs/radio-sim.md): the PIN of each simulated SIM card and its
// lock (732 AT+UCPIN §3.1.7.68). Pure functions: no I/O, no threads.
#include <optional>
#include <string>

#include <QJsonObject>

#include "hal_sim/sim_modem.hpp"

namespace dtu::sim {

/// {"external": {"pin", "state", "attempts_left"}, "internal": {...}}.
QJsonObject sim_pins_to_json(const hal_sim::SimModem& modem);

/// What PUT asks: the card ("sim", default "external") and its new PIN ("" = none).
struct SimPinChange {
    hal::SimSlot slot = hal::SimSlot::External;
    std::string pin;
};

/// {"pin": "1234"} or {"sim": "internal", "pin": ""}; nullopt with error naming the field.
std::optional<SimPinChange> parse_sim_pin(const QJsonObject& body, std::string& error);

} // namespace dtu::sim
