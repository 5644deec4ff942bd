#pragma once
// The `brokers:` section of a scenario file (scenarios/README.md "Brokers"): the MQTT brokers the
// device can reach, with the credentials they accept.
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_fields.hpp"

namespace dtu::sim::scenario {

/// Every broker under `brokers:`. Names must be unique and not a server's (a trace names both the
/// same way); an address must not be another broker's or a tcp / http server's.
std::vector<BrokerSpec> parse_brokers(const Context& ctx, const Field& brokers,
                                      const std::vector<ServerSpec>& servers);

} // namespace dtu::sim::scenario
