// USR-G771 4G Cat-1 DTU: its command table (G771 §4 table 11) and its answer style.
#include "g771.hpp"
#include "fragments.hpp"

namespace dtu::profile {

namespace {

constexpr std::size_t kG771Topics = 4; // G771 §2.5.3: at most 4 publish/subscribe topics

std::vector<at::CommandSpec> g771_commands() {
    fragments::Table t;
    fragments::cellular_general(t);
    fragments::cellular_info(t);
    fragments::cellular_security(t);
    fragments::cellular_serial(t);
    fragments::cellular_sockets(t);
    fragments::cellular_reg_heartbeat(t);
    fragments::cellular_httpd_sms(t);
    fragments::cellular_mqtt(t, kG771Topics);
    fragments::cellular_ntp_sim(t);
    return t;
}

} // namespace

const Profile& g771() {
    static const Profile profile{
        "g771",
        "USR-G771",
        "V1.3.25.000000.0000", // field-evidence §1.1: a real unit's AT+VER
        "2022-08-14 12:00:00",
        ResponseStyle{
            "\r\nOK\r\n",
            "\r\n+CME ERROR:", // GAP-01, field-evidence §1.1: no space after the colon
            "\r\n",
            "\r\n+OK\r\n", // G771 §3.4 "给设备发送“+OK”", GAP-13
            "a",
            "+ok\r\n", // field-evidence §1.1: vendor demo expects "a" then "+ok\r\n"
            "\r\nplease log in at command first\r\n", // G771 §2.6.3
        },
        ErrorCodes{58, 3, 73},
        // T5 3 s (G771 §3.4); login 30 s (G771 §2.6.3); SIM switch 30 s / 5 min (G771 §2.6.1);
        // MQTT reconnect 5 s (G771 §2.5.1 table 5); MQTT payload = the longest serial frame (AT+UARTFL
        // max, G771 §3.3); 16 temporary topics (not documented: a bound for memory, GAP-23)
        Limits{4096, kG771Topics, 3000, 30000, 30000, 300000, 1000, 5000, 4096, 16},
        g771_commands(),
        // GAP-35: the 732's multi-command SMS (firmware 3.0+) assumed for the newer G771; a
        // single command without ';' still works. Spec sms.md §1.2: SMSFLT ignores a "+86"/"86"
        // in front of the number; a message longer than one SMS is sent as consecutive plain SMS
        // of 160 GSM / 70 UCS-2 characters with no concatenation header (G771 §2.4 and §3.4.3 say
        // nothing of long messages; modes-and-timing §4.4 splits SMS AT answers the same way).
        SmsRules{true, "86", sms::LongMessage::Separate},
    };
    return profile;
}

} // namespace dtu::profile
