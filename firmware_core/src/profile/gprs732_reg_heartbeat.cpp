// USR-GPRS232-732 registration and heartbeat packets (732 §3.1.7 table 13 rows 47-55, §2.3.1,
// §2.3.2).
#include "gprs732_rows.hpp"

namespace dtu::profile::fragments {
using namespace rows732;

void gprs732_reg_heartbeat(Table& t) {
    t.push_back(switch_row("REGEN", "OFF", "732 §3.1.7.47, §2.3.1", "registration packet"));
    // "UDC" is the UDC mode's registration (732 §2.1.4.1 step 7); the "=?" line stays as printed.
    t.push_back(tested(param("REGTP", {choice("type", "ICCID|IMEI|REGID|REGDT|UDC")}, "REGDT",
                             "732 §3.1.7.48, §2.1.4.1", "registration packet content"),
                       "<\"ICCID\",\"IMEI\",\"REGID\",\"REGDT\">"));
    // "最大 65536" as printed; no lower bound documented (spec devices.md §1 row 49).
    t.push_back(tested(
        param("REGID", {number("id", 0, 65536)}, "100", "732 §3.1.7.49", "registration ID (D2D)"), "<id>"));
    // Limits count hex characters (GAP-30); odd length is a parameter error (GAP-31).
    t.push_back(tested(param("REGDT", {quoted(hex("data", 2, 80))}, "7777772E7573722E636E", "732 §3.1.7.50",
                             "custom registration data (hex)"),
                       "<\"data\">"));
    t.push_back(tested(param("REGSND", {lower(choice("type", "LINK|DATA|LINK&DATA"))}, "LINK",
                             "732 §3.1.7.51", "registration send mode"),
                       "<\"link\",\"data\",\"link&data\">"));
    t.push_back(switch_row("HEARTEN", "ON", "732 §3.1.7.52, §2.3.2", "heartbeat"));
    t.push_back(tested(param("HEARTDT", {quoted(hex("data", 2, 40))}, "7777772E7573722E636E", "732 §3.1.7.53",
                             "heartbeat data (hex)"),
                       "<\"data\">"));
    t.push_back(
        tested(param("HEARTTP", {choice("type", "COM|NET")}, "NET", "732 §3.1.7.54", "heartbeat direction"),
               "<\"COM\",\"NET\">"));
    t.push_back(
        tested(param("HEARTTM", {number("time", 1, 65535)}, "30", "732 §3.1.7.55", "heartbeat interval in s"),
               "<time>"));
}

} // namespace dtu::profile::fragments
