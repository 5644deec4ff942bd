#pragma once
// The user-default parameter set of AT+CFGTF / AT+RELD (732 §3.1.7.14, §3.1.7.16; 7S4 §3.1.7.13,
// §3.1.7.15; spec modes-and-timing §6.3, GAP-16). It rides in the same NVRAM blob as the saved set,
// each key prefixed with kUserDefaultPrefix, so one atomic commit keeps both consistent. A blob
// with no such key has no user defaults of its own: they are the factory set.
#include <string>
#include <string_view>

#include "dtu/params/store.hpp"

namespace dtu::params {

inline constexpr std::string_view kUserDefaultPrefix = "USERDEF.";

/// The two parameter sets a blob holds (values as stored: the device checks them against its rows).
struct NvramSets {
    Store saved;
    Store user_defaults;
    bool has_saved = false;         ///< the blob decoded
    bool has_user_defaults = false; ///< at least one prefixed key
};

/// Split a blob into its sets; an empty or unreadable blob gives two empty sets.
NvramSets read_sets(std::string_view blob, std::string_view profile);

/// One blob holding both sets; user_defaults nullptr = none (they equal the factory set).
std::string encode_sets(const Store& saved, const Store* user_defaults, std::string_view profile);

/// The blob `current` with its saved set replaced by saved; its user-default set is kept.
std::string with_saved(std::string_view current, const Store& saved, std::string_view profile);

/// The blob `current` with its user-default set replaced; its saved set is kept (factory when
/// current holds none).
std::string with_user_defaults(std::string_view current, const Store& user_defaults, const Store& factory,
                               std::string_view profile);

/// The user-default set in current, or factory when it holds none (AT+RELD).
Store user_defaults_of(std::string_view current, const Store& factory, std::string_view profile);

} // namespace dtu::params
