#pragma once
#include "dtu/profile/profile.hpp"

namespace dtu::profile {
/// The USR-G771 profile (built once).
const Profile& g771();
} // namespace dtu::profile
