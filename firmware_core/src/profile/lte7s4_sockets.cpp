// USR-LTE-7S4 network commands (7S4 §2.1.1, §3.1.7.24-§3.1.7.50).
#include "lte7s4_rows.hpp"
#include "rows.hpp"

namespace dtu::profile::lte7s4_rows {
using namespace rows;

void sockets(fragments::Table& t) {
    // 7S4 §3.1.7.24: three fields; a missing user/password is empty (spec device-info §9).
    t.push_back(param(
        "APN",
        {text("apn", 0, 50), text("user", 0, 50, Omit::Factory), text("password", 0, 50, Omit::Factory)},
        "CMNET,,", "7S4 §3.1.7.24", "APN, user, password"));
    // Factory server: the manual's own §2.1.1 example (spec GAP-18).
    t.push_back(param_per("SOCK#", "ABCD", server_params(), "TCP,test.usr.cn,2317",
                          "7S4 §3.1.7.25-28, §2.1.1", "socket server: protocol,address,port"));
    t.push_back(param_per("SOCK#EN", "ABCD", {on_off()}, "ON;OFF;OFF;OFF", "7S4 §3.1.7.29-32; spec GAP-18",
                          "socket enable"));
    t.push_back(param_per("SOCK#SL", "ABCD", {choice("type", "SHORT|LONG")}, "LONG", "7S4 §3.1.7.33-36",
                          "short/long connection"));
    CommandSpec link =
        action("SOCK#LK", kReadOnly, Behavior::LinkState, "7S4 §3.1.7.37-40", "socket link state", "ABCD");
    link.params = {choice("status", "ON|OFF")}; // "ON：已连接", "OFF：未连接" (connected first)
    t.push_back(link);
    t.push_back(param_per("SOCK#TO", "ABCD", {number("time", 1, 100)}, "10", "7S4 §3.1.7.41-44; spec GAP-28",
                          "reconnect time after a disconnect in s"));
    // 7S4 §3.1.7.45-48 print the SOCKxTO syntax under SHORxTO by mistake (spec net-transparent §5.2).
    t.push_back(param_per("SHOR#TO", "ABCD", {number("time", 1, 100)}, "10", "7S4 §3.1.7.45-48",
                          "short-connection idle timeout in s"));
    t.push_back(param("SOCKIND", {on_off()}, "OFF", "7S4 §3.1.7.49", "show the socket data comes from"));
    t.push_back(param("SDPEN", {on_off()}, "OFF", "7S4 §3.1.7.50, §2.3.4", "socket distribution protocol"));
}

} // namespace dtu::profile::lte7s4_rows
