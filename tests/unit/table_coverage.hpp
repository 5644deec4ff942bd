#pragma once
// Helpers for the table-driven tests that check every row of a profile is exercised.
#include <string>
#include <string_view>
#include <vector>

#include "dtu/at/command_spec.hpp"
#include "dtu/profile/profile.hpp"

namespace dtu::test {

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

/// The command name a request line names: "AT+SOCKA?" -> "SOCKA", "AT" -> "".
inline std::string name_in(std::string_view line) {
    if (line.size() <= 3) return {};
    return std::string(line.substr(3, line.find_first_of("?=", 3) - 3));
}

} // namespace dtu::test
