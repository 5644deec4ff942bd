#include "sim/identity.hpp"

#include <algorithm>

namespace dtu::sim {
namespace {

static_assert(luhn_check_digit("86800000000000") == '1', "default IMEI is 868000000000001");
static_assert(luhn_check_digit("49015420323751") == '8', "IMEI example from 3GPP TS 23.003");

bool all_digits(std::string_view v) {
    return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string> digits_error(std::string_view value, std::size_t min, std::size_t max,
                                        std::string_view what) {
    if (all_digits(value) && value.size() >= min && value.size() <= max) return std::nullopt;
    std::string count = std::to_string(min);
    if (max != min) count += " or " + std::to_string(max);
    return std::string(what) + " must be " + count + " decimal digits, got \"" + std::string(value) + "\"";
}

} // namespace

hal::Identity default_identity() {
    std::string imei(kDefaultImeiBody);
    imei += luhn_check_digit(kDefaultImeiBody);
    return hal::Identity{imei, std::string(kDefaultIccid), std::string(kDefaultSn)};
}

std::optional<std::string> imei_error(std::string_view value) { return digits_error(value, 15, 15, "IMEI"); }

std::optional<std::string> iccid_error(std::string_view value) {
    return digits_error(value, 19, 20, "ICCID");
}

std::optional<std::string> sn_error(std::string_view value) { return digits_error(value, 20, 20, "SN"); }

bool imei_check_digit_ok(std::string_view imei) {
    return imei.size() == 15 && luhn_check_digit(imei.substr(0, 14)) == imei.back();
}

} // namespace dtu::sim
