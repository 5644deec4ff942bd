// USR-LTE-7S4 serial port commands (7S4 §2.2, §3.1.7.20-§3.1.7.23).
#include "lte7s4_rows.hpp"
#include "rows.hpp"

namespace dtu::profile::lte7s4_rows {
using namespace rows;

void serial(fragments::Table& t) {
    // 7S4 §3.1.7.20: baud,data bit,stop bit,parity,NFC (the profile's uart_fields say so).
    t.push_back(param("UART",
                      {choice("baud", "300|600|1200|2400|4800|9600|19200|38400|57600|115200|230400"),
                       choice("data", "7|8"), choice("stop", "1|2"), choice("parity", "NONE|ODD|EVEN"),
                       choice("flow", "NFC")},
                      "115200,8,1,NONE,NFC", "7S4 §3.1.7.20, §2.2.1", "serial parameters"));
    t.push_back(param("UARTFT", {number("time", 50, 60000)}, "50", "7S4 §3.1.7.21, §2.2.2.1",
                      "packing interval in ms"));
    t.push_back(param("UARTFL", {number("length", 1, 1024)}, "1024", "7S4 §3.1.7.22, §2.2.2.2",
                      "packing length in bytes"));
    t.push_back(param("RFCEN", {on_off()}, "OFF", "7S4 §3.1.7.23, §2.2.3", "RFC2217-like serial settings"));
}

} // namespace dtu::profile::lte7s4_rows
