// Registration and heartbeat packets (G771 §2.2.1, §2.2.2).
#include "fragments.hpp"
#include "rows.hpp"

namespace dtu::profile::fragments {
using namespace rows;

void g771_reg_heartbeat(Table& t) {
    t.push_back(param("REGEN", {on_off()}, "OFF", "G771 §2.2.1", "registration packet"));
    t.push_back(param("REGTP", {choice("type", "ICCID|IMEI|SN|USER|CLOUD")}, "USER", "G771 §2.2.1",
                      "registration packet content"));
    // Limits count hex characters (GAP-30); odd length is a parameter error (GAP-31).
    t.push_back(param("REGDT", {hex("data", 2, 80)}, "7777772E7573722E636E", "G771 §2.2.1",
                      "user registration data (hex)"));
    t.push_back(param("REGSND", {choice("mode", "LINK|DATA|LINK&DATA")}, "LINK", "G771 §2.2.1; GAP-31",
                      "registration send mode"));
    t.push_back(param("CLOUD", {phone("id", 0, 20), text("password", 0, 8)}, ",", "G771 §2.2.1",
                      "USR cloud device id and password"));
    t.push_back(param("HEARTEN", {on_off()}, "ON", "G771 §2.2.2, §1.6", "heartbeat"));
    t.push_back(
        param("HEARTTP", {choice("direction", "NET|COM")}, "NET", "G771 §2.2.2", "heartbeat direction"));
    t.push_back(param("HEARTDT", {hex("data", 2, 80)}, "7777772E7573722E636E", "G771 §2.2.2, §1.6",
                      "heartbeat data (hex)"));
    t.push_back(param("HEARTTM", {number("time", 1, 65535)}, "30", "G771 §2.2.2", "heartbeat interval in s"));
    t.push_back(param("HEARTSORT", {choice("type", "ICCID|IMEI|SN|USER|LBS")}, "USER", "G771 §2.2.2",
                      "heartbeat content"));
    t.push_back(
        param("HEART", {text("parameters", 0, 128)}, "", "G771 §4 心跳 6", "heartbeat parameters (opaque)"));
}

} // namespace dtu::profile::fragments
