#pragma once
// The device's parameter set: stored values per command key ("SOCKA", "MQTTPUBTP2", ...).
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "dtu/at/command_spec.hpp"

namespace dtu::profile {
struct Profile;
}

namespace dtu::params {

using at::Values;

class Store {
public:
    /// Values under key, or nullptr.
    const Values* find(std::string_view key) const;
    /// Replace the values under key.
    void set(const std::string& key, Values values);
    /// Remove key (nothing happens when it is absent).
    void erase(std::string_view key) {
        if (auto it = values_.find(key); it != values_.end()) values_.erase(it);
    }
    /// Field i of key, or "" when absent.
    std::string_view text(std::string_view key, std::size_t i = 0) const;
    /// Field i of key as a number, or fallback when absent or not a number.
    std::int64_t number(std::string_view key, std::size_t i, std::int64_t fallback) const;
    /// True when field i of key is the enumeration word; enumerations are stored in the spelling
    /// of the model's manual (732: "on", "long"; G771: "ON", "LONG"), so the case is not compared.
    bool is(std::string_view key, std::size_t i, std::string_view word) const;
    /// True when field i of key is "ON" (any case).
    bool on(std::string_view key, std::size_t i = 0) const { return is(key, i, "ON"); }
    const std::map<std::string, Values, std::less<>>& all() const { return values_; }
    bool operator==(const Store& other) const { return values_ == other.values_; }

private:
    std::map<std::string, Values, std::less<>> values_;
};

/// One storage slot of a profile: the row it belongs to and its key.
struct Slot {
    const at::CommandSpec* spec;
    std::string key;
    Values factory;
};

/// Every storage slot of a profile with its factory values. Slots come from Stored, Echo, Login
/// and Table rows (one slot per variant / table entry).
std::vector<Slot> slots(const profile::Profile& profile);

/// Factory values of variant / table entry i of a row (entry 0 = variant A or table entry 1).
Values factory_for(const at::CommandSpec& spec, std::size_t i);

/// What one device's factory values may name: "{SN}" in a row's factory text stands for the
/// device's serial number (GM5 §2.9: the MQTT client id is the SN). Empty: the token stays.
struct Facts {
    std::string_view sn;
};

/// The factory parameter set of a profile, for the device `facts` describes.
Store factory_store(const profile::Profile& profile, const Facts& facts = {});

/// The row that owns a storage key (also WriteOnly keys such as "SSLCRT0"), or nullptr.
const at::CommandSpec* row_for_key(const profile::Profile& profile, std::string_view key);

} // namespace dtu::params
