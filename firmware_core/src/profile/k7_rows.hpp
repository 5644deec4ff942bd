#pragma once
// The USR-K7's command table in feature groups (K7 §5.3.4 form 5.3.4-1, §5.3.5; spec k7 §3.3).
#include "fragments.hpp"

namespace dtu::profile::k7_rows {

void general(fragments::Table& t);       ///< AT, E, Z, VER, ENTM, MAC, RELD, CFGTF, PDTIME, MID, PING, ...
void network(fragments::Table& t);       ///< WANN, DNS, WEBU, WEBPORT, SEARCH, PLANG, USERMAC
void serial(fragments::Table& t);        ///< UART, UARTTL, RFCEN, UARTCLBUF
void sockets(fragments::Table& t);       ///< SOCKA/B, SOCKLKA/B, WEBSOCKPORT, short connection, timers
void reg_heartbeat(fragments::Table& t); ///< REGxx, HEARTxx
void httpd(fragments::Table& t);         ///< HTPxx
void modbus(fragments::Table& t);        ///< MODTCP, MODPOLL, MODTO

} // namespace dtu::profile::k7_rows
