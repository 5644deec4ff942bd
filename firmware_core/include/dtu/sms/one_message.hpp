#pragma once
// Rules of the commands that send one SMS (732 AT+SMSEND §3.1.7.63; 7S4 AT+SMSEND / AT+CISMSSEND
// §3.1.7.66-67; spec sms.md §3): which alphabet a command's content goes in, and whether it fits.
// These commands send a single SMS, never a concatenated one: the 732 states each type's maximum
// (160 / 140 / 70), which is one SMS of that alphabet; content over it is refused, not split.
#include <cstdint>
#include <optional>
#include <string_view>

#include "dtu/hal/sms.hpp"

namespace dtu::sms {

/// The alphabet a 732 AT+SMSEND type selects: 1 "ASCII 编码，有压缩" = GSM 7-bit packed (160),
/// 2 "8 比特编码，无压缩" = 8-bit data (140), 3 "UCS8" (sic) = UCS-2 (70); nullopt for other types.
std::optional<hal::SmsEncoding> smsend_type(std::int64_t type);

/// Whether text can go as one SMS in encoding: Gsm7 takes printable ASCII (and CR, LF) that the GSM
/// alphabet has, at most 160 septets (an extension character such as '[' costs two); Data8 takes any
/// bytes, at most 140; Ucs2 takes UTF-8 text, at most 70 UTF-16 units.
bool fits_one_sms(hal::SmsEncoding encoding, std::string_view text);

/// The alphabet for free text (7S4, "支持中文"): what a phone picks (choose_encoding), if the text
/// fits one SMS in it.
std::optional<hal::SmsEncoding> one_sms_encoding(std::string_view text);

} // namespace dtu::sms
