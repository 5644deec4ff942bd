#pragma once
// The UDC protocol frame of the USR DTUs' UDC work mode (732 §2.1.4). The manual documents the mode
// but not its bytes (GAP-07); this is the framing a server built against a real USR DTU speaks
// (spec field-evidence §3, reverse-engineered, one project's view):
//
//   7B | type (1) | length (2, big-endian, the whole frame incl. both 7B) | device ID (11 ASCII) |
//   [login only: module IP (4) + port (2)] | body | 7B
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dtu::udc {

inline constexpr char kFlag = 0x7B;
inline constexpr std::size_t kIdBytes = 11;
inline constexpr std::size_t kHeaderBytes = 4 + kIdBytes; ///< flag, type, length; the body starts here
inline constexpr std::size_t kMinFrame = kHeaderBytes + 1;
inline constexpr std::size_t kMaxFrame = 0xFFFF;

/// Frame types (spec field-evidence §3).
enum Type : std::uint8_t {
    kHeartbeat = 0x01,    ///< device -> server, answered kHeartbeatAck
    kOfflineAck = 0x02,   ///< device -> server, the answer to kOffline
    kLogin = 0x03,        ///< device -> server on every connect, answered kLoginAck
    kDataUp = 0x09,       ///< device -> server: a serial frame, answered kDataAck
    kHeartbeatAck = 0x81, ///< server -> device
    kOffline = 0x82,      ///< server -> device: the server takes the device off line
    kLoginAck = 0x83,     ///< server -> device
    kDataAck = 0x85,      ///< server -> device
    kDataDown = 0x89,     ///< server -> device: data for the serial port
};

struct Frame {
    std::uint8_t type = 0;
    std::string id;   ///< kIdBytes ASCII bytes
    std::string body; ///< after the ID (a login's IP and port included)
};

/// The 11-byte device ID from the UDC ID as entered (AT+REGDT's decoded bytes, at most 11
/// characters: 732 §2.1.4.1 step 8). A shorter ID is padded on the left with '0' (the manual's
/// example "00000000001"), a longer one keeps its first 11 bytes.
std::string device_id(std::string_view entered);

/// One frame's bytes; the body is cut so the frame stays within kMaxFrame.
std::string encode(std::uint8_t type, std::string_view id, std::string_view body = {});

/// The login frame: module IP (dotted quad; anything else is sent as 0.0.0.0) and local port.
std::string login(std::string_view id, std::string_view ip, std::uint16_t port);

/// Reassembles frames from a TCP byte stream (or one UDP datagram at a time).
class Decoder {
public:
    /// Append received bytes.
    void feed(std::string_view bytes);
    /// The next complete frame, or nullopt when more bytes are needed. Bytes that cannot start a
    /// frame (no 7B, a length out of range, no closing 7B) are skipped and counted.
    std::optional<Frame> next();
    std::size_t skipped_bytes() const { return skipped_; }
    std::size_t buffered() const { return buffer_.size(); }

private:
    void skip(std::size_t n);
    std::string buffer_;
    std::size_t skipped_ = 0;
};

} // namespace dtu::udc
