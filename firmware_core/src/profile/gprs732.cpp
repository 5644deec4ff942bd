// USR-GPRS232-732 GPRS DTU (firmware V3.0.0): its command table (732 §3.1.7 table 13), answer and
// error style, timings and work modes. Differences from the G771 are in this file and the
// gprs732_*.cpp row files only.
#include "gprs732.hpp"

#include "gprs732_rows.hpp"

namespace dtu::profile {

namespace {

std::vector<at::CommandSpec> gprs732_commands() {
    rows732::Table t;
    fragments::gprs732_general(t);
    fragments::gprs732_info(t);
    fragments::gprs732_serial(t);
    fragments::gprs732_sockets(t);
    fragments::gprs732_reg_heartbeat(t);
    fragments::gprs732_httpd_sms(t);
    fragments::gprs732_smsend(t);
    fragments::gprs732_cloud_sim(t);
    return t;
}

} // namespace

const Profile& gprs732() {
    static const Profile profile = [] {
        Profile p;
        p.name = "gprs732";
        p.model = "USR-GPRS232-732";
        p.version = "V3.0.0"; // spec devices.md §1 row 17 (R): UDC, CIP and PING need V3.0.0+
        p.build = "";         // the 732 has no AT+BUILD
        p.answers.ok = "\r\nOK\r\n";
        p.answers.entm_reply = "\r\nOK\r\n"; // 732 §3.1.7.4 (GAP-13)
        p.answers.plus_a = "a";
        p.answers.plus_ok = "+ok\r\n";   // spec modes-and-timing §2.3: field evidence, "+ok" CR LF
        p.answers.link_up = "connected"; // 732 §3.1.7.37
        p.answers.link_down = "disconnected";
        // 732 §3.1.6.4 table 12: 58 invalid command or format, 3 parameter type or missing
        // parameter; the line layout is the G771's documented "+CME ERROR:" (GAP-01).
        p.errors = ErrorStyle{"\r\n+CME ERROR:", "\r\n", "58", "58", "58", "3"};
        // The longest line: AT+HTPHD with 200 header bytes written as [HH] escapes (not documented).
        p.serial.line_max = 1024;
        p.serial.plus_window_ms = 3000;         // 732 §3.1.2 T5
        p.serial.plus_guard_ms = 200;           // T1 > 200 ms
        p.serial.plus_gap_ms = 50;              // T2, T3 < 50 ms
        p.serial.fixed_packing_ms = 200;        // 732 §2.2.2
        p.serial.default_packing_bytes = 1024;  // no length documented (spec net-transparent §3.2)
        p.serial.at_separator = "#";            // 732 §3.1.3: "usr.cn#AT+VER" (GAP-11)
        p.serial.uart_fields = {0, 1, 2, 3, 4}; // baud,parity,data,stop,flow (732 §3.1.7.22)
        p.net.sockets = 4;                      // 732 §2.1.1
        p.net.cache_bytes = 4096;               // 732 feature list: 4 KB per connection
        p.net.heartbeat_quiet_on_data = true;   // 732 §2.3.2: only when neither side had data
        p.net.socket_id_param = "SOCKIDEN";     // 732 §3.1.7.43
        // The 732's own NET parameters (spec net-transparent §5.3, 732 row): short connections on
        // every socket (SOCKxSL); retries every 5 s; SOCKRSTIM / SHORTIM are the time a long /
        // short connection may stay down before the module restarts; the short connection's idle
        // time is not documented (10 s); no backup servers, no heartbeat content row.
        p.net.keys.short_connection = "SOCK#SL";
        p.net.keys.short_idle = "";
        p.net.keys.retry = "";
        p.net.keys.max_failures = "";
        p.net.keys.down_restart = "SOCKRSTIM";
        p.net.keys.short_down_restart = "SHORTIM";
        p.net.keys.backup = "";
        p.net.keys.backup_enabled = "";
        p.net.keys.heartbeat_content = "";
        p.net.short_sockets = "ABCD";
        p.net.short_idle_s = 10;
        p.net.retry_ms = 5000;
        // 732 §3.1.7.48: REGTP ICCID, IMEI, REGID (decimal text, GAP-30), REGDT (custom hex data);
        // "UDC" is UDC mode's login (udc_framing.hpp), nothing in NET mode.
        p.net.contents = {{"ICCID", PacketContent::Iccid},
                          {"IMEI", PacketContent::Imei},
                          {"REGID", PacketContent::RegId},
                          {"REGDT", PacketContent::Custom},
                          {"UDC", PacketContent::None}};
        p.persistence.save_command = true; // AT+S (732 §3.1.7.13)
        p.modes = {
            {"NET", ModeKind::Net, "732 §2.1.1"}, {"HTTPD", ModeKind::Httpd, "732 §2.1.2"},
            {"SMS", ModeKind::Sms, "732 §2.1.3"}, {"CMD", ModeKind::Command, "732 §3.1.7.5"},
            {"UDC", ModeKind::Udc, "732 §2.1.4"},
        };
        p.hal.mqtt = false; // no MQTT and no TLS on the 732
        p.hal.tls = false;
        // 732 §3.1.5 说明: firmware 3.0+ takes several commands in one SMS. A longer message leaves as
        // consecutive plain SMS, as on the G771 (spec sms.md §1.2).
        p.sms = SmsRules{true, "", sms::LongMessage::Separate};
        // 732 §3.1.7.68: the PIN of AT+UCPIN is given to a locked card at start; a card that stays
        // locked means no network and a restart "5 分钟后".
        p.sim_pin = SimPinRules{"UCPIN", 5 * 60 * 1000};
        p.commands = gprs732_commands();
        return p;
    }();
    return profile;
}

} // namespace dtu::profile
