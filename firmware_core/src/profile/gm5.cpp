// WH-GM5 Cat-1 MQTT DTU (GM5 §1-§3, spec devices.md §4). Its seed is the MQTT AT-command manual
// only (GAP-49): the MQTT, SSL and Aliyun rows follow it, with the GM5 column of spec mqtt.md §10;
// everything else (NET and HTTPD modes, identity, serial AT, information commands) is its Cat-1
// sibling the G771's, from the same fragments and rules.
#include "gm5.hpp"

#include "fragments.hpp"
#include "g771.hpp"

namespace dtu::profile {

namespace {

/// GM5 §2.1: "+WKMOD:<CMD,NET,HTTPD,MQTT(NOR,ALI)>"; no SMS mode.
constexpr fragments::GeneralValues kGeneral{"CMD|NET|HTTPD|MQTT", "<CMD,NET,HTTPD,MQTT(NOR,ALI)>", "GM5 §2.1",
                                            "WH-GM5 V1.0.0"};

/// Spec mqtt.md §10, GM5 column: the §2.x query examples.
constexpr fragments::MqttValues kMqtt{
    10,                    // GM5 §2.3-§2.4 "<1~10>", §3.1.1 tables 2-4
    "mqtt.usr.cn,1883",    // GM5 §2.8
    "usr.cn",              // GM5 §2.10
    "usr.cn",              // GM5 §2.11
    "{SN}",                // GM5 §2.9, §3.1.2: the client id is the device SN (INFERRED, spec §3.2)
    "3",                   // GM5 §2.7 query example "+MQTTVER:3" (INFERRED, spec §3.4)
    "60,0",                // GM5 §2.2
    "0,/will,0,0,offline", // GM5 §2.5
    "",                    // GM5 §2.13: "+ALIREGION:" (empty)
    false,                 // no AT+SSLVER in GM5 §2 table 1
    true,                  // "+SSLEN: OFF", "+SSLAUTH: NONE", "+SSLCFG: OFF,OFF,OFF,OFF"
    false,                 // GM5 §2.19's own example: "AT+SSLCRT=0,ABCD" -> OK
    "HTTPSCRT"};           // GM5 §2.19 as printed

std::vector<at::CommandSpec> gm5_commands() {
    fragments::Table t;
    fragments::g771_general(t, kGeneral);
    fragments::g771_info(t);
    fragments::g771_serial(t);
    fragments::g771_sockets(t);
    fragments::g771_reg_heartbeat(t);
    fragments::g771_httpd(t);
    fragments::cellular_mqtt(t, kMqtt);
    // Not in the GM5 seed (spec devices.md §4): security login, SMS mode (DSTNUM, SMSFLT), NTP and
    // the SIM switch.
    return t;
}

} // namespace

const Profile& gm5() {
    static const Profile profile = [] {
        Profile p = g771(); // answers, errors, serial, NET and HTTPD rules: the G771's (GAP-49)
        p.name = "gm5";
        p.model = "WH-GM5";
        p.version = "V1.0.0"; // not printed in the GM5 seed
        p.build = "";
        p.serial.login_timeout_ms = 0; // no security login
        p.answers.login_required = "";
        p.errors.login = "";
        p.modes = {{"CMD", ModeKind::Command, "GM5 §2.1"},
                   {"NET", ModeKind::Net, "GM5 §2.1; G771 §2.2"},
                   {"HTTPD", ModeKind::Httpd, "GM5 §2.1; G771 §2.3"},
                   {"MQTT", ModeKind::Mqtt, "GM5 §2.1, §3.1, §3.2"}};
        p.sim_switch = SimSwitchRules{}; // one SIM slot: no AT+SIMSWITCH in the GM5 seed
        // Reconnect 5 s (spec mqtt.md §3.8, GM5 silent: the G771's); 10 topic entries.
        p.mqtt.topic_entries = kMqtt.topic_entries;
        p.commands = gm5_commands();
        return p;
    }();
    return profile;
}

} // namespace dtu::profile
