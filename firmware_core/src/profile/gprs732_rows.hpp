#pragma once
// Shorthand for the USR-GPRS232-732's command table (732 §3.1.7): its own answer forms, private to
// the gprs732_*.cpp row files.
#include <utility>

#include "rows.hpp"

namespace dtu::profile::rows732 {

using Table = std::vector<at::CommandSpec>;
using namespace rows;

/// An enumeration the 732 prints in lower case: "on"/"off", "long"/"short", "link" (732 §3.1.7.3,
/// §3.1.7.33, §3.1.7.51; spec at-syntax §2). Stored in the canonical upper-case spelling the device
/// code reads, shown as the manual prints it.
inline ParamSpec lower(ParamSpec p) {
    p.lower = true;
    return p;
}
/// "on"/"off", as every 732 switch is written.
inline ParamSpec switch_732() { return lower(on_off()); }
/// A string the query answer shows in double quotes (732: `+CMDPW: "usr.cn"`, spec at-syntax §4.2).
inline ParamSpec quoted(ParamSpec p) {
    p.quoted = true;
    return p;
}
/// The row's query answer has a blank after the colon ("+SOCKA: TCP,...", spec at-syntax §4.2).
inline CommandSpec spaced(CommandSpec row) {
    row.answer_space = true;
    return row;
}
/// The row's "=?" answer exactly as the manual prints it after "+CMD:" (typographic quotes made
/// ASCII, the typesetting blank after "+" dropped: spec at-syntax §4.2, GAP-02).
inline CommandSpec tested(CommandSpec row, std::string_view form) {
    row.test_form = form;
    return row;
}
/// A stored on/off row with its "=?" line <"on","off">.
inline CommandSpec switch_row(std::string_view name, std::string_view factory, std::string_view source,
                              std::string_view summary) {
    return tested(param(name, {switch_732()}, factory, source, summary), "<\"on\",\"off\">");
}

} // namespace dtu::profile::rows732

namespace dtu::profile::fragments {

// The 732's own rows (732 §3.1.7 table 13), by feature.
void gprs732_general(rows732::Table& t); ///< H, Z, E, ENTM, WKMOD, CALEN, ..., S, RELD, CLEAR, CFGTF
void gprs732_info(rows732::Table& t);    ///< VER, SN, ICCID, IMEI, CNUM, CIP, PING, CSQ, LBS
void gprs732_serial(rows732::Table& t);  ///< UART, RFCEN
void gprs732_sockets(
    rows732::Table& t); ///< APN, SOCKx, SOCKxEN, SOCKxSL, SOCKxLK, SOCKRSTIM, SHORTIM, SOCKIDEN
void gprs732_reg_heartbeat(rows732::Table& t); ///< REGxx, HEARTxx
void gprs732_httpd_sms(rows732::Table& t);     ///< HTPxx, DSTNUM
void gprs732_smsend(rows732::Table& t);        ///< SMSEND
void gprs732_cloud_sim(rows732::Table& t);     ///< CLOUDEN, CLOUDID, CLOUDPA, UCPIN

} // namespace dtu::profile::fragments
