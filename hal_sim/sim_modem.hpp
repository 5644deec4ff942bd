#pragma once
// hal::Modem on the host: a cellular module whose radio and SIM cards the user controls (command
// line at start, PUT /api/v1/radio at run time). docs/radio-sim.md documents the model.
//
// The module is registered when the network has coverage (registered, network not "No Network")
// and the active SIM card is present and allowed to register (can_register). Registered, it answers
// CSQ/SYSINFO from the model; not registered, CSQ 99,99 and SYSINFO 0,"No Network". The data link
// is up (data_ready) when registered and the card has credit: that is what the host feeds into
// AsioNet's attach (with the link impairment's own "attached"). CIP shows the bearer's IP only then.
// A card with a PIN is locked whenever the module starts (power-on and every firmware reset: the
// DTU restarts its module) until the firmware enters the PIN; a locked card does not register.
// Three wrong PINs block the card (PUK required) until the user gives it a PIN again.
// Single-threaded: call everything on the device's io_context.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dtu/hal/modem.hpp"

namespace dtu::hal_sim {

/// One SIM card slot.
struct SimCard {
    bool present = true;      ///< a card sits in the slot
    std::string iccid;        ///< 19-20 digits (AT+ICCID when this card is in use)
    std::string phone_number; ///< AT+CNUM; "" or an optional '+' and 1-20 digits
    bool can_register = true; ///< false: the network rejects the card (unregistered, blocked)
    bool has_credit = true;   ///< false: registered, but no data (out of credit)
    std::string pin;          ///< "" = the card asks no PIN; else 4-8 digits (732 §3.1.7.68)
};

/// What the user controls.
struct RadioModel {
    int rssi = 27;                   ///< 0..31, or 99 (unknown)
    int ber = 99;                    ///< 0..7, or 99 (unknown)
    std::string network = "LTE";     ///< "LTE", "GSM/GPRS" or "No Network" (= no coverage)
    bool registered = true;          ///< the network accepts the module (coverage, not barred)
    hal::Cell serving{21269, 30321}; ///< AT+LBS
    std::vector<hal::Cell> neighbours{hal::Cell{21269, 30322}, hal::Cell{21269, 30598}}; ///< AT+LBSN, <= 6
    bool network_time = true;       ///< the network provides time (NITZ)
    int tz_quarter_hours = 32;      ///< its zone: -48..56 quarter hours (+32 = UTC+8)
    std::int64_t time_offset_s = 0; ///< the operator's clock minus the host's UTC (the time source)
    SimCard external;               ///< card 1: the 2FF slot
    SimCard internal;               ///< card 2: the built-in eSIM
};

class SimModem final : public hal::Modem {
public:
    /// The host's UTC as the network sees it: the wall clock in real time, a fixed epoch plus the
    /// scheduler's elapsed time in virtual time (so network time is deterministic there).
    using TimeSource = std::function<std::chrono::system_clock::time_point()>;

    /// The built-in eSIM's default ICCID (a China Telecom 898603... number, G771 §1.3).
    static constexpr const char* kDefaultInternalIccid = "89860320000000000002";
    /// The local IP of the data bearer while the data link is up.
    static constexpr const char* kLocalIp = "10.0.0.2";
    /// Network type names (SYSINFO's second field).
    static constexpr const char* kLte = "LTE";
    static constexpr const char* kGsm = "GSM/GPRS";
    static constexpr const char* kNoNetwork = "No Network";
    static constexpr int kMaxNeighbours = 6;
    /// ±100 years (docs/radio-sim.md): 100 Gregorian years of 365.2425 days, 3 155 695 200 s.
    static constexpr std::int64_t kMaxTimeOffsetS = 3'155'695'200LL; // 36 524.25 days * 86 400 s

    /// IMEI and SN from identity; the cards from model. The external card is active.
    SimModem(hal::Identity identity, RadioModel model);
    /// Default model, with the external card's ICCID from identity.iccid.
    explicit SimModem(hal::Identity identity);

    /// IMEI, SN, and the ICCID of the card in use ("" when its slot is empty).
    hal::Identity identity() const override;
    /// The model as the module reports it (see the header comment).
    hal::RadioState radio() const override;
    /// Time source + time_offset_s, in the configured zone; invalid when the network gives no time.
    hal::NetworkTime network_time() const override;
    bool sim_present(hal::SimSlot slot) const override { return card(slot).present; }
    hal::SimSlot active_sim() const override { return active_; }
    /// The module re-registers with that card (data_ready may change: the change handler runs).
    void select_sim(hal::SimSlot slot) override;
    hal::SimLock sim_lock() const override { return lock_of(active_); }
    /// The active card checks pin; a wrong one costs an attempt (the change handler runs on success).
    bool enter_pin(std::string_view pin) override;

    /// What the user set.
    const RadioModel& model() const { return model_; }
    /// Replace the model (validate() it first); the change handler runs.
    void set_model(RadioModel model);
    /// Power removed: the module forgets its card selection (external again at power-on), and the
    /// cards ask their PIN again.
    void power_off();
    /// The module restarts with the firmware (a firmware reset): the cards ask their PIN again; the
    /// card selection stays.
    void restart();
    /// Give the card in slot a PIN ("" = none): a new card state, all attempts left, locked until
    /// the PIN is entered (check with pin_error() first). The change handler runs.
    void set_pin(hal::SimSlot slot, std::string pin);
    /// The PIN lock of the card in slot.
    hal::SimLock lock_of(hal::SimSlot slot) const;
    /// Wrong PINs the card in slot still accepts before it blocks.
    int pin_attempts_left(hal::SimSlot slot) const { return pins_[index(slot)].attempts_left; }
    static constexpr int kPinAttempts = 3; ///< 732 §3.1.7.68: "3 次验证失败后，您的卡会被锁"
    /// Registered with the network on the active card.
    bool registered() const;
    /// Registered and the card has credit: the data link can be up.
    bool data_ready() const { return registered() && card(active_).has_credit; }

    /// Where network_time() reads the host's UTC; nullptr: std::chrono::system_clock::now (the default).
    void set_time_source(TimeSource now) { now_ = std::move(now); }

    /// Called after anything that may change data_ready(); one handler (the host), nullptr removes.
    void set_change_handler(std::function<void()> handler) { on_change_ = std::move(handler); }

    /// nullopt if model is usable, else why not, naming the field (e.g. "sims.external.iccid").
    static std::optional<std::string> validate(const RadioModel& model);
    /// nullopt if pin is "" or 4 to 8 digits (732 §3.1.7.68), else why not.
    static std::optional<std::string> pin_error(const std::string& pin);
    /// "external" / "internal".
    static const char* slot_name(hal::SimSlot slot);
    /// "ready", "pin_required", "puk_required".
    static const char* lock_name(hal::SimLock lock);

private:
    /// What the card in a slot remembers of its PIN checks.
    struct PinState {
        bool entered = false; ///< the PIN was given since the module started
        int attempts_left = kPinAttempts;
    };
    static std::size_t index(hal::SimSlot slot) { return slot == hal::SimSlot::External ? 0 : 1; }
    SimCard& card(hal::SimSlot slot) {
        return slot == hal::SimSlot::External ? model_.external : model_.internal;
    }
    const SimCard& card(hal::SimSlot slot) const {
        return slot == hal::SimSlot::External ? model_.external : model_.internal;
    }
    void changed() {
        if (on_change_) on_change_();
    }

    hal::Identity identity_;
    RadioModel model_;
    hal::SimSlot active_ = hal::SimSlot::External;
    PinState pins_[2];
    TimeSource now_; ///< empty: system_clock
    std::function<void()> on_change_;
};

} // namespace dtu::hal_sim
