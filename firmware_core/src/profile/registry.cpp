// The list of device profiles the firmware knows.
#include "dtu/profile/profile.hpp"
#include "g771.hpp"

namespace dtu::profile {

const Profile* find(std::string_view name) {
    if (name == "g771") return &g771();
    return nullptr;
}

std::vector<std::string_view> names() { return {"g771"}; }

} // namespace dtu::profile
