// USR-GPRS232-732 network commands (732 §3.1.7 table 13 rows 24-43).
#include "gprs732_rows.hpp"

namespace dtu::profile::fragments {
using namespace rows732;

namespace {

constexpr std::string_view kSockets = "ABCD";

CommandSpec server_row() {
    CommandSpec row =
        param_per("SOCK#", kSockets,
                  {choice("protocol", "TCP|UDP"), quoted(text("address", 1, 100)), number("port", 1, 65535)},
                  "TCP,test.usr.cn,2317", "732 §3.1.7.25-28, §2.1.1", "socket server: protocol,address,port");
    return tested(spaced(row), "<protocol>,<\"address\">,<port>");
}

} // namespace

void gprs732_sockets(Table& t) {
    // 732 §3.1.7.24: `+APN: "code", "name", "pass"` — quoted, a blank after each comma; user and
    // password "没有不填" (left empty when there are none), so they may be left out.
    CommandSpec apn = spaced(param("APN",
                                   {quoted(text("code", 1, 50)), quoted(text("name", 0, 50, Omit::Factory)),
                                    quoted(text("pass", 0, 50, Omit::Factory))},
                                   "CMNET,,", "732 §3.1.7.24", "APN, user, password"));
    apn.answer_separator = ", ";
    t.push_back(tested(apn, "<\"code\">,<\"name\">,<\"pass\">"));
    t.push_back(server_row());
    t.push_back(
        tested(param_per("SOCK#EN", kSockets, {switch_732()}, "ON;OFF", "732 §3.1.7.29-32", "socket enable"),
               "<\"on\",\"off\">"));
    // Short connections on every socket (the G771 has socket A only).
    t.push_back(tested(param_per("SOCK#SL", kSockets, {lower(choice("type", "SHORT|LONG"))}, "LONG",
                                 "732 §3.1.7.33-36, §2.1.1", "short/long TCP connection"),
                       "<\"short\",\"long\">"));
    t.push_back(
        action("SOCK#LK", kReadOnly, Behavior::LinkState, "732 §3.1.7.37-40", "socket link state", kSockets));
    // The 732 meaning (GAP-28): restart the module when a long connection has been down this long.
    // No lower bound printed; 1 s (spec devices.md §1 rows 41-42).
    t.push_back(tested(param("SOCKRSTIM", {number("time", 1, 65535)}, "60", "732 §3.1.7.41",
                             "restart after a long connection failed for this many s"),
                       "<time>"));
    t.push_back(tested(param("SHORTIM", {number("time", 1, 65535)}, "10", "732 §3.1.7.42",
                             "restart after a short connection failed for this many s"),
                       "<time>"));
    t.push_back(
        switch_row("SOCKIDEN", "OFF", "732 §3.1.7.43; spec net-transparent §10", "socket-ID indication"));
}

} // namespace dtu::profile::fragments
