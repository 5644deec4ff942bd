// USR-K7 registration, USR-cloud, heartbeat, HTTPD and Modbus commands (K7 §4.4.1-§4.4.4, §4.2.5,
// §5.3.5 #18-#29, #39-#41).
#include "k7_rows.hpp"
#include "rows.hpp"

namespace dtu::profile::k7_rows {
using namespace rows;

void reg_heartbeat(fragments::Table& t) {
    // Spec k7 §2 RECOMMENDED (GAP-43): registration OFF, First; heartbeat off, NET, "www.usr.cn".
    t.push_back(param("REGEN", {choice("type", "USR|MAC|CLOUD|OFF")}, "OFF", "K7 §5.3.5 #18, §4.4.3",
                      "registration packet type"));
    t.push_back(param("REGTCP", {choice("when", "First|Every|ALL")}, "First", "K7 §5.3.5 #19, §4.4.3",
                      "when the registration packet is sent (TCP client)"));
    t.push_back(param("REGUSR", {text("data", 0, 40)}, "", "K7 §5.3.5 #20", "custom registration data"));
    t.push_back(param("REGCLOUD", {text("id", 0, 20), text("code", 0, 8)}, ",", "K7 §5.3.5 #21, §4.4.4",
                      "USR-cloud device ID and communication code"));
    t.push_back(param("HEARTEN", {on_off()}, "OFF", "K7 §5.3.5 #26, §4.4.1", "heartbeat"));
    t.push_back(param("HEARTTP", {choice("direction", "NET|COM")}, "NET", "K7 §5.3.5 #27, §4.4.1",
                      "heartbeat to the network or the serial port"));
    t.push_back(
        param("HEARTTM", {number("time", 1, 65535)}, "30", "K7 §5.3.5 #28", "heartbeat interval in s"));
    t.push_back(param("HEARTDT", {text("data", 1, 40)}, "www.usr.cn", "K7 §5.3.5 #29", "heartbeat data"));
}

void httpd(fragments::Table& t) {
    // Spec k7 §2 RECOMMENDED: GET, "/1.php", "Accept:text/html<<CRLF>>", filter ON. The header is
    // kept as written; "<<CRLF>>" stands for CR LF (K7 §5.3.5 #24).
    t.push_back(
        param("HTPTP", {choice("method", "GET|POST")}, "GET", "K7 §5.3.5 #22, §4.2.5", "HTTP method"));
    t.push_back(param("HTPURL", {text("url", 1, 100)}, "/1.php", "K7 §5.3.5 #23", "HTTP URL"));
    t.push_back(param("HTPHEAD", {text("header", 1, 180)}, "Accept:text/html<<CRLF>>", "K7 §5.3.5 #24",
                      "HTTP request header"));
    t.push_back(param("HTPCHD", {on_off()}, "ON", "K7 §5.3.5 #25", "filter the response header"));
}

void modbus(fragments::Table& t) {
    t.push_back(
        param("MODTCP", {on_off()}, "OFF", "K7 §5.3.5 #39, §4.4.6; spec k7 §2", "Modbus TCP gateway"));
    t.push_back(param("MODPOLL", {on_off()}, "OFF", "K7 §5.3.5 #40; spec k7 §2", "Modbus polling"));
    t.push_back(param("MODTO", {number("time", 200, 9999)}, "200", "K7 §5.3.5 #41", "Modbus polling time"));
}

} // namespace dtu::profile::k7_rows
