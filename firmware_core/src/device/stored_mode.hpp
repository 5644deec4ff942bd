#pragma once
// The work mode the stored parameters select: the profile says where the value is (G771: WKMOD;
// K7 §4.2: SOCKA's protocol).
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"

namespace dtu::device {

inline profile::ModeKind stored_mode(const profile::Profile& profile, const params::Store& saved) {
    return profile.mode(saved.text(profile.mode_selector.key, profile.mode_selector.field)).kind;
}

} // namespace dtu::device
