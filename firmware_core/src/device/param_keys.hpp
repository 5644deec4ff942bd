#pragma once
// Parameters named by a profile's rules (profile::NetKeys, HttpdRules, SerialRules): "" means the
// model has no such parameter, '#' stands for a socket's letter.
#include <string>
#include <string_view>

#include "dtu/params/store.hpp"

namespace dtu::device {

/// key with its '#' replaced by letter ("SOCK#TO", 'B' -> "SOCKBTO"); a key without '#' as it is.
inline std::string key_for(std::string_view key, char letter) {
    std::string k(key);
    if (const auto hash = k.find('#'); hash != std::string::npos) k[hash] = letter;
    return k;
}

/// An ON/OFF switch; a model without the parameter ("") has the feature always on.
inline bool switched_on(const params::Store& s, std::string_view key) { return key.empty() || s.on(key); }

} // namespace dtu::device
