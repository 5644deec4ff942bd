// IPv4/TCP/UDP packet synthesis for pcapng traces (see ip_packets.hpp).
#include "sim/scenario/ip_packets.hpp"

namespace dtu::sim::scenario {
namespace {

constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;
constexpr std::size_t kIpHeader = 20;
constexpr std::size_t kUdpHeader = 8;
constexpr std::uint16_t kWindow = 65535;

// Network byte order.
void put16(std::string& out, std::uint16_t v) {
    out += static_cast<char>(v >> 8);
    out += static_cast<char>(v & 0xff);
}
void put32(std::string& out, std::uint32_t v) {
    put16(out, static_cast<std::uint16_t>(v >> 16));
    put16(out, static_cast<std::uint16_t>(v & 0xffff));
}
void set16(std::string& out, std::size_t at, std::uint16_t v) {
    out[at] = static_cast<char>(v >> 8);
    out[at + 1] = static_cast<char>(v & 0xff);
}

// The sum over the pseudo-header TCP and UDP checksums include (RFC 793 §3.1, RFC 768).
std::uint32_t pseudo_header_sum(Endpoint from, Endpoint to, std::uint8_t proto, std::size_t length) {
    std::string p;
    put32(p, from.address);
    put32(p, to.address);
    put16(p, proto);
    put16(p, static_cast<std::uint16_t>(length));
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < p.size(); i += 2)
        sum += (static_cast<std::uint8_t>(p[i]) << 8) | static_cast<std::uint8_t>(p[i + 1]);
    return sum;
}

// RFC 791 §3.1: version 4, no options, don't fragment, TTL 64.
std::string ip_header(Endpoint from, Endpoint to, std::uint8_t proto, std::size_t payload, std::uint16_t id) {
    std::string h;
    h += static_cast<char>(0x45);
    h += '\0';
    put16(h, static_cast<std::uint16_t>(kIpHeader + payload));
    put16(h, id);
    put16(h, 0x4000);
    h += static_cast<char>(64);
    h += static_cast<char>(proto);
    put16(h, 0);
    put32(h, from.address);
    put32(h, to.address);
    set16(h, 10, internet_checksum(h));
    return h;
}

} // namespace

std::uint16_t internet_checksum(std::string_view bytes, std::uint32_t sum) {
    std::uint64_t s = sum;
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2)
        s += (static_cast<std::uint8_t>(bytes[i]) << 8) | static_cast<std::uint8_t>(bytes[i + 1]);
    if (bytes.size() % 2 != 0) s += static_cast<std::uint8_t>(bytes.back()) << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return static_cast<std::uint16_t>(~s & 0xffff);
}

std::string tcp_packet(const TcpSegment& segment, std::uint16_t id) {
    const bool syn = (segment.flags & tcp_flag::Syn) != 0;
    const std::size_t header = syn ? 24 : 20;
    std::string t;
    put16(t, segment.from.port);
    put16(t, segment.to.port);
    put32(t, segment.seq);
    put32(t, (segment.flags & tcp_flag::Ack) != 0 ? segment.ack : 0);
    t += static_cast<char>((header / 4) << 4);
    t += static_cast<char>(segment.flags);
    put16(t, kWindow);
    put16(t, 0); // checksum, below
    put16(t, 0); // urgent pointer
    if (syn) {   // RFC 793 §3.1: option kind 2, length 4, the MSS
        t += static_cast<char>(2);
        t += static_cast<char>(4);
        put16(t, kTcpMss);
    }
    t += segment.payload;
    set16(t, 16, internet_checksum(t, pseudo_header_sum(segment.from, segment.to, kProtoTcp, t.size())));
    return ip_header(segment.from, segment.to, kProtoTcp, t.size(), id) + t;
}

std::string udp_packet(Endpoint from, Endpoint to, std::string_view payload, std::uint16_t id) {
    std::string u;
    put16(u, from.port);
    put16(u, to.port);
    put16(u, static_cast<std::uint16_t>(kUdpHeader + payload.size()));
    put16(u, 0);
    u += payload;
    std::uint16_t sum = internet_checksum(u, pseudo_header_sum(from, to, kProtoUdp, u.size()));
    set16(u, 6, sum == 0 ? 0xffff : sum); // RFC 768: a computed 0 is sent as all ones
    return ip_header(from, to, kProtoUdp, u.size(), id) + u;
}

} // namespace dtu::sim::scenario
