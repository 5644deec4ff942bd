// USR-LTE-7S4 AT+SMSEND and AT+CISMSSEND (7S4 §3.1.7.66-67): one SMS, number then text, set only.
// §3.1.7.67's format line reads "AT+CISMSSEND=number,type", but its parameter list (number, data
// "支持中文") and its example (AT+CISMSSEND=8613854123456,你好啊) are SMSEND's: two of its three
// statements agree, so CISMSSEND is SMSEND under a second name (spec sms.md §3.4, GAP-35).
// The text is everything after the first comma; its alphabet is what a phone picks (GSM 7-bit, or
// UCS-2 for Chinese), one SMS at most (160 / 70): dtu/sms/one_message.hpp.
#include "fragments.hpp"
#include "rows.hpp"

namespace dtu::profile::fragments {
using namespace rows;

void lte7s4_smsend(Table& t) {
    // 640 bytes of text: 160 characters of up to 4 bytes of UTF-8; the alphabet's own limit decides.
    const std::vector<ParamSpec> params{phone("number", 1, 20), text("data", 1, 640)};
    t.push_back({"SMSEND", {}, at::kSet, Behavior::SendSms, params, {}, "7S4 §3.1.7.66", "send one SMS"});
    t.push_back({"CISMSSEND",
                 {},
                 at::kSet,
                 Behavior::SendSms,
                 params,
                 {},
                 "7S4 §3.1.7.67 (= SMSEND, GAP-35)",
                 "send one SMS"});
}

} // namespace dtu::profile::fragments
