#include "sim/sim_pin_json.hpp"

#include "sim/json_fields.hpp"

namespace dtu::sim {
namespace {

using hal_sim::SimModem;

QJsonObject card_pin_to_json(const SimModem& modem, hal::SimSlot slot) {
    const hal_sim::SimCard& card =
        slot == hal::SimSlot::External ? modem.model().external : modem.model().internal;
    return QJsonObject{{"pin", q(card.pin)},
                       {"state", SimModem::lock_name(modem.lock_of(slot))},
                       {"attempts_left", modem.pin_attempts_left(slot)}};
}

} // namespace

QJsonObject sim_pins_to_json(const SimModem& modem) {
    return QJsonObject{{"external", card_pin_to_json(modem, hal::SimSlot::External)},
                       {"internal", card_pin_to_json(modem, hal::SimSlot::Internal)}};
}

std::optional<SimPinChange> parse_sim_pin(const QJsonObject& body, std::string& error) {
    constexpr Name<hal::SimSlot> kSlots[] = {{"external", hal::SimSlot::External},
                                             {"internal", hal::SimSlot::Internal}};
    SimPinChange change;
    FieldReader in(body, "", error);
    in.only({"sim", "pin"}, true);
    in.require({"pin"});
    in.choice("sim", change.slot, kSlots);
    in.string("pin", change.pin);
    if (error.empty())
        if (auto why = SimModem::pin_error(change.pin)) error = *why;
    if (!error.empty()) return std::nullopt;
    return change;
}

} // namespace dtu::sim
