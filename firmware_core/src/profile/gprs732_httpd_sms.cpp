// USR-GPRS232-732 HTTPD client and SMS parameters (732 §3.1.7 table 13 rows 56-62, §2.1.2, §2.1.3).
// AT+SMSEND (row 63) is its own feature's row.
#include "gprs732_rows.hpp"

namespace dtu::profile::fragments {
using namespace rows732;

void gprs732_httpd_sms(Table& t) {
    t.push_back(tested(param("HTPTP", {choice("type", "GET|POST")}, "GET", "732 §3.1.7.56", "HTTP method"),
                       "<\"GET\",\"POST\">"));
    t.push_back(tested(param("HTPURL", {quoted(text("url", 1, 100))}, "/1.php?", "732 §3.1.7.57", "HTTP URL"),
                       "<\"URL\">"));
    t.push_back(tested(spaced(param("HTPSV", {quoted(text("address", 1, 100)), number("port", 1, 65535)},
                                    "test.usr.cn,80", "732 §3.1.7.58", "HTTP server")),
                       "<\"address\">,<port>"));
    t.push_back(tested(spaced(param("HTPHD", {quoted(text("head", 0, 200))}, "Accept:text/html[0D][0A]",
                                    "732 §3.1.7.59, §2.1.2", "HTTP headers")),
                       "<\"head\">"));
    t.push_back(switch_row("HTPPK", "ON", "732 §3.1.7.60", "filter the response header"));
    t.push_back(
        tested(param("HTPTIM", {number("time", 1, 65535)}, "10", "732 §3.1.7.61", "HTTP timeout in s"),
               "<\"time\">"));
    t.push_back(tested(spaced(param("DSTNUM", {quoted(phone("number", 1, 20))}, "1008610010", "732 §3.1.7.62",
                                    "SMS target number")),
                       "<\"number\">"));
}

} // namespace dtu::profile::fragments
