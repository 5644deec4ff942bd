// USR-GPRS232-732 serial port commands (732 §3.1.7 table 13 rows 22-23). No AT+UARTFT/UARTFL:
// the packing time is fixed at 200 ms (732 §2.2.2, profile SerialRules::fixed_packing_ms).
#include "gprs732_rows.hpp"

namespace dtu::profile::fragments {
using namespace rows732;

void gprs732_serial(Table& t) {
    // Field order baud,parity,data,stop,flow (732 §3.1.7.22). Bauds as §3.1.7.22 lists them (its
    // "=?" line and parameter list agree; §2.2.1 table 2 differs: 128000 instead of 28800/33600).
    // Flow control: the parameter list of §3.1.7.22 names NONE and RS485 only, but its "=?" line
    // and §2.2.1 table 2 ("CRTS：使用 CTS，RTS 流控") both have CRTS, so CRTS is accepted.
    t.push_back(
        tested(param("UART",
                     {choice("baud", "2400|4800|9600|14400|19200|28800|33600|38400|57600|115200|230400|"
                                     "460800|921600"),
                      choice("parity", "NONE|ODD|EVEN"), choice("data", "7|8"), choice("stop", "1|2"),
                      choice("flow", "NONE|CRTS|RS485")},
                     "115200,NONE,8,1,RS485", "732 §3.1.7.22, §2.2.1", "serial parameters"),
               "<2400,4800,9600,14400,19200,28800,33600,38400,57600,115200,230400,460800,921600>,"
               "<\"NONE\",\"ODD\",\"EVEN\">,<7,8>,<1,2>,<\"NONE\",\"CRTS\",\"RS485\">"));
    t.push_back(switch_row("RFCEN", "OFF", "732 §3.1.7.23, §2.2.4", "RFC2217-like serial reconfiguration"));
}

} // namespace dtu::profile::fragments
