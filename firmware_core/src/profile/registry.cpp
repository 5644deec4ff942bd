// The device profiles the firmware knows: one line each, in the order --help lists them.
#include "dtu/at/text.hpp"
#include "dtu/profile/profile.hpp"
#include "g771.hpp"
#include "gm5.hpp"
#include "gprs732.hpp"
#include "k7.hpp"
#include "lte7s4.hpp"

namespace dtu::profile {
namespace {

using Maker = const Profile& (*)();
constexpr Maker kProfiles[] = {
    g771, gprs732, lte7s4, gm5, k7,
};

} // namespace

const Profile* find(std::string_view name) {
    for (const Maker make : kProfiles)
        if (make().name == name) return &make();
    return nullptr;
}

std::vector<std::string_view> names() {
    std::vector<std::string_view> out;
    for (const Maker make : kProfiles)
        out.push_back(make().name);
    return out;
}

const ModeRow& Profile::mode(std::string_view wkmod) const {
    for (const ModeRow& row : modes)
        if (at::iequals(row.wkmod, wkmod)) return row;
    return modes.front();
}

} // namespace dtu::profile
