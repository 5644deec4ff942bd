#pragma once
// Telephone numbers as SMS filtering compares them (spec sms.md §1.2).
#include <string_view>

namespace dtu::sms {

/// Whether a and b name the same subscriber: after one leading '+' is dropped from each, they are
/// equal, or one is country_code followed by the (non-empty) other. So with country code "86",
/// "10086", "8610086" and "+8610086" are all the same number; an empty country_code compares the
/// digits alone.
bool same_number(std::string_view a, std::string_view b, std::string_view country_code);

} // namespace dtu::sms
