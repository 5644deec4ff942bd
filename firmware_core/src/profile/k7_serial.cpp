// USR-K7 serial port commands (K7 §4.3, §5.3.5 #13, #14, #33, #37).
#include "k7_rows.hpp"
#include "rows.hpp"

namespace dtu::profile::k7_rows {
using namespace rows;

void serial(fragments::Table& t) {
    // K7 §5.3.5 #13: baud,data,stop,parity,flow; "module can supports random baud rate", 600 bps ~
    // 1 Mbps (K7 §2.2). NFC none, FCH hardware RTS/CTS, FCR software Xon/Xoff.
    t.push_back(param("UART",
                      {number("baud", 600, 1000000), choice("data", "5|6|7|8"), choice("stop", "1|2"),
                       choice("parity", "NONE|EVEN|ODD|MARK|SPACE"), choice("flow", "NFC|FCH|FCR")},
                      "115200,8,1,NONE,NFC", "K7 §5.3.5 #13, §1.2, §4.3.2", "serial parameters"));
    // K7 §4.3.3: default "4 bytes time" (time 0) and 1460 bytes; time 0~255 ms, length 0~1460.
    t.push_back(param("UARTTL", {number("time", 0, 255), number("length", 0, 1460)}, "0,1460",
                      "K7 §5.3.5 #14, §4.3.3; spec k7 §5", "packing time (ms) and length"));
    t.push_back(
        param("RFCEN", {on_off()}, "OFF", "K7 §5.3.5 #33; spec k7 §2", "RFC2217-like serial settings"));
    // The table spells #33 "RECENN" (spec k7 §3.1): the same row.
    for (const std::string_view name : {"RECEN", "RECENN"}) {
        CommandSpec recen = param(name, {}, {}, "K7 §5.3.5 form 5.3.4-1", "RFCEN as the table spells it");
        recen.alias_of = "RFCEN";
        t.push_back(recen);
    }
    t.push_back(param("UARTCLBUF", {on_off()}, "OFF", "K7 §5.3.5 #37, §4.4.9",
                      "clear the serial buffer when a connection is made"));
}

} // namespace dtu::profile::k7_rows
