#pragma once
// The USR-K7 UDP discovery / configuration protocol on port 1901 (K7 §5.1.2, spec k7-ethernet §11):
// command frames FF | length | command | MAC | user | password | parameters | checksum, the 36-byte
// search reply, the 4-byte K/P/E replies, the 180-byte read reply and the basic (67-byte) and serial
// (63-byte) parameter blocks. Pure codec: no I/O, no state.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dtu::proto::k7_discovery {

inline constexpr std::uint16_t kPort = 1901; // K7 §5.1.2: "remote port 1901"
inline constexpr std::uint8_t kHead = 0xFF;
inline constexpr std::size_t kBasicBytes = 67;       // K7 §5.1.2 form 5.1.2-2
inline constexpr std::size_t kSerialBytes = 63;      // K7 §5.1.2 form 5.1.2-3
inline constexpr std::size_t kReadReplyBytes = 180;  // K7 §5.1.2 3.③: 67 + 63 + 50 (USR-cloud, zeros)
inline constexpr std::size_t kSearchReplyBytes = 36; // K7 §5.1.2 form 5.1.2-7
inline constexpr std::size_t kCredentialBytes = 6;   // "5 bytes+00, fill the blanks with 0"

enum class Command : std::uint8_t {
    Search = 0x01,
    Restart = 0x02, // the table says "restore"; the reply text and procedure say restart (GAP-19)
    Read = 0x03,
    Store = 0x04,
    Basic = 0x05,
    Serial0 = 0x06,
    Serial1 = 0x07,
    Serial2 = 0x08,
    Cloud = 0x10,
};

using Mac = std::array<std::uint8_t, 6>;

/// What a received datagram is.
enum class Verdict : std::uint8_t {
    Frame,       ///< a whole, well-formed frame with a correct checksum
    Search,      ///< the search frame FF 01 01 02 (no MAC, user or password)
    NotFrame,    ///< empty or not starting with FF: ignored
    CutShort,    ///< fewer bytes than the length byte announces (or than the fixed header)
    BadLength,   ///< length byte disagrees with the datagram size (too long) or is below 19
    BadChecksum, ///< the sum from the length byte does not match
};

struct Frame {
    Verdict verdict = Verdict::NotFrame;
    std::uint8_t command = 0; ///< when at least 3 bytes arrived (for the FF 01 <CMD> 45 reply)
    Mac mac{};
    std::string user;     ///< NULs stripped
    std::string password; ///< NULs stripped
    std::string params;   ///< the parameter bytes (command dependent)
};

/// Sum of bytes modulo 256 (the command-frame checksum is this over length..last parameter).
std::uint8_t sum(std::string_view bytes);
/// Classify and split one datagram.
Frame parse(std::string_view datagram);
/// A command frame (checksum appended).
std::string build_command(std::uint8_t command, const Mac& mac, std::string_view user,
                          std::string_view password, std::string_view params = {});

/// The search reply fields (K7 §5.1.2 form 5.1.2-7).
struct SearchReply {
    std::uint32_t ip = 0; ///< host order; sent most significant first
    Mac mac{};
    std::uint16_t firmware = 0; ///< sent least significant first
    std::uint16_t encryption = 0;
    std::string name; ///< up to 16 bytes, NUL-padded
};
/// 36 bytes; checksum = 0x00 minus every byte before it (mod 256).
std::string build_search_reply(const SearchReply& reply);
/// The 4-byte reply FF 01 <command> <code> ('K', 'P' or 'E').
std::string build_short_reply(std::uint8_t command, char code);

/// Basic parameters block (command 05), little-endian numbers and IPs.
struct Basic {
    std::uint8_t sequence = 0, crc = 0, version = 0, flags = 0; ///< flags bit 7: static IP
    std::uint16_t location_port = 0, http_port = 0;
    std::uint8_t user_flag = 0;
    std::uint32_t ip = 0, gateway = 0, mask = 0; ///< host order
    std::string name, user, password;
    std::uint8_t net_send_time = 0;
    std::uint16_t id = 0;
    std::uint8_t id_type = 0;
    Mac user_mac{};
    std::array<std::uint8_t, 8> reserved{};
};
/// Serial parameters block (commands 06/07/08).
struct Serial {
    std::uint32_t baud = 0;
    std::uint8_t data_bits = 8, parity = 1, stop_bits = 1, flow = 1;
    std::uint32_t reconnect_timeout = 0;
    std::uint16_t local_port = 0, remote_port = 0;
    std::string url; ///< up to 30 bytes
    std::uint32_t telnet_ip = 0;
    std::uint8_t flags = 0, work_mode = 0;
    std::uint32_t pack_len = 0;
    std::uint8_t pack_time = 0, time_count = 0, server_type = 0;
    std::array<std::uint8_t, 4> reserved{};
};
inline constexpr std::uint8_t kFlagStaticIp = 0x80;
inline constexpr std::uint8_t kSerialFlagModbus = 0x04; // "0x010(bit2)" read as bit 2 (GAP-19)
inline constexpr std::uint8_t kSerialFlagRfc2217 = 0x08;
inline constexpr std::uint8_t kSerialFlagCloud = 0x10;

/// false unless bytes is exactly kBasicBytes / kSerialBytes long.
bool decode_basic(std::string_view bytes, Basic& out);
std::string encode_basic(const Basic& basic);
bool decode_serial(std::string_view bytes, Serial& out);
std::string encode_serial(const Serial& serial);
/// 180 bytes: basic + serial + 50 zero bytes.
std::string build_read_reply(const Basic& basic, const Serial& serial);

} // namespace dtu::proto::k7_discovery
