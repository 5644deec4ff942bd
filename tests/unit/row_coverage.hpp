#pragma once
// For the table-driven row tests: which rows of a profile a test's cases name.
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dtu/at/command_spec.hpp"
#include "dtu/profile/profile.hpp"

namespace dtu::test {

/// The command a request line names: "AT+SOCKA=?" -> "SOCKA", "AT" -> "".
inline std::string command_of(std::string_view line) {
    if (line.size() <= 3) return {};
    return std::string(line.substr(3, line.find_first_of("?=", 3) - 3));
}

/// Every command name of a profile's table, each variant of a '#' row on its own ("" = AT).
inline std::vector<std::string> command_names(std::string_view profile) {
    std::vector<std::string> out;
    for (const auto& spec : profile::find(profile)->commands) {
        const std::size_t variants = spec.variants.empty() ? 1 : spec.variants.size();
        for (std::size_t i = 0; i < variants; ++i)
            out.push_back(at::concrete_name(spec, i));
    }
    return out;
}

/// Every row of the profile (one name per variant: SOCKAEN..SOCKDEN) that covered does not name.
inline std::vector<std::string> rows_not_in(std::string_view profile, const std::set<std::string>& covered) {
    std::vector<std::string> missing;
    for (const auto& name : command_names(profile))
        if (!covered.count(name)) missing.push_back(name);
    return missing;
}

} // namespace dtu::test
