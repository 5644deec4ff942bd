#pragma once
// The K7 setup protocol's parameter blocks (K7 §5.1.2 forms 5.1.2-2 / 5.1.2-3, spec k7-ethernet
// §11.3-§11.5) as the device's own parameters: a block read from the parameter store, and a written
// block as the AT settings that make it so. Which block field is which AT field is written here
// once, for reading and writing alike.
#include <optional>
#include <string>
#include <vector>

#include "dtu/params/store.hpp"
#include "dtu/proto/k7_discovery.hpp"
#include "param_writes.hpp"

namespace dtu::device::discovery_params {

using device::Setting;

/// The basic block as the parameters show it; `echo` gives the fields with no AT parameter
/// ("fill what you read"), copied unchanged.
proto::k7_discovery::Basic read_basic(const params::Store& store, proto::k7_discovery::Basic echo);
/// The serial block of port 0 (the K7's only port).
proto::k7_discovery::Serial read_serial(const params::Store& store, proto::k7_discovery::Serial echo);

/// The settings a written basic block asks for; nullopt when a field has no AT value.
std::optional<std::vector<Setting>> basic_settings(const proto::k7_discovery::Basic& basic);
/// The settings a written serial block asks for (current: for the fields a flag only partly
/// decides, REGEN); nullopt when a code has no AT value (parity 7, work mode 9, ...).
std::optional<std::vector<Setting>> serial_settings(const proto::k7_discovery::Serial& serial,
                                                    const params::Store& current);

/// The device's MAC in effect: the custom MAC (USERMAC, K7 §4.4.7), which is the factory MAC
/// until set. False when the stored text is not 12 hex digits.
bool mac_of(const params::Store& store, proto::k7_discovery::Mac& out);
/// The device's IP in effect (WANN address; K7 §1.2: 192.168.0.7 by default), host order.
std::uint32_t ip_of(const params::Store& store);

} // namespace dtu::device::discovery_params
