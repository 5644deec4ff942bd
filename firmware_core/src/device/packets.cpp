#include "packets.hpp"

namespace dtu::device {
namespace {

int nibble(char c) { return c <= '9' ? c - '0' : (c & ~0x20) - 'A' + 10; }

/// ICCID, IMEI and SN go out as their ASCII digits (GAP-30). The 7S4's D2DID has no parameter
/// of its own: its SN (spec net-transparent §6, GAP-30).
std::string identity_text(std::string_view type, const hal::Identity& id) {
    if (type == "ICCID") return id.iccid;
    if (type == "IMEI") return id.imei;
    if (type == "SN" || type == "D2DID") return id.sn;
    return {};
}

} // namespace

std::string hex_bytes(std::string_view hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
    return out;
}

std::string registration_packet(const params::Store& store, const hal::Identity& id) {
    if (!store.on("REGEN")) return {};
    const std::string_view type = store.text("REGTP");
    if (type == "USER") return hex_bytes(store.text("REGDT"));
    return identity_text(type, id);
}

std::string heartbeat_packet(const params::Store& store, std::string_view type_key, const hal::Identity& id,
                             const hal::RadioState& radio) {
    const std::string_view type = type_key.empty() ? std::string_view("USER") : store.text(type_key);
    if (type == "USER") return hex_bytes(store.text("HEARTDT"));
    if (type == "LBS") return std::to_string(radio.serving.lac) + "," + std::to_string(radio.serving.cid);
    return identity_text(type, id);
}

} // namespace dtu::device
