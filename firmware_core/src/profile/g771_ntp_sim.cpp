// NTP and SIM card mode (G771 §2.6.4, §2.6.1).
#include <string>

#include "fragments.hpp"
#include "rows.hpp"

namespace dtu::profile::fragments {
using namespace rows;

namespace {

/// SIMSWITCH: "0,0"/"0,1" lock a card, "1"/"2" take no second field (G771 §2.6.1, GAP-37).
bool check_simswitch(at::Values& v) { return (v[0] == "0") != v[1].empty(); }

/// G771 §2.6.4 "最多支持设置 4 个 NTP 服务器": the row has four server fields, and the last takes the
/// rest of the line, so a comma left in it is a fifth server: a parameter error, nothing changes.
bool at_most_four_servers(at::Values& v) { return v.back().find(',') == std::string::npos; }

} // namespace

void g771_ntp_sim(Table& t) {
    t.push_back(param("NTPSVR",
                      {text("server", 1, 64), text("server", 1, 64, Omit::Empty),
                       text("server", 1, 64, Omit::Empty), text("server", 1, 64, Omit::Empty)},
                      "cn.ntp.org.cn,us.ntp.org.cn", "G771 §2.6.4; GAP-38", "NTP servers (up to 4)",
                      at_most_four_servers));
    t.push_back(param("NTPEN", {on_off()}, "OFF", "G771 §2.6.4", "NTP time update"));
    t.push_back(
        param("NTPTM", {number("period", 1, 65535)}, "60", "G771 §2.6.4; GAP-38", "NTP period in minutes"));
    t.push_back(param("SIMSWITCH", {choice("mode", "0|1|2"), choice("card", "0|1", Omit::Empty)}, "1",
                      "G771 §2.6.1", "SIM mode", check_simswitch));
}

} // namespace dtu::profile::fragments
