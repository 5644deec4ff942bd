#pragma once
// Writing a group of parameters through the device's own AT engine, all or nothing: the K7's
// configuration services (UDP 1901 blocks, K7 §5.1.2; the web page's forms, K7 §5.2) set what a
// user asked for exactly as the same AT commands would, and a refused value leaves nothing half
// written.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "at_engine.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"

namespace dtu::device {

/// One AT setting: "AT+<key>=<value>" (key as stored: "UART", "SOCKA").
struct Setting {
    std::string key;
    std::string value;
};

/// A parameter as AT shows it ("" when unset).
std::string shown_value(const profile::Profile& profile, const params::Store& store, std::string_view key);

/// Each setting through run_at, skipping the ones `working` already shows so; on the first refused
/// one the ones made are undone (last first) and its index comes back. nullopt: all were made.
std::optional<std::size_t> apply_settings(const profile::Profile& profile, const params::Store& working,
                                          const std::vector<Setting>& settings,
                                          const std::function<Outcome(std::string_view line)>& run_at);

} // namespace dtu::device
