#pragma once
// Module identities (IMEI, ICCID, SN): defaults, check digits and validation of user input.
#include <optional>
#include <string>
#include <string_view>

#include "dtu/hal/modem.hpp"

namespace dtu::sim {

/// Luhn check digit for a string of decimal digits (the IMEI's 15th digit, over the first 14).
constexpr char luhn_check_digit(std::string_view digits) {
    int sum = 0;
    bool twice = true; // the digit next to the check digit is doubled
    for (auto it = digits.rbegin(); it != digits.rend(); ++it, twice = !twice) {
        int d = *it - '0';
        if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

/// IMEI without its check digit: TAC 86800000 (a Chinese module), serial 000000.
inline constexpr std::string_view kDefaultImeiBody = "86800000000000";
inline constexpr std::string_view kDefaultIccid = "89860000000000000001";
inline constexpr std::string_view kDefaultSn = "02400122052700000529";

/// The identity used when the command line gives none: IMEI 868000000000001 (valid Luhn digit).
hal::Identity default_identity();

/// Why value is not an IMEI (15 digits), or nullopt when it is one.
std::optional<std::string> imei_error(std::string_view value);
/// Why value is not an ICCID (19 or 20 digits), or nullopt.
std::optional<std::string> iccid_error(std::string_view value);
/// Why value is not a serial number (20 digits), or nullopt.
std::optional<std::string> sn_error(std::string_view value);
/// True when the IMEI's last digit is its Luhn check digit (real IMEIs always pass).
bool imei_check_digit_ok(std::string_view imei);

} // namespace dtu::sim
