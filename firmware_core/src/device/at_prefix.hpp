#pragma once
// The prefix of serial, network and SMS AT: the command password, then the profile's separator
// (732 §3.1.3 "usr.cn#AT+VER" with CMDPW "usr.cn"; G771 and 7S4 use the password as it is).
#include <string>

#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"

namespace dtu::device {

inline std::string at_prefix(const profile::Profile& profile, const params::Store& saved) {
    return std::string(saved.text("CMDPW")).append(profile.serial.at_separator);
}

} // namespace dtu::device
