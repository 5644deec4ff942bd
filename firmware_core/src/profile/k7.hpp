#pragma once
#include "dtu/profile/profile.hpp"

namespace dtu::profile {
const Profile& k7();
} // namespace dtu::profile
