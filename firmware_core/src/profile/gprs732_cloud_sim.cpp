// USR-GPRS232-732 USR cloud parameters and the SIM PIN (732 §3.1.7 table 13 rows 64-66, 68).
// The cloud protocol is not documented beyond its success bytes E3 8E 38 00 01 06 F9 (732 §2.3.3,
// GAP-08): the parameters are stored and reported only.
#include "gprs732_rows.hpp"

namespace dtu::profile::fragments {
using namespace rows732;

namespace {

bool digits(std::string_view s) {
    for (const char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

/// CLOUDID: empty (the factory value) or the cloud's 20-digit device ID (732 §3.1.7.65).
bool check_cloud_id(at::Values& v) { return v[0].empty() || (v[0].size() == 20 && digits(v[0])); }
/// CLOUDPA: empty or the 8-character password (732 §3.1.7.66; the example "0000test" has letters).
bool check_cloud_password(at::Values& v) { return v[0].empty() || v[0].size() == 8; }
/// UCPIN: "4 到 8 位数字字符", or empty = no PIN stored (the factory state, 732 §3.1.7.68).
bool check_pin(at::Values& v) { return v[0].empty() || (v[0].size() >= 4 && digits(v[0])); }

} // namespace

void gprs732_cloud_sim(Table& t) {
    t.push_back(tested(spaced(param("CLOUDEN", {switch_732()}, "OFF", "732 §3.1.7.64, §2.3.3", "USR cloud")),
                       "<\"on\",\"off\">"));
    t.push_back(tested(spaced(param("CLOUDID", {quoted(text("id", 0, 20))}, "", "732 §3.1.7.65",
                                    "USR cloud device ID (20 digits)", check_cloud_id)),
                       "<\"id\">"));
    t.push_back(tested(spaced(param("CLOUDPA", {quoted(text("pass", 0, 8))}, "", "732 §3.1.7.66",
                                    "USR cloud password (8 characters)", check_cloud_password)),
                       "<\"pass\">"));
    // Query and set only: 732 §3.1.7.68 prints no "=?" line. Printed without the blank line before
    // OK; answered in the general form like every other query (spec at-syntax §4.2 leaves the choice).
    CommandSpec pin = param("UCPIN", {quoted(text("pin", 0, 8))}, "", "732 §3.1.7.68",
                            "SIM PIN kept by the module", check_pin);
    pin.ops = at::kExec | at::kQuery | at::kSet;
    t.push_back(pin);
}

} // namespace dtu::profile::fragments
