#pragma once
// Command-table fragments grouped by feature; a profile is assembled from them.
#include <cstddef>
#include <vector>

#include "dtu/at/command_spec.hpp"

namespace dtu::profile::fragments {

using Table = std::vector<at::CommandSpec>;

void cellular_general(Table& t);       ///< AT, Z, S, CLEAR, E, ENTM, WKMOD, CMDPW, STMSG, ...
void cellular_info(Table& t);          ///< VER, BUILD, SN, IMEI, ICCID, CIP, CNUM, LBS, LBSN, CCLK
void cellular_security(Table& t);      ///< SAFEATEN, SIGNINAT
void cellular_serial(Table& t);        ///< UART, UARTFL, UARTFT
void cellular_sockets(Table& t);       ///< APN, SOCKx, SOCKxEN, SOCKxLK, backups, reconnect timers
void cellular_reg_heartbeat(Table& t); ///< REGxx, CLOUD, HEARTxx
void cellular_httpd_sms(Table& t);     ///< HTPxx, DSTNUM, SMSFLT
void cellular_mqtt(Table& t, std::size_t topic_entries); ///< MQTTxx, SSLxx, ALIxx
void cellular_ntp_sim(Table& t);                         ///< NTPxx, SIMSWITCH

} // namespace dtu::profile::fragments
