#include "dtu/sms/one_message.hpp"

#include <algorithm>

#include "dtu/sms/codec.hpp"

namespace dtu::sms {
namespace {

/// 732 type 1 is "ASCII": printable ASCII and line ends, nothing the GSM alphabet lacks (GSM has no
/// backtick).
bool ascii_text(std::string_view text) {
    const bool ascii = std::all_of(text.begin(), text.end(), [](char c) {
        const auto b = static_cast<unsigned char>(c);
        return (b >= 0x20 && b <= 0x7E) || b == '\r' || b == '\n';
    });
    return ascii && gsm7_encodable(text);
}

} // namespace

std::optional<hal::SmsEncoding> smsend_type(std::int64_t type) {
    switch (type) {
    case 1: return hal::SmsEncoding::Gsm7;
    case 2: return hal::SmsEncoding::Data8;
    case 3: return hal::SmsEncoding::Ucs2;
    default: return std::nullopt;
    }
}

bool fits_one_sms(hal::SmsEncoding encoding, std::string_view text) {
    if (encoding == hal::SmsEncoding::Gsm7 && !ascii_text(text)) return false;
    if (encoding == hal::SmsEncoding::Ucs2 && !valid_utf8(text)) return false;
    return length_in(encoding, text) <= capacity(encoding).single;
}

std::optional<hal::SmsEncoding> one_sms_encoding(std::string_view text) {
    const hal::SmsEncoding e = choose_encoding(text);
    // Free text is not limited to ASCII: the GSM alphabet's own letters (é, Ä) are fine here.
    const bool fits =
        e == hal::SmsEncoding::Gsm7 ? length_in(e, text) <= capacity(e).single : fits_one_sms(e, text);
    if (!fits) return std::nullopt;
    return e;
}

} // namespace dtu::sms
