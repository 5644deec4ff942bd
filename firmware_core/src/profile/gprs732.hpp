#pragma once
#include "dtu/profile/profile.hpp"

namespace dtu::profile {
/// The USR-GPRS232-732 profile (built once).
const Profile& gprs732();
} // namespace dtu::profile
