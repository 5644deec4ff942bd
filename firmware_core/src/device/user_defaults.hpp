#pragma once
// The user-default parameter set of AT+CFGTF / AT+RELD (732 §3.1.7.14, §3.1.7.16; 7S4 §3.1.7.13,
// §3.1.7.15; spec modes-and-timing §6.3, GAP-16): a second parameter set beside the saved one.
//
// Both live in the one NVRAM image (hal::Storage holds one blob): the saved set under its keys,
// the user-default set under "user.<KEY>" (lower case, so it can never be a command name). Every
// commit of one set keeps the other set as it is in NVRAM, so AT+S, AT+CLEAR and the 7S4's
// commit-on-set never lose the user defaults, and AT+CFGTF never commits unsaved 732 edits.
#include <string_view>

#include "dtu/hal/storage.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"

namespace dtu::device::user_defaults {

/// What the user-default keys start with in the NVRAM image.
inline constexpr std::string_view kKeyPrefix = "user.";

/// True for an NVRAM key of the user-default set.
bool is_user_key(std::string_view key);

/// Commit saved as the saved set; the user-default set in NVRAM stays. False if the commit failed.
bool commit_saved(hal::Storage& storage, const profile::Profile& profile, const params::Store& saved);

/// Commit user as the user-default set (AT+CFGTF); the saved set in NVRAM stays as it is (none
/// saved yet: none written, the device still boots factory values). False if the commit failed.
bool commit_user(hal::Storage& storage, const profile::Profile& profile, const params::Store& user);

/// The user-default set in NVRAM; the factory set when AT+CFGTF never made one (modes-and-timing
/// §6.3: "initially = factory", the device's `factory` set). Values a row no longer accepts keep
/// their factory value.
params::Store load_user(hal::Storage& storage, const profile::Profile& profile, params::Store factory);

} // namespace dtu::device::user_defaults
