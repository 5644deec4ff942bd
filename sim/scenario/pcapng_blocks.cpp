// pcapng block encoding (see pcapng_blocks.hpp).
#include "sim/scenario/pcapng_blocks.hpp"

namespace dtu::sim::scenario::pcapng {
namespace {

// Block types and option codes (§4, §3.5).
constexpr std::uint32_t kSectionHeader = 0x0A0D0D0A;
constexpr std::uint32_t kInterfaceDescription = 1;
constexpr std::uint32_t kNameResolution = 4;
constexpr std::uint32_t kEnhancedPacket = 6;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint16_t kOptEnd = 0;
constexpr std::uint16_t kOptComment = 1;
constexpr std::uint16_t kShbUserAppl = 4;
constexpr std::uint16_t kIfName = 2;
constexpr std::uint16_t kIfDescription = 3;
constexpr std::uint16_t kEpbFlags = 2;
constexpr std::uint16_t kNrbIpv4 = 1;
// Exported PDU tags (Wireshark's exported_pdu.h): big-endian type and length, value not padded.
constexpr std::uint16_t kPduEnd = 0;
constexpr std::uint16_t kPduDissectorName = 12;
constexpr std::uint16_t kPduIpv4Source = 20;
constexpr std::uint16_t kPduIpv4Destination = 21;
constexpr std::uint16_t kPduProtocolColumn = 33;
constexpr std::uint16_t kPduInfoColumn = 36;

void put_pdu_tag(std::string& out, std::uint16_t tag, std::string_view value) {
    const auto length = static_cast<std::uint16_t>(value.size());
    out += static_cast<char>(tag >> 8);
    out += static_cast<char>(tag & 0xff);
    out += static_cast<char>(length >> 8);
    out += static_cast<char>(length & 0xff);
    out += value;
}

void put16(std::string& out, std::uint16_t v) {
    out += static_cast<char>(v & 0xff);
    out += static_cast<char>(v >> 8);
}
void put32(std::string& out, std::uint32_t v) {
    put16(out, static_cast<std::uint16_t>(v & 0xffff));
    put16(out, static_cast<std::uint16_t>(v >> 16));
}
void pad32(std::string& out) {
    while (out.size() % 4 != 0)
        out += '\0';
}

// A type-length-value option or NRB record, padded to 32 bits (§3.5).
void put_tlv(std::string& out, std::uint16_t code, std::string_view value) {
    put16(out, code);
    put16(out, static_cast<std::uint16_t>(value.size()));
    out += value;
    pad32(out);
}
void end_options(std::string& out) { put_tlv(out, kOptEnd, {}); }

// Type, total length, body, total length again (§3.1).
std::string block(std::uint32_t type, std::string body) {
    pad32(body);
    const auto total = static_cast<std::uint32_t>(body.size() + 12);
    std::string out;
    out.reserve(total);
    put32(out, type);
    put32(out, total);
    out += body;
    put32(out, total);
    return out;
}

// An IPv4 address in network byte order.
std::string ipv4_bytes(std::uint32_t address) {
    return {static_cast<char>(address >> 24), static_cast<char>((address >> 16) & 0xff),
            static_cast<char>((address >> 8) & 0xff), static_cast<char>(address & 0xff)};
}

} // namespace

std::string upper_pdu(const PduColumns& columns, std::string_view bytes) {
    std::string out;
    put_pdu_tag(out, kPduDissectorName, "data");
    put_pdu_tag(out, kPduProtocolColumn, columns.protocol);
    if (columns.source != 0) put_pdu_tag(out, kPduIpv4Source, ipv4_bytes(columns.source));
    if (columns.destination != 0) put_pdu_tag(out, kPduIpv4Destination, ipv4_bytes(columns.destination));
    if (!columns.info.empty()) put_pdu_tag(out, kPduInfoColumn, columns.info.substr(0, 0xffff));
    put_pdu_tag(out, kPduEnd, {});
    out += bytes;
    return out;
}

std::string section_header(std::string_view user_application) {
    std::string body;
    put32(body, kByteOrderMagic);
    put16(body, 1); // version 1.0
    put16(body, 0);
    put32(body, 0xffffffff); // section length -1: not given
    put32(body, 0xffffffff);
    put_tlv(body, kShbUserAppl, user_application);
    end_options(body);
    return block(kSectionHeader, std::move(body));
}

std::string interface_description(std::uint16_t link_type, std::string_view name,
                                  std::string_view description) {
    std::string body;
    put16(body, link_type);
    put16(body, 0);
    put32(body, 0); // snap length 0: no limit
    put_tlv(body, kIfName, name);
    put_tlv(body, kIfDescription, description);
    end_options(body);
    return block(kInterfaceDescription, std::move(body));
}

std::string name_resolution(const std::vector<std::pair<std::uint32_t, std::string>>& ipv4_names) {
    std::string body;
    for (const auto& [address, name] : ipv4_names) {
        std::string value = ipv4_bytes(address); // network byte order (§4.5)
        value += name;
        value += '\0';
        put_tlv(body, kNrbIpv4, value);
    }
    put_tlv(body, 0, {}); // nrb_record_end
    return block(kNameResolution, std::move(body));
}

std::string enhanced_packet(std::uint32_t interface, std::uint64_t t_us, std::string_view packet,
                            Direction direction, std::string_view comment) {
    std::string body;
    put32(body, interface);
    put32(body, static_cast<std::uint32_t>(t_us >> 32));
    put32(body, static_cast<std::uint32_t>(t_us & 0xffffffff));
    put32(body, static_cast<std::uint32_t>(packet.size())); // captured
    put32(body, static_cast<std::uint32_t>(packet.size())); // original
    body += packet;
    pad32(body);
    if (!comment.empty()) put_tlv(body, kOptComment, comment);
    std::string flags;
    put32(flags, static_cast<std::uint32_t>(direction));
    put_tlv(body, kEpbFlags, flags);
    end_options(body);
    return block(kEnhancedPacket, std::move(body));
}

} // namespace dtu::sim::scenario::pcapng
