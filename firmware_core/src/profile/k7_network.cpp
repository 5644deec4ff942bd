// USR-K7 Ethernet and web-server settings (K7 §4.1, §5.3.5 #7-#12, #32).
#include "k7_rows.hpp"
#include "rows.hpp"

namespace dtu::profile::k7_rows {
using namespace rows;

namespace {
ParamSpec ipv4(std::string_view name) { return text(name, 7, 15); }
} // namespace

void network(fragments::Table& t) {
    // K7 §5.3.5 #7: static or DHCP; with DHCP the address fields are kept but not used.
    t.push_back(param("WANN", {choice("mode", "static|DHCP"), ipv4("address"), ipv4("mask"), ipv4("gateway")},
                      "static,192.168.0.7,255.255.255.0,192.168.0.1", "K7 §5.3.5 #7, §1.2",
                      "IP mode, address, mask, gateway"));
    // K7 §4.1.2: with a static IP the DNS server is the gateway.
    t.push_back(param("DNS", {ipv4("address")}, "192.168.0.1", "K7 §5.3.5 #8, §4.1.2", "DNS server"));
    t.push_back(param("WEBU", {text("user", 1, 5), text("password", 1, 5)}, "admin,admin",
                      "K7 §5.3.5 #9, §1.2", "web page user name and password"));
    t.push_back(
        param("WEBPORT", {number("port", 1, 65535)}, "80", "K7 §5.3.5 #10, §4.1.4", "web server port"));
    t.push_back(param("SEARCH", {number("port", 1, 65535), text("keyword", 1, 20)}, "48899,www.usr.cn",
                      "K7 §5.3.5 #11", "LAN search port and keyword"));
    t.push_back(
        param("PLANG", {choice("language", "CN|EN")}, "EN", "K7 §5.3.5 #12, §5.2", "web page language"));
    // K7 §5.3.5 #32: set only; the custom MAC takes effect at the next start.
    CommandSpec user_mac =
        param("USERMAC", {hex("mac", 12, 12)}, "D8B04C000007", "K7 §5.3.5 #32, §4.4.7", "custom MAC address");
    user_mac.ops = at::kSet;
    t.push_back(user_mac);
}

} // namespace dtu::profile::k7_rows
