// Serial port parameters (G771 §3.2, §3.3).
#include "fragments.hpp"
#include "rows.hpp"

namespace dtu::profile::fragments {
using namespace rows;

void g771_serial(Table& t) {
    // Order baud,data,stop,parity,flow as on the 7S4 (GAP-45); G771 §3.2 table 10 gives the values.
    t.push_back(param("UART",
                      {choice("baud", "1200|2400|4800|9600|14400|19200|38400|57600|115200|230400"),
                       choice("data", "8"), choice("stop", "1|2"), choice("parity", "NONE|EVEN|ODD"),
                       choice("flow", "NFC")},
                      "115200,8,1,NONE,NFC", "G771 §3.2, §1.6", "serial parameters"));
    t.push_back(param("UARTFL", {number("length", 5, 4096)}, "1024", "G771 §3.3", "packing length in bytes"));
    t.push_back(param("UARTFT", {number("time", 10, 500)}, "50", "G771 §3.3", "packing interval in ms"));
}

} // namespace dtu::profile::fragments
