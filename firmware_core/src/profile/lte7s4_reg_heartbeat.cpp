// USR-LTE-7S4 registration, cloud and heartbeat packets (7S4 §2.3.1-§2.3.3, §3.1.7.51-§3.1.7.59).
#include "lte7s4_rows.hpp"
#include "rows.hpp"

namespace dtu::profile::lte7s4_rows {
using namespace rows;

namespace {

/// A row that reads and writes another row (field -1: all of it; else that one field).
CommandSpec alias(std::string_view name, std::string_view of, int field, std::vector<ParamSpec> params,
                  std::string_view source, std::string_view summary) {
    CommandSpec c{name, {}, kReadWrite, Behavior::Stored, std::move(params), {}, source, summary};
    c.alias_of = of;
    c.alias_field = field;
    return c;
}

void registration(fragments::Table& t) {
    t.push_back(param("REGEN", {on_off()}, "OFF", "7S4 §3.1.7.51, §2.3.1 table 5", "registration packet"));
    t.push_back(param("REGTP", {choice("type", "ICCID|IMEI|D2DID|CLOUD|USER")}, "USER",
                      "7S4 §3.1.7.52, §2.3.1 table 5", "registration packet content"));
    // "最大长度 80 字节": counted in hex characters (GAP-30).
    t.push_back(param("REGDT", {hex("data", 2, 80)}, "7777772E7573722E636E", "7S4 §3.1.7.53, §2.3.1 table 5",
                      "user registration data (hex)"));
    t.push_back(param("REGSND", {choice("mode", "LINK|DATA")}, "LINK", "7S4 §3.1.7.54, §2.3.1 table 5",
                      "registration send mode"));
}

void cloud(fragments::Table& t) {
    // 7S4 §3.1.7.55 AT+CLOUD=id,password; §2.3.3 table 7 sets the same two with CLOUDID / CLOUDPA
    // (spec net-transparent §15: one storage).
    t.push_back(param("CLOUD", {text("id", 0, 20), text("password", 0, 8)}, ",", "7S4 §3.1.7.55",
                      "USR cloud device id and password"));
    t.push_back(param("CLOUDEN", {on_off()}, "OFF", "7S4 §2.3.3 table 7", "USR cloud"));
    t.push_back(
        alias("CLOUDID", "CLOUD", 0, {text("id", 0, 20)}, "7S4 §2.3.3 table 7", "USR cloud device id"));
    t.push_back(
        alias("CLOUDPA", "CLOUD", 1, {text("password", 0, 8)}, "7S4 §2.3.3 table 7", "USR cloud password"));
}

void heartbeat(fragments::Table& t) {
    t.push_back(param("HEARTEN", {on_off()}, "ON", "7S4 §3.1.7.56, §2.3.2 table 6", "heartbeat"));
    t.push_back(param("HEARTDT", {hex("data", 2, 80)}, "7777772E7573722E636E",
                      "7S4 §3.1.7.57, §2.3.2 table 6", "heartbeat data (hex)"));
    t.push_back(param("HEARTSND", {choice("direction", "COM|NET")}, "NET", "7S4 §3.1.7.58, §2.3.2 table 6",
                      "heartbeat direction"));
    // 7S4 §2.3.2's procedure writes AT+HEARTTP=NET: the older name, kept as an alias.
    t.push_back(
        alias("HEARTTP", "HEARTSND", -1, {}, "7S4 §2.3.2", "heartbeat direction (alias of HEARTSND)"));
    t.push_back(param("HEARTTM", {number("time", 1, 6000)}, "30", "7S4 §3.1.7.59, §2.3.2 table 6",
                      "heartbeat interval in s"));
}

} // namespace

void reg_heartbeat(fragments::Table& t) {
    registration(t);
    cloud(t);
    heartbeat(t);
}

} // namespace dtu::profile::lte7s4_rows
