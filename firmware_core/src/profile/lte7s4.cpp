// USR-LTE-7S4 LTE module: its command table (7S4 §3.1.7 table 14), answer and error style, and the
// rules its NET and HTTPD modes follow.
#include "lte7s4.hpp"

#include "fragments.hpp"
#include "lte7s4_rows.hpp"

namespace dtu::profile {

namespace {

std::vector<at::CommandSpec> lte7s4_commands() {
    fragments::Table t;
    lte7s4_rows::general(t);
    lte7s4_rows::serial(t);
    lte7s4_rows::sockets(t);
    lte7s4_rows::reg_heartbeat(t);
    lte7s4_rows::httpd(t);
    fragments::lte7s4_smsend(t);
    return t;
}

AnswerStyle answers() {
    AnswerStyle a;
    a.ok = "\r\nOK\r\n";         // 7S4 §3.1.6.3 table 13 type 0
    a.entm_reply = "\r\nOK\r\n"; // 7S4 §3.1.7.6; §3.1.2 "给设备发送“OK”" (GAP-13)
    a.plus_a = "a";              // 7S4 §3.1.2
    a.plus_ok = "+ok\r\n";       // field-evidence §1.1: the cellular units send "+ok" CR LF
    a.login_required = "";       // no security login on the 7S4
    // 7S4 §3.1.7.5-§3.1.7.65 print every query answer as "{CR}{LF}+CMD:value{CR}{LF}{CR}{LF}", with
    // no OK after it; the manual is followed (GAP-14 would add one).
    a.query_ok = false;
    // 7S4 §3.1.7.1: AT answers "{CR}{LF}OK{CR}{LF}{CR}{LF}": an answer line "OK", as a query prints.
    a.test_reply = "\r\nOK\r\n\r\n";
    // 7S4 §3.1.6.4: '=', ',' and '?' may not appear in a parameter; answers write them as [3D],
    // [2C], [3F] too, so what AT+X? shows can be typed back (the HTPURL default "/1.php[3F]").
    a.escaped_in_answers = ",=?";
    return a;
}

ErrorStyle errors() {
    // 7S4 §3.1.7 table 15 names the errors Err1..Err4. The wire form is not printed anywhere; the
    // token is sent as the manual writes it, framed like OK (table 13 type 0): "{CR}{LF}Err2{CR}{LF}".
    ErrorStyle e;
    e.prefix = "\r\n";
    e.suffix = "\r\n";
    e.not_at = "Err1";    // "不符合 AT 指令格式，不是 AT 开头"
    e.unknown = "Err2";   // "该 AT 指令未找到，不存在"
    e.bad_op = "Err3";    // "该 AT 指令不符合查询或设置的格式"
    e.parameter = "Err4"; // "参数范围或者数量错误"
    return e;
}

SerialRules serial() {
    SerialRules s;
    s.line_max = 1024;       // one packing length (UARTFL max, 7S4 §2.2.2.2)
    s.plus_window_ms = 3000; // T5 < 3 s (7S4 §3.1.2)
    s.plus_guard_ms = 0;     // T1 > the packing interval (UARTFT); T2, T3 < it (7S4 §3.1.2)
    s.default_packing_ms = 50;
    s.default_packing_bytes = 1024;
    s.at_separator = "";             // 7S4 §3.1.3: "usr.cnAT+VER"
    s.uart_fields = {0, 3, 1, 2, 4}; // baud,data,stop,parity,flow (7S4 §3.1.7.20)
    s.serial_at_key = "";            // 7S4 §3.1.3: serial AT needs no enable command
    s.strict_fields = true;          // 7S4 §3.1.6.4: a ',' in a value is written [2C]
    return s;
}

NetRules net() {
    NetRules n;
    n.sockets = 4;                    // 7S4 §2.1.1
    n.cache_bytes = 10 * 1024;        // 7S4 feature list: "每路连接支持 10KB 串口数据缓存"
    n.heartbeat_quiet_on_data = true; // 7S4 §2.3.2: "当网络没有数据的时间超过设置的心跳时间"
    NetKeys& k = n.keys;
    k.short_connection = "SOCK#SL"; // every socket (7S4 §2.1.1)
    n.short_sockets = "ABCD";
    k.short_idle = "SHOR#TO";
    k.retry = "SOCK#TO";
    k.max_failures = ""; // 7S4: reconnects forever (spec net-transparent §5.3)
    k.cache = "";        // always on (spec GAP-29)
    k.backup = "";
    k.backup_enabled = "";
    k.network_at = ""; // 7S4 §3.1.4: no NATEN
    k.heartbeat_direction = "HEARTSND";
    k.heartbeat_content = "";      // always HEARTDT
    n.socket_id_param = "SOCKIND"; // 7S4 §3.1.7.49
    // 7S4 §3.1.7.52 REGTP: ICCID, IMEI, D2DID (the SN: spec net-transparent §6, GAP-30), CLOUD
    // (its protocol is not documented: nothing is sent, GAP-08), USER (REGDT).
    n.contents = {{"ICCID", PacketContent::Iccid},
                  {"IMEI", PacketContent::Imei},
                  {"D2DID", PacketContent::Sn},
                  {"USER", PacketContent::Custom},
                  {"CLOUD", PacketContent::None}};
    return n;
}

HttpdRules httpd() {
    HttpdRules h;
    h.timeout = "HTPTO";
    h.filter = "HTPFLT";
    // 7S4 §2.1.2: "串口接收缓存为 1000字节，所以 7S4组包后的包大小最多 1000字节".
    h.request_max = 1000;
    return h;
}

} // namespace

const Profile& lte7s4() {
    static const Profile profile = [] {
        Profile p;
        p.name = "lte7s4";
        p.model = "USR-LTE-7S4";
        p.version = "V1.0.5"; // the manual's own revision (7S4 §6); AT+VER's value is not printed
        p.build = "";
        p.answers = answers();
        p.errors = errors();
        p.serial = serial();
        p.net = net();
        p.httpd = httpd();
        p.persistence.save_command = false; // no AT+S (spec modes-and-timing §6.2, GAP-15)
        p.modes = {{"NET", ModeKind::Net, "7S4 §2.1.1"}, {"HTTPD", ModeKind::Httpd, "7S4 §2.1.2"}};
        p.hal = HalParts{true, true, false, false}; // modem and SMS (SMS AT); no MQTT, no TLS
        p.commands = lte7s4_commands();
        return p;
    }();
    return profile;
}

} // namespace dtu::profile
