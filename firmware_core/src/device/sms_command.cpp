// AT+SMSEND and AT+CISMSSEND: one SMS by command (732 §3.1.7.63; 7S4 §3.1.7.66-67; spec sms.md §3).
#include "at_engine.hpp"
#include "dtu/at/text.hpp"
#include "dtu/at/validate.hpp"
#include "dtu/sms/one_message.hpp"

namespace dtu::device {
namespace {

/// The alphabet of the SMS, or nullopt when the text does not fit one SMS in it: the 732's type
/// field (number,type,data) or, in the two-field form, the alphabet a phone would pick.
std::optional<hal::SmsEncoding> encoding_of(const params::Values& v) {
    const std::string& text = v.back();
    if (v.size() != 3) return sms::one_sms_encoding(text);
    const auto type = at::parse_decimal(v[1]);
    if (!type) return std::nullopt;
    const auto encoding = sms::smsend_type(*type);
    if (!encoding || !sms::fits_one_sms(*encoding, text)) return std::nullopt;
    return encoding;
}

} // namespace

Outcome AtEngine::send_sms(const at::CommandSpec& spec, std::string_view para) {
    params::Values v;
    // The model's own field rule: on the 7S4 a ',' in the text is written [2C] (7S4 §3.1.6.4).
    if (!parse(spec, para, nullptr, {}, v)) return error(profile_.errors.parameter);
    // The row's parameters say the form: number,type,data (732) or number,data (7S4, where the
    // alphabet is what a phone would pick).
    const std::string& text = v.back();
    const std::optional<hal::SmsEncoding> encoding = encoding_of(v);
    if (!encoding) return error(profile_.errors.parameter); // over one SMS, or not in its alphabet
    // sms.md §3.4: OK once the network has taken it; not registered = "not possible now".
    if (!send_sms_ || !send_sms_(v.front(), *encoding, text)) return error(profile_.errors.parameter);
    return ok();
}

} // namespace dtu::device
