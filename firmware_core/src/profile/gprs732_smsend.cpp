// USR-GPRS232-732 AT+SMSEND (732 §3.1.7.63, table 13 row 63): one SMS in the alphabet its type
// names, 1 = ASCII packed in 7 bits (160), 2 = 8-bit data (140), 3 = "UCS8" i.e. UCS-2 (70);
// limits and alphabets in dtu/sms/one_message.hpp, the sending in the device (Behavior::SendSms).
#include "gprs732_rows.hpp"

namespace dtu::profile::fragments {
using namespace rows732;

void gprs732_smsend(Table& t) {
    // Set only ("设置") and "=?"; no query form in the manual. The data field is the rest of the
    // line, so quoted text may hold commas; 640 bytes: 160 characters of up to 4 bytes of UTF-8 is
    // the most any type can fit after its own check.
    CommandSpec send{"SMSEND",
                     {},
                     at::kTest | at::kSet,
                     Behavior::SendSms,
                     {quoted(phone("number", 1, 20)), number("type", 1, 3), quoted(text("data", 0, 640))},
                     {},
                     "732 §3.1.7.63",
                     "send one SMS (type 1 ASCII, 2 8-bit, 3 UCS-2)"};
    t.push_back(tested(send, R"(<"number">,<1,2,3>,<"data">)"));
}

} // namespace dtu::profile::fragments
