#include "hal_sim/sim_modem.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

namespace dtu::hal_sim {
namespace {

bool all_digits(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string> card_error(const SimCard& card, const std::string& path) {
    if (card.iccid.size() < 19 || card.iccid.size() > 20 || !all_digits(card.iccid))
        return path + ".iccid must be 19 or 20 digits";
    const std::string& n = card.phone_number;
    const std::string digits = !n.empty() && n[0] == '+' ? n.substr(1) : n;
    if (!n.empty() && (digits.empty() || digits.size() > 20 || !all_digits(digits)))
        return path + ".phone_number must be empty, or 1 to 20 digits with an optional leading '+'";
    if (auto e = SimModem::pin_error(card.pin)) return path + "." + *e;
    return std::nullopt;
}

std::optional<std::string> cell_error(const hal::Cell& cell, const std::string& path) {
    if (cell.lac > 65535) return path + ".lac must be from 0 to 65535";
    if (cell.cid > 268435455) return path + ".cid must be from 0 to 268435455";
    return std::nullopt;
}

} // namespace

SimModem::SimModem(hal::Identity identity, RadioModel model)
    : identity_(std::move(identity)), model_(std::move(model)) {}

SimModem::SimModem(hal::Identity identity) : identity_(std::move(identity)) {
    model_.external.iccid = identity_.iccid;
    model_.internal.iccid = kDefaultInternalIccid;
}

hal::Identity SimModem::identity() const {
    hal::Identity id = identity_;
    const SimCard& c = card(active_);
    id.iccid = c.present ? c.iccid : std::string();
    return id;
}

bool SimModem::registered() const {
    const SimCard& c = card(active_);
    return model_.registered && model_.network != kNoNetwork && c.present && c.can_register &&
           lock_of(active_) == hal::SimLock::Ready;
}

hal::SimLock SimModem::lock_of(hal::SimSlot slot) const {
    const PinState& p = pins_[index(slot)];
    if (card(slot).pin.empty()) return hal::SimLock::Ready;
    if (p.attempts_left == 0) return hal::SimLock::PukRequired;
    return p.entered ? hal::SimLock::Ready : hal::SimLock::PinRequired;
}

bool SimModem::enter_pin(std::string_view pin) {
    if (lock_of(active_) != hal::SimLock::PinRequired) return lock_of(active_) == hal::SimLock::Ready;
    PinState& p = pins_[index(active_)];
    if (pin != card(active_).pin) {
        --p.attempts_left;
        return false;
    }
    p.entered = true;
    p.attempts_left = kPinAttempts; // a right PIN resets the card's counter (TS 31.101)
    changed();
    return true;
}

void SimModem::set_pin(hal::SimSlot slot, std::string pin) {
    card(slot).pin = std::move(pin);
    pins_[index(slot)] = PinState{};
    changed();
}

void SimModem::restart() {
    const bool was_registered = registered();
    for (PinState& p : pins_)
        p.entered = false;
    if (registered() != was_registered) changed();
}

hal::RadioState SimModem::radio() const {
    hal::RadioState r;
    const SimCard& c = card(active_);
    r.phone_number = c.present ? c.phone_number : std::string();
    r.serving = model_.serving;
    r.neighbours = model_.neighbours;
    if (!registered()) {
        // Spec device-info §2/§3: 99 = not measurable; state 0 = no service.
        r.rssi = 99;
        r.ber = 99;
        r.service_state = 0;
        r.network = kNoNetwork;
        return r;
    }
    r.rssi = model_.rssi;
    r.ber = model_.ber;
    r.service_state = 4; // field evidence §5: a working G771 answers "+SYSINFO:4,LTE"
    r.network = model_.network;
    if (data_ready()) r.local_ip = kLocalIp;
    return r;
}

hal::NetworkTime SimModem::network_time() const {
    hal::NetworkTime t;
    t.valid = model_.network_time && registered(); // NITZ comes from the network
    if (!t.valid) return t;
    const auto now = (now_ ? now_() : std::chrono::system_clock::now()).time_since_epoch();
    t.unix_seconds = std::chrono::floor<std::chrono::seconds>(now).count() + model_.time_offset_s;
    t.tz_quarter_hours = model_.tz_quarter_hours;
    return t;
}

void SimModem::select_sim(hal::SimSlot slot) {
    if (slot == active_) return;
    active_ = slot;
    changed();
}

void SimModem::set_model(RadioModel model) {
    model_ = std::move(model);
    changed();
}

void SimModem::power_off() {
    select_sim(hal::SimSlot::External);
    restart();
}

std::optional<std::string> SimModem::validate(const RadioModel& m) {
    if (!((m.rssi >= 0 && m.rssi <= 31) || m.rssi == 99)) return "rssi must be from 0 to 31, or 99";
    if (!((m.ber >= 0 && m.ber <= 7) || m.ber == 99)) return "ber must be from 0 to 7, or 99";
    if (m.network != kLte && m.network != kGsm && m.network != kNoNetwork)
        return R"(network must be "LTE", "GSM/GPRS" or "No Network")";
    if (auto e = cell_error(m.serving, "serving_cell")) return e;
    if (m.neighbours.size() > kMaxNeighbours) return "neighbours must have at most 6 cells";
    for (std::size_t i = 0; i < m.neighbours.size(); ++i)
        if (auto e = cell_error(m.neighbours[i], "neighbours[" + std::to_string(i) + "]")) return e;
    if (m.tz_quarter_hours < -48 || m.tz_quarter_hours > 56)
        return "tz_quarter_hours must be from -48 to 56 (UTC-12:00 to UTC+14:00)";
    if (m.time_offset_s < -kMaxTimeOffsetS || m.time_offset_s > kMaxTimeOffsetS)
        return "time_offset_s must be from -" + std::to_string(kMaxTimeOffsetS) + " to " +
               std::to_string(kMaxTimeOffsetS);
    if (auto e = card_error(m.external, "sims.external")) return e;
    if (auto e = card_error(m.internal, "sims.internal")) return e;
    return std::nullopt;
}

std::optional<std::string> SimModem::pin_error(const std::string& pin) {
    if (pin.empty() || (pin.size() >= 4 && pin.size() <= 8 && all_digits(pin))) return std::nullopt;
    return "pin must be empty (no PIN) or 4 to 8 digits";
}

const char* SimModem::lock_name(hal::SimLock lock) {
    switch (lock) {
    case hal::SimLock::Ready: return "ready";
    case hal::SimLock::PinRequired: return "pin_required";
    case hal::SimLock::PukRequired: return "puk_required";
    }
    return "ready";
}

const char* SimModem::slot_name(hal::SimSlot slot) {
    return slot == hal::SimSlot::External ? "external" : "internal";
}

} // namespace dtu::hal_sim
