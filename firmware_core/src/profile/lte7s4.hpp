#pragma once
#include "dtu/profile/profile.hpp"

namespace dtu::profile {
/// The USR-LTE-7S4 profile (built once).
const Profile& lte7s4();
} // namespace dtu::profile
