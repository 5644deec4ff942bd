#pragma once
// The USR-LTE-7S4's command table, grouped by feature (7S4 §3.1.7 table 14); lte7s4.cpp joins them.
#include "fragments.hpp"

namespace dtu::profile::lte7s4_rows {

void general(fragments::Table& t); ///< AT, H, Z, REBOOT, E, ENTM, WKMOD, CMDPW, STMSG, CSQ, RSTIM, SYSINFO,
                                   ///< RELD, CLEAR, CFGTF, VER, SN, ICCID, IMEI, UPDATE
void serial(fragments::Table& t);  ///< UART, UARTFT, UARTFL, RFCEN
void sockets(fragments::Table& t); ///< APN, SOCKx, SOCKxEN/SL/LK/TO, SHORxTO, SOCKIND, SDPEN
void reg_heartbeat(fragments::Table& t); ///< REGxx, CLOUD (+ CLOUDEN/ID/PA), HEARTxx
void httpd(fragments::Table& t);         ///< HTPTP, HTPURL, HTPSV, HTPHD, HTPTO, HTPFLT

} // namespace dtu::profile::lte7s4_rows
