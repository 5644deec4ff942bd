// Connection parameters and socket backup (G771 §2.2, §2.2.3, §4 "连接参数指令", "Socket 备份").
#include "fragments.hpp"
#include "rows.hpp"

namespace dtu::profile::fragments {
using namespace rows;

namespace {

std::vector<ParamSpec> server_params() {
    return {choice("protocol", "TCP|UDP"), text("address", 1, 100), number("port", 1, 65535)};
}

} // namespace

void g771_sockets(Table& t) {
    // APN: field evidence shows four fields "+APN:CMNET,,,0" (the fourth: authentication 0/1/2).
    t.push_back(param("APN",
                      {text("apn", 0, 50), text("user", 0, 50, Omit::Factory),
                       text("password", 0, 50, Omit::Factory), choice("auth", "0|1|2", Omit::Factory)},
                      "CMNET,,,0", "G771 §4 连接 1; field-evidence §5.0", "APN, user, password, auth"));
    t.push_back(param_per("SOCK#", "ABCD", server_params(), "TCP,socket.usr.cn,2317", "G771 §2.2, §1.6",
                          "socket server: protocol,address,port"));
    t.push_back(param_per("SOCK#EN", "ABCD", {on_off()}, "ON;OFF", "G771 §2.2, §1.6", "socket enable"));
    t.push_back(action("SOCK#LK", kReadOnly, Behavior::LinkState, "G771 §4 连接 10-13; field-evidence §5.0",
                       "socket link state", "ABCD"));
    t.push_back(param("SOCKASL", {choice("type", "SHORT|LONG")}, "LONG", "G771 §4 连接 14",
                      "socket A short/long connection"));
    // No syntax for KEEPALIVEx anywhere (GAP-10): stored and shown as typed.
    t.push_back(param_per("KEEPALIVE#", "ABCD", {text("parameters", 0, 128)}, "", "G771 §4 连接 15-18",
                          "TCP keepalive parameters (opaque)"));
    t.push_back(param("SHORTATM", {number("time", 2, 255)}, "10", "G771 §4 连接 19",
                      "socket A short-connection timeout in s"));
    t.push_back(
        param("SOCKRSNUM", {number("count", 1, 65535)}, "60", "G771 §4 连接 20", "maximum reconnects"));
    t.push_back(
        param("SOCKRSTIM", {number("time", 1, 65535)}, "5", "G771 §4 连接 21", "reconnect interval in s"));
    t.push_back(param_per("SOCK#BK", "ABCD", server_params(), "TCP,socket.usr.cn,2317", "G771 §2.2.3",
                          "backup server"));
    t.push_back(param_per("SOCK#BKEN", "ABCD", {on_off()}, "OFF", "G771 §2.2.3", "backup server enable"));
}

} // namespace dtu::profile::fragments
