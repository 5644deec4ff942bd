#pragma once
// The `servers:` section of a scenario file (scenarios/README.md "The file") and canned HTTP
// responses (also used by the http_respond step).
#include <optional>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_fields.hpp"

namespace dtu::sim::scenario {

/// Every server under `servers:`; names (keys) and transport addresses must be unique.
std::vector<ServerSpec> parse_servers(const Context& ctx, const Field& servers);

/// Every client under `clients:` (K7 §4.2.2, §4.2.4: peers that dial the device): {protocol: tcp|udp,
/// port: the device's port, from: "a.b.c.d:port" (default 192.168.0.(50 + index):40001)}. Names must
/// differ from each other and from the servers'; source addresses must be unique.
std::vector<ServerSpec> parse_clients(const Context& ctx, const Field& clients,
                                      const std::vector<ServerSpec>& servers);

/// status (100..599; default 200), reason (default: the RFC 9110 phrase of common codes, else ""), headers (a
/// map of strings, in order), body (bytes; default empty) among fields; keys the caller did not allow are
/// absent.
std::optional<HttpResponse> http_response_from(const Context& ctx, const MapFields& fields);

/// "tcp", "udp" or "http".
const char* protocol_name(ServerSpec::Protocol protocol);

} // namespace dtu::sim::scenario
