// USR-G771 4G Cat-1 DTU: its command table (G771 §4 table 11), answer style, limits and modes.
#include "g771.hpp"
#include "fragments.hpp"

namespace dtu::profile {

namespace {

constexpr std::size_t kG771Topics = fragments::MqttValues{}.topic_entries; // G771 §2.5.3: 4 topics

std::vector<at::CommandSpec> g771_commands() {
    fragments::Table t;
    fragments::g771_general(t);
    fragments::g771_info(t);
    fragments::g771_security(t);
    fragments::g771_serial(t);
    fragments::g771_sockets(t);
    fragments::g771_reg_heartbeat(t);
    fragments::g771_httpd(t);
    fragments::g771_sms(t);
    fragments::cellular_mqtt(t, fragments::MqttValues{}); // the G771 column of spec mqtt.md §10
    fragments::g771_ntp_sim(t);
    return t;
}

AnswerStyle g771_answers() {
    AnswerStyle a;
    a.ok = "\r\nOK\r\n";
    a.entm_reply = "\r\n+OK\r\n"; // G771 §3.4 "给设备发送“+OK”", GAP-13
    a.plus_a = "a";
    a.plus_ok = "+ok\r\n"; // field-evidence §1.1: vendor demo expects "a" then "+ok\r\n"
    a.login_required = "\r\nplease log in at command first\r\n"; // G771 §2.6.3
    return a;
}

ErrorStyle g771_errors() {
    ErrorStyle e;
    e.prefix = "\r\n+CME ERROR:"; // GAP-01, field-evidence §1.1: no space after the colon
    e.suffix = "\r\n";
    e.not_at = e.unknown = e.bad_op = "58"; // at-syntax §5 (the 732's codes, GAP-01)
    e.parameter = "3";
    e.login = "73"; // G771 §2.6.3
    return e;
}

SerialRules g771_serial_rules() {
    SerialRules s;
    s.line_max = 4096;
    s.plus_window_ms = 3000;    // T5 3 s (G771 §3.4); T1 = one packing interval (G771 §3.4)
    s.login_timeout_ms = 30000; // G771 §2.6.3
    s.default_packing_ms = 50;
    s.default_packing_bytes = 1024;  // G771 §3.3 factory UARTFT / UARTFL
    s.uart_fields = {0, 3, 1, 2, 4}; // GAP-45: the 7S4 order baud,data,stop,parity,flow
    return s;
}

} // namespace

const Profile& g771() {
    static const Profile profile = [] {
        Profile p;
        p.name = "g771";
        p.model = "USR-G771";
        p.version = "V1.3.25.000000.0000"; // field-evidence §1.1: a real unit's AT+VER
        p.build = "2022-08-14 12:00:00";
        p.answers = g771_answers();
        p.errors = g771_errors();
        p.serial = g771_serial_rules();
        p.net.sockets = 4;        // G771 §2.2: sockets A-D
        p.net.cache_bytes = 4096; // GAP-29: G771 cache per socket
        p.modes = {{"NET", ModeKind::Net, "G771 §2.2"},
                   {"HTTPD", ModeKind::Httpd, "G771 §2.3"},
                   {"SMS", ModeKind::Sms, "G771 §2.4"},
                   {"MQTT", ModeKind::Mqtt, "G771 §2.5; GM5 §2.1"}};
        // SIM switch 30 s / 5 min (G771 §2.6.1)
        p.sim_switch = SimSwitchRules{30000, 300000, 1000};
        // MQTT reconnect 5 s (G771 §2.5.1 table 5); payload = the longest serial frame (AT+UARTFL
        // max, G771 §3.3); 16 temporary topics (not documented: a bound for memory, GAP-23)
        p.mqtt = MqttRules{kG771Topics, 5000, 4096, 16};
        // GAP-35: the 732's multi-command SMS (firmware 3.0+) assumed for the newer G771; a
        // single command without ';' still works. Spec sms.md §1.2: SMSFLT ignores a "+86"/"86"
        // in front of the number; a message longer than one SMS is sent as consecutive plain SMS
        // of 160 GSM / 70 UCS-2 characters with no concatenation header (G771 §2.4 and §3.4.3 say
        // nothing of long messages; modes-and-timing §4.4 splits SMS AT answers the same way).
        p.sms = SmsRules{true, "86", sms::LongMessage::Separate};
        p.commands = g771_commands();
        return p;
    }();
    return profile;
}

} // namespace dtu::profile
