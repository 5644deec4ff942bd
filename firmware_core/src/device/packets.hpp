#pragma once
// Contents of registration and heartbeat packets (G771 §2.2.1, §2.2.2; spec net-transparent §6-§7).
#include <string>

#include "dtu/hal/modem.hpp"
#include "dtu/params/store.hpp"

namespace dtu::device {

/// Bytes of the registration packet configured in store (REGTP/REGDT), or "" when there is
/// nothing to send (REGEN off, or CLOUD whose protocol is not documented — GAP-08).
std::string registration_packet(const params::Store& store, const hal::Identity& id);

/// Bytes of the heartbeat configured in store: type_key names the content parameter (G771
/// HEARTSORT; "" = the model has none: always the HEARTDT bytes); LBS sends "LAC,CID" (GAP-33).
std::string heartbeat_packet(const params::Store& store, std::string_view type_key, const hal::Identity& id,
                             const hal::RadioState& radio);

/// Bytes of a hex-string parameter (validated on entry, so always even and hex).
std::string hex_bytes(std::string_view hex);

} // namespace dtu::device
