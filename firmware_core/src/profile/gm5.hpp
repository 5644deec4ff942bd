#pragma once
#include "dtu/profile/profile.hpp"

namespace dtu::profile {
/// The WH-GM5 profile (built once).
const Profile& gm5();
} // namespace dtu::profile
