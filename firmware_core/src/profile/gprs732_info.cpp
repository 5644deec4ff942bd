// USR-GPRS232-732 information queries (732 §3.1.7 table 13 rows 17-21, 44-46, 67).
#include "gprs732_rows.hpp"

namespace dtu::profile::fragments {
using namespace rows732;

void gprs732_info(Table& t) {
    t.push_back(action("VER", kReadOnly, Behavior::Version, "732 §3.1.7.17", "firmware version"));
    t.push_back(action("SN", kReadOnly, Behavior::Sn, "732 §3.1.7.18", "serial number"));
    t.push_back(action("ICCID", kReadOnly, Behavior::Iccid, "732 §3.1.7.19", "SIM ICCID"));
    t.push_back(action("IMEI", kReadOnly, Behavior::Imei, "732 §3.1.7.20", "IMEI"));
    t.push_back(action("CNUM", kReadOnly, Behavior::PhoneNumber, "732 §3.1.7.21", "SIM phone number"));
    // "+CIP: " then one SOCKET:IP line per link (firmware 3.0.0+).
    t.push_back(action("CIP", kReadOnly, Behavior::SocketAddresses, "732 §3.1.7.44",
                       "local IP per connected socket"));
    // 732 §3.1.7.45: "=?" and a set with the host; the answer is OK (what is checked: see Behavior::Ping).
    CommandSpec ping{"PING",
                     {},
                     at::kTest | at::kSet,
                     Behavior::Ping,
                     {quoted(text("address", 1, 100))},
                     {},
                     "732 §3.1.7.45",
                     "reachability check of a host (firmware 3.0.0+)"};
    t.push_back(tested(ping, "<\"DNS/IP address\">"));
    t.push_back(spaced(action("CSQ", kReadOnly, Behavior::Signal, "732 §3.1.7.46", "signal quality")));
    t.push_back(
        spaced(action("LBS", kReadOnly, Behavior::Cell, "732 §3.1.7.67, §2.3.5", "serving cell LAC,CID")));
}

} // namespace dtu::profile::fragments
