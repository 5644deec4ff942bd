#pragma once
// IPv4 packets carrying TCP segments and UDP datagrams, synthesized for pcapng traces: the scenario
// runner's peers are in-process, so there are no real packets to capture. Headers are minimal
// (no IP options; TCP options only MSS on SYNs) and every checksum is correct (RFC 791, RFC 793 and
// RFC 768 with the pseudo-header).
#include <cstdint>
#include <string>
#include <string_view>

namespace dtu::sim::scenario {

/// An IPv4 address (host byte order) and a port.
struct Endpoint {
    std::uint32_t address = 0;
    std::uint16_t port = 0;
};

/// TCP header flags (RFC 793 §3.1).
namespace tcp_flag {
inline constexpr std::uint8_t Fin = 0x01;
inline constexpr std::uint8_t Syn = 0x02;
inline constexpr std::uint8_t Rst = 0x04;
inline constexpr std::uint8_t Psh = 0x08;
inline constexpr std::uint8_t Ack = 0x10;
} // namespace tcp_flag

/// One TCP segment; a SYN carries the MSS option.
struct TcpSegment {
    Endpoint from;
    Endpoint to;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0; ///< only meaningful with tcp_flag::Ack
    std::uint8_t flags = 0;
    std::string_view payload;
};

/// The MSS both ends announce and the largest payload tcp_packet is given by the writer.
inline constexpr std::uint16_t kTcpMss = 1460;
/// The largest UDP payload an IPv4 packet can carry.
inline constexpr std::size_t kMaxUdpPayload = 65535 - 20 - 8;

/// The RFC 1071 one's-complement sum of bytes folded to 16 bits, starting from sum.
std::uint16_t internet_checksum(std::string_view bytes, std::uint32_t sum = 0);

/// An IPv4 packet (id: the IP identification field) holding segment; payload at most kTcpMss.
std::string tcp_packet(const TcpSegment& segment, std::uint16_t id);
/// An IPv4 packet holding one UDP datagram; payload at most kMaxUdpPayload.
std::string udp_packet(Endpoint from, Endpoint to, std::string_view payload, std::uint16_t id);

} // namespace dtu::sim::scenario
