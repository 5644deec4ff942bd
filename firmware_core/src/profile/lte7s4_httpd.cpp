// USR-LTE-7S4 HTTPD client commands (7S4 §2.1.2, §3.1.7.60-§3.1.7.65).
#include "lte7s4_rows.hpp"
#include "rows.hpp"

namespace dtu::profile::lte7s4_rows {
using namespace rows;

void httpd(fragments::Table& t) {
    t.push_back(param("HTPTP", {choice("method", "GET|POST")}, "GET", "7S4 §3.1.7.60", "HTTP method"));
    // Escapes ([3F] = '?') are decoded when set and written again in the answer (7S4 §3.1.6.4).
    t.push_back(param("HTPURL", {text("url", 1, 100)}, "/1.php[3F]", "7S4 §3.1.7.61, §2.1.2", "HTTP URL"));
    t.push_back(param("HTPSV", {text("address", 1, 100), number("port", 1, 65535)}, "test.usr.cn,80",
                      "7S4 §3.1.7.62", "HTTP server"));
    t.push_back(param("HTPHD", {text("head", 0, 200)}, "Connection: close[0D][0A]", "7S4 §3.1.7.63",
                      "HTTP headers (end with [0D][0A])"));
    t.push_back(param("HTPTO", {number("time", 1, 600)}, "10", "7S4 §3.1.7.64", "HTTP timeout in s"));
    t.push_back(param("HTPFLT", {on_off()}, "ON", "7S4 §3.1.7.65", "filter the response header"));
}

} // namespace dtu::profile::lte7s4_rows
