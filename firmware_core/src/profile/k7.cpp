// USR-K7 serial-to-Ethernet module (K7 user manual; spec k7-ethernet.md). Its AT set answers
// "+OK=<value>" / "+OK" / "+ERR=<code>" (K7 §5.3.3-§5.3.5), takes a port suffix "1" on every name
// (spec k7 §3.1), has no AT+S (every set is kept at once, applied at AT+Z) and chooses its work mode
// by socket A's protocol (K7 §4.2).
#include "k7.hpp"

#include "k7_rows.hpp"

namespace dtu::profile {

namespace {

AnswerStyle k7_answers() {
    AnswerStyle a;
    a.ok = "\r\n+OK\r\n";         // K7 §5.3.5: set/execute
    a.entm_reply = "\r\n+OK\r\n"; // K7 §5.3.5 #4
    a.plus_a = "a";               // K7 §5.3.1: "+++" -> "a"
    a.plus_ok = "+ok";            // K7 §5.3.1: 'a' -> "+ok"
    a.query_ok = false;           // K7 §5.3.5: "<CR><LF>+OK=<value><CR><LF>" and nothing after
    a.query_prefix = "+OK=";
    a.query_tail = "";
    a.user_defaults_saved = "\r\n+OK=saved\r\n"; // K7 §5.3.5 #44
    return a;
}

ErrorStyle k7_errors() {
    // K7 §5.3.3: -1 invalid format, -2 invalid command, -3 invalid operator, -4 invalid parameter,
    // -5 not allowed; framing as spec k7 §3.2 RECOMMENDED.
    ErrorStyle e;
    e.prefix = "\r\n+ERR=";
    e.suffix = "\r\n";
    e.not_at = "-1";
    e.unknown = "-2";
    e.bad_op = "-3";
    e.parameter = "-4";
    return e;
}

SerialRules k7_serial_rules() {
    SerialRules s;
    s.line_max = 1024;               // not documented; longer than any K7 command (HTPHEAD 180 bytes)
    s.plus_window_ms = 3000;         // K7 §5.3.1: T5 < 3 s
    s.plus_gap_ms = 300;             // K7 §5.3.1: T2, T3 < 300 ms; T1 > the packing interval (guard 0)
    s.default_packing_ms = 1;        // the 4-byte time at 115200 (0.35 ms) on the 1 ms timer
    s.default_packing_bytes = 1460;  // K7 §4.3.3
    s.uart_fields = {0, 3, 1, 2, 4}; // K7 §5.3.5 #13: baud,data_bits,stop_bit,parity,flowctrl
    s.packing = {"UARTTL", 0, 1, 4}; // K7 §4.3.3: time 0 = "4 bytes time"
    // No serial AT prefix in the K7 manual: the key names no row, so serial AT stays off.
    s.serial_at_key = "UATEN";
    return s;
}

NetRules k7_net_rules() {
    NetRules n;
    n.sockets = 2;         // K7 §4.1.4: sockets A and B
    n.cache_bytes = 2048;  // K7 §2.3: serial receive buffer 2 KB
    n.server_clients = 4;  // K7 §2.3 "default 4"; spec k7 §4 RECOMMENDED
    n.short_sockets = "A"; // K7 §4.4.10: TCP client only
    n.enabled_by_address = true;
    NetKeys& k = n.keys;
    k.short_connection = "SOCKSL"; // K7 §5.3.5 #34 (one serial port: no socket letter)
    k.short_idle = "SHORTO";       // K7 §5.3.5 #35
    k.retry = {};                  // not documented: retry_ms
    k.max_failures = {};
    k.cache = {};  // K7 §4.4.9: always buffered (UARTCLBUF clears it on connect)
    k.backup = {}; // no backup server
    k.backup_enabled = {};
    k.network_at = "NATEN"; // names no row: network AT over TCP is off (the K7's is UDP, spec k7 §10)
    k.heartbeat_direction = "HEARTTP";
    k.heartbeat_content = {}; // K7 §5.3.5 #29: always the HEARTDT bytes
    n.contents = {
        {"USR", PacketContent::Custom}, {"CLOUD", PacketContent::None}, {"OFF", PacketContent::None}};
    return n;
}

std::vector<at::CommandSpec> k7_commands() {
    fragments::Table t;
    k7_rows::general(t);
    k7_rows::network(t);
    k7_rows::serial(t);
    k7_rows::sockets(t);
    k7_rows::reg_heartbeat(t);
    k7_rows::httpd(t);
    k7_rows::modbus(t);
    return t;
}

} // namespace

const Profile& k7() {
    static const Profile profile = [] {
        Profile p;
        p.name = "k7";
        p.model = "USR-K7";
        p.version = "3016"; // K7 §5.2 item 1 status page
        p.build = "";
        p.answers = k7_answers();
        p.errors = k7_errors();
        p.serial = k7_serial_rules();
        p.net = k7_net_rules();
        p.httpd.timeout = {}; // no HTPTIM on the K7
        p.httpd.filter = "HTPCHD";
        p.persistence.save_command = false; // spec k7 §3.3: no AT+S, applied after AT+Z
        // K7 §4.2: socket A's protocol is the work mode.
        p.mode_selector = {"SOCKA", 0};
        p.modes = {{"TCPS", ModeKind::TcpServer, "K7 §4.2.2"},
                   {"TCPC", ModeKind::Net, "K7 §4.2.1"},
                   {"UDPS", ModeKind::UdpServer, "K7 §4.2.4"},
                   {"UDPC", ModeKind::Net, "K7 §4.2.3"},
                   {"HTPC", ModeKind::Httpd, "K7 §4.2.5"}};
        p.hal = HalParts{false, false, false, false}; // Ethernet only: no modem, SMS, MQTT, TLS
        p.lan.discovery = true;                       // K7 §5.1.2
        p.lan.network_at_udp = true;                  // K7 §5.3.1, spec k7 §10
        p.lan.web_page = true;                        // K7 §5.2, spec k7 §12
        p.lan.websocket_clients = 2;                  // K7 §2.2: two websockets
        p.mqtt.topic_entries = 0;
        p.port_suffix = "1"; // spec k7 §3.1 (GAP-42): serial port 1
        p.commands = k7_commands();
        return p;
    }();
    return profile;
}

} // namespace dtu::profile
