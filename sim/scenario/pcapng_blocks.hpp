#pragma once
// pcapng blocks as bytes (draft-ietf-opsawg-pcapng: §4.1 Section Header, §4.2 Interface
// Description, §4.3 Enhanced Packet, §4.5 Name Resolution). Little-endian throughout, which the
// Section Header's byte-order magic declares. Timestamps keep the default resolution (if_tsresol
// absent: microseconds).
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dtu::sim::scenario::pcapng {

/// Link types (tcpdump.org/linktypes.html).
inline constexpr std::uint16_t kLinkTypeRaw = 101; ///< raw IPv4/IPv6 packets
/// Wireshark's exported PDUs: a few tags naming the dissector, then the bytes. Serial bytes go this
/// way so Wireshark shows them as data (LINKTYPE_USER0 would need a per-user DLT table and warns
/// "User encapsulation not handled" on every record).
inline constexpr std::uint16_t kLinkTypeUpperPdu = 252;

/// epb_flags direction bits (§4.3.1).
enum class Direction : std::uint32_t { Unknown = 0, Inbound = 1, Outbound = 2 };

/// What Wireshark shows for an exported PDU besides its bytes.
struct PduColumns {
    std::string_view protocol;     ///< the Protocol column
    std::string_view info;         ///< the Info column (Wireshark 4.2 and later; older ones ignore it)
    std::uint32_t source = 0;      ///< the Source column, an IPv4 address (host byte order) a Name
    std::uint32_t destination = 0; ///< Resolution Block can name; 0: none
};

/// An exported PDU for kLinkTypeUpperPdu: shown as raw data with these columns.
std::string upper_pdu(const PduColumns& columns, std::string_view bytes);

/// Section Header Block; shb_userappl names the writer.
std::string section_header(std::string_view user_application);
/// Interface Description Block with if_name and if_description; no snap length limit.
std::string interface_description(std::uint16_t link_type, std::string_view name,
                                  std::string_view description);
/// Name Resolution Block of IPv4 records (address in host byte order, name).
std::string name_resolution(const std::vector<std::pair<std::uint32_t, std::string>>& ipv4_names);
/// Enhanced Packet Block: the whole packet captured, epb_flags with the direction, opt_comment if
/// comment is not empty.
std::string enhanced_packet(std::uint32_t interface, std::uint64_t t_us, std::string_view packet,
                            Direction direction, std::string_view comment = {});

} // namespace dtu::sim::scenario::pcapng
