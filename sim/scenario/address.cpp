#include "sim/scenario/address.hpp"

#include <cctype>

#include <charconv>

namespace dtu::sim::scenario {

std::optional<Address> parse_address(std::string_view text, std::string& error) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        error = "'" + std::string(text) + "' is not host:port (e.g. server.example:9000 or 10.0.0.5:80)";
        return std::nullopt;
    }
    std::string_view host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string_view port = text.substr(colon + 1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
        error = "'" + std::string(text) + "': the port must be a number from 1 to 65535";
        return std::nullopt;
    }
    return Address{std::string(host), static_cast<std::uint16_t>(value)};
}

/// "a.b.c.d" as a host-order address; nullopt if it is not one.
std::optional<std::uint32_t> ipv4_of(const std::string& text) {
    std::uint32_t ip = 0;
    std::size_t at = 0;
    for (int part = 0; part < 4; ++part) {
        std::size_t used = 0;
        if (at >= text.size() || !std::isdigit(static_cast<unsigned char>(text[at]))) return std::nullopt;
        const unsigned long v = std::stoul(text.substr(at, 3), &used);
        if (v > 255) return std::nullopt;
        ip = ip << 8 | static_cast<std::uint32_t>(v);
        at += used;
        if (part < 3 && (at >= text.size() || text[at++] != '.')) return std::nullopt;
    }
    if (at != text.size()) return std::nullopt;
    return ip;
}

} // namespace dtu::sim::scenario
