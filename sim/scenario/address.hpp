#pragma once
// "host:port" as scenario files and trace headers write a server's address: the server parser,
// the World rebuilding a setup from a trace, and the pcapng writer all read it this one way.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dtu::sim::scenario {

struct Address {
    std::string host; ///< as written (an IPv6 address without its brackets)
    std::uint16_t port = 0;
};

/// "host:port" or "[v6]:port", split at the last colon; the port 1..65535. nullopt with error
/// ("'x' is not host:port (...)" / "'x': the port must be a number from 1 to 65535") otherwise.
std::optional<Address> parse_address(std::string_view text, std::string& error);

/// "a.b.c.d" as a host-order IPv4 address; nullopt if it is not one (a client's `from:`).
std::optional<std::uint32_t> ipv4_of(const std::string& text);

} // namespace dtu::sim::scenario
