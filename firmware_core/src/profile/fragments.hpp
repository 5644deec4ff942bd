#pragma once
// Command-table fragments grouped by feature; a profile is assembled from them. A g771_* fragment
// holds the G771's own rows (G771 §4 table 11); a cellular_* fragment is shared by several
// profiles and takes every device value as a parameter.
#include <cstddef>
#include <vector>

#include "dtu/at/command_spec.hpp"

namespace dtu::profile::fragments {

using Table = std::vector<at::CommandSpec>;

void g771_general(Table& t);       ///< AT, Z, S, CLEAR, E, ENTM, WKMOD, CMDPW, STMSG, ...
void g771_info(Table& t);          ///< VER, BUILD, SN, IMEI, ICCID, CIP, CNUM, LBS, LBSN, CCLK
void g771_security(Table& t);      ///< SAFEATEN, SIGNINAT
void g771_serial(Table& t);        ///< UART, UARTFL, UARTFT
void g771_sockets(Table& t);       ///< APN, SOCKx, SOCKxEN, SOCKxLK, backups, reconnect timers
void g771_reg_heartbeat(Table& t); ///< REGxx, CLOUD, HEARTxx
void g771_httpd_sms(Table& t);     ///< HTPxx, DSTNUM, SMSFLT
void cellular_mqtt(Table& t, std::size_t topic_entries); ///< MQTTxx, SSLxx, ALIxx
void g771_ntp_sim(Table& t);                             ///< NTPxx, SIMSWITCH
void lte7s4_smsend(Table& t);                            ///< 7S4 SMSEND, CISMSSEND

} // namespace dtu::profile::fragments
