#pragma once
// One entry read back from the NVRAM image, checked against the profile's rows before it is used.
#include <string>

#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"

namespace dtu::device {

enum class EntryFit { Taken, UnknownKey, BadValue };

/// Put key = values into store if a row of the profile owns key and accepts the values; otherwise
/// leave store as it is (the caller logs why).
EntryFit take_entry(const profile::Profile& profile, const std::string& key, params::Values values,
                    params::Store& store);

} // namespace dtu::device
