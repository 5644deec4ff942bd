#pragma once
// Socket-ID indication (732 AT+SOCKIDEN §3.1.7.43, 7S4 AT+SOCKIND §3.1.7.49; spec net-transparent
// §10): server data written to the serial port says which socket it came from. No manual gives the
// marker (GAP-06, field-evidence "[NF]"); the simulator's choice, the same for every model: each
// piece of server data as it arrives from the network is preceded by the socket's letter and a
// colon, e.g. "A:" + data from socket A, "B:" + data from socket B. ASCII, so a terminal shows it,
// and the same letters as AT+SOCKA..D and the socket distribution protocol (0x61..0x64).
#include <cstddef>
#include <string>
#include <string_view>

namespace dtu::proto::socket_id {

/// The marker of socket index 0.. (A..).
std::string marker(std::size_t socket_index);
/// data as it goes to the serial port with the indication on.
std::string tag(std::size_t socket_index, std::string_view data);

} // namespace dtu::proto::socket_id
