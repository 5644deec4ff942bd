// USR-K7 sockets A and B and their connection rules (K7 §4.2, §4.4.8, §4.4.10, §5.3.5 #15-#17,
// #34-#36, #38, #42, #43).
#include "k7_rows.hpp"
#include "rows.hpp"

#include "dtu/at/text.hpp"

namespace dtu::profile::k7_rows {
using namespace rows;

namespace {

/// Spec k7 §7 RECOMMENDED (GAP-43): "When the time less than 60s, default is 0 which means that
/// disable this function" (K7 §4.4.8): 1-59 is stored as 0.
bool restart_time(at::Values& v) {
    const auto seconds = at::parse_decimal(v.front());
    if (seconds && *seconds < 60) v.front() = "0";
    return true;
}

/// A row that reads and writes another one under a spelling the manual also prints (spec k7 §3.1).
CommandSpec spelling(std::string_view name, std::string_view of, std::string_view source) {
    CommandSpec row = param(name, {}, {}, source, "another spelling of a row");
    row.alias_of = of;
    return row;
}

} // namespace

void sockets(fragments::Table& t) {
    // K7 §5.3.5 #15: protocol,IP,port. Spec k7 §4 RECOMMENDED (GAP-20): the port is the local one
    // for TCPS/UDPS, the remote one otherwise; socket B 0.0.0.0/0 = unused (GAP-18). K7 §1.2: port
    // 1 is a TCP server on port 23.
    t.push_back(param_per(
        "SOCK#", "AB",
        {choice("protocol", "TCPS|TCPC|UDPS|UDPC|HTPC"), text("address", 1, 100), number("port", 0, 65535)},
        "TCPS,192.168.0.201,23;TCPC,0.0.0.0,0", "K7 §5.3.5 #15, §1.2, §4.2; spec k7 §2",
        "socket: protocol,address,port"));
    // Spec k7 §3.1 (GAP-42): the un-lettered AT+SOCK is socket A.
    t.push_back(spelling("SOCK", "SOCKA", "spec k7 §3.1"));
    // K7 §4.1.4 connection states; spec k7 §12.1.
    CommandSpec link = action("SOCKLK#", kReadOnly, Behavior::LinkState,
                              "K7 §5.3.5 #16, §4.1.4; spec k7 §12.1", "socket connection state", "AB");
    // Connected first, then not connected; then a TCP server's LISTEN and CONNECTED(n) (spec k7
    // §12.1 RECOMMENDED; the device's link_state_word puts the client count for "(n)").
    link.params = {choice("status", "CONNECTED|IDLE|LISTEN|CONNECTED(n)")};
    t.push_back(link);
    // Spec k7 §3.1 (GAP-42): the un-lettered AT+SOCKLK is socket A (variant 0) too.
    CommandSpec link_a = link;
    link_a.name = "SOCKLK";
    link_a.variants = {};
    link_a.source = "spec k7 §3.1, §12.1";
    t.push_back(link_a);
    t.push_back(param("WEBSOCKPORT", {number("port", 1, 65535)}, "6432", "K7 §5.3.5 #17, §4.2.6",
                      "websocket (web to serial) port"));
    t.push_back(param("SOCKSL", {on_off()}, "OFF", "K7 §5.3.5 #34, §4.4.10", "short connection"));
    t.push_back(param("SHORTO", {number("time", 2, 255)}, "3", "K7 §5.3.5 #35, §4.4.10",
                      "short-connection time in s"));
    t.push_back(spelling("SHORTON", "SHORTO", "K7 §5.3.5 #35 (table spelling)"));
    ParamSpec rstim = number("time", 0, 65535);
    t.push_back(param("RSTIM", {rstim}, "3600", "K7 §5.3.5 #36, §4.4.8; spec k7 §7",
                      "no-data restart time in s", restart_time));
    t.push_back(param("SOCKTON", {number("time", 1, 99999)}, "86400", "K7 §5.3.5 #38; spec k7 §7",
                      "reconnect after this long without data from the server, in s"));
    t.push_back(spelling("SOCKTONN", "SOCKTON", "K7 §5.3.5 #38 (example spelling)"));
    t.push_back(param("NETPR", {on_off()}, "OFF", "K7 §5.3.5 #42, §4.4.5", "network printing (port 9100)"));
    t.push_back(param("UDPON", {on_off()}, "OFF", "K7 §5.3.5 #43; spec k7 §4",
                      "UDP: accept data from any remote address"));
}

} // namespace dtu::profile::k7_rows
