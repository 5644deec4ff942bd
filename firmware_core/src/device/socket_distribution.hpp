#pragma once
// The USR socket distribution protocol (AT+SDPEN; G771 §2.6.9; frame format from the USR-DR404
// manual, field-evidence §2): serial frames addressed to one socket, server data tagged with its
// socket.
//   serial -> device: 55 FD AA | LEN (2, big-endian, = n + 2) | P1 socket 0x61..0x64 | P2 00 | DATA (n) | SUM
//   device -> serial: AA FD 55 | same layout; P2 bit 7 set = a status reply from the device itself
// SUM = low byte of the sum of P1..DATA.
#include <cstdint>
#include <string>
#include <string_view>

namespace dtu::device::sdp {

/// Status codes of device replies (field-evidence §2).
enum Status : std::uint8_t {
    kHeader = 0x00,
    kLength = 0x01,
    kParameter = 0x02,
    kChecksum = 0x04,
    kSendFailed = 0x10 ///< "send failed" (field-evidence §2), e.g. the frame's socket is not enabled
};

struct Request {
    bool ok = false;
    std::uint8_t status = kHeader; ///< why not ok
    std::uint8_t socket = 0;       ///< P1 as received (0x61..0x64 when ok)
    std::string_view data;
};

/// Parse one serial frame.
Request parse(std::string_view frame);
/// A device -> serial frame carrying server data from socket index 0..3.
std::string wrap(std::size_t socket_index, std::string_view data);
/// A device -> serial status reply about a request for socket P1.
std::string status_reply(std::uint8_t socket, std::uint8_t status);

} // namespace dtu::device::sdp
