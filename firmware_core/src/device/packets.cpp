#include "packets.hpp"

#include "dtu/at/text.hpp"

namespace dtu::device {
namespace {

using profile::PacketContent;

int nibble(char c) { return c <= '9' ? c - '0' : (c & ~0x20) - 'A' + 10; }

PacketContent content_of(const profile::NetRules& rules, std::string_view token) {
    for (const auto& t : rules.contents)
        if (at::iequals(t.token, token)) return t.content;
    return PacketContent::None;
}

/// The bytes of one content; custom_key names the row holding the hex data (REGDT, HEARTDT).
std::string content_bytes(PacketContent content, const params::Store& store, std::string_view custom_key,
                          const hal::Identity& id, const hal::RadioState& radio) {
    switch (content) {
    case PacketContent::Iccid: return id.iccid; // ICCID, IMEI and SN as ASCII digits (GAP-30)
    case PacketContent::Imei: return id.imei;
    case PacketContent::Sn: return id.sn;
    case PacketContent::Custom: return hex_bytes(store.text(custom_key));
    case PacketContent::RegId: return std::string(store.text("REGID"));
    case PacketContent::Cell:
        return std::to_string(radio.serving.lac) + "," + std::to_string(radio.serving.cid);
    case PacketContent::None: break;
    }
    return {};
}

} // namespace

std::string hex_bytes(std::string_view hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
    return out;
}

std::string registration_packet(const profile::NetRules& rules, const params::Store& store,
                                const hal::Identity& id, const hal::RadioState& radio) {
    if (!store.on("REGEN")) return {};
    return content_bytes(content_of(rules, store.text("REGTP")), store, "REGDT", id, radio);
}

std::string heartbeat_packet(const profile::NetRules& rules, const params::Store& store,
                             const hal::Identity& id, const hal::RadioState& radio) {
    // A model without a heartbeat content row sends its heartbeat data (732 §3.1.7.53).
    const PacketContent content = rules.keys.heartbeat_content.empty()
                                      ? PacketContent::Custom
                                      : content_of(rules, store.text(rules.keys.heartbeat_content));
    return content_bytes(content, store, "HEARTDT", id, radio);
}

} // namespace dtu::device
