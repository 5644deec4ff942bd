// HTTPD client and SMS parameters (G771 §2.3, §2.4).
#include "fragments.hpp"
#include "rows.hpp"

namespace dtu::profile::fragments {
using namespace rows;

void g771_httpd(Table& t) {
    t.push_back(param("HTPTP", {choice("method", "GET|POST")}, "GET", "G771 §2.3", "HTTP method"));
    t.push_back(param("HTPURL", {text("url", 1, 100)}, "/1.php?", "G771 §2.3", "HTTP URL"));
    t.push_back(
        param("HTPHD", {text("head", 0, 200)}, "Accept:text/html[0D][0A]", "G771 §2.3", "HTTP headers"));
    t.push_back(param("HTPSV", {text("address", 1, 100), number("port", 1, 65535)}, "socket.usr.cn,80",
                      "G771 §2.3", "HTTP server"));
    t.push_back(param("HTPPK", {on_off()}, "ON", "G771 §2.3", "filter the response header"));
    t.push_back(param("HTPTIM", {number("time", 1, 65535)}, "10", "G771 §2.3", "HTTP timeout in s"));
}

void g771_sms(Table& t) {
    t.push_back(param("DSTNUM", {phone("number", 1, 20)}, "1008610010", "G771 §2.4", "SMS target number"));
    t.push_back(param("SMSFLT", {on_off()}, "OFF", "G771 §4 短信 2", "drop SMS from other numbers"));
}

} // namespace dtu::profile::fragments
