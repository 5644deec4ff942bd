#include "dtu/sms/number.hpp"

namespace dtu::sms {
namespace {

std::string_view without_plus(std::string_view number) {
    if (!number.empty() && number.front() == '+') number.remove_prefix(1);
    return number;
}

/// Whether longer is country_code followed by shorter, and shorter is a number at all.
bool with_country_code(std::string_view longer, std::string_view shorter, std::string_view country_code) {
    return !country_code.empty() && !shorter.empty() &&
           longer.size() == country_code.size() + shorter.size() &&
           longer.substr(0, country_code.size()) == country_code &&
           longer.substr(country_code.size()) == shorter;
}

} // namespace

bool same_number(std::string_view a, std::string_view b, std::string_view country_code) {
    a = without_plus(a);
    b = without_plus(b);
    return a == b || with_country_code(a, b, country_code) || with_country_code(b, a, country_code);
}

} // namespace dtu::sms
