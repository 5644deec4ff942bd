#pragma once
// Contents of registration and heartbeat packets (G771 §2.2.1, §2.2.2; spec net-transparent §6-§7).
#include <string>

#include "dtu/hal/modem.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"

namespace dtu::device {

/// Bytes of the registration packet configured in store (REGTP/REGDT), or "" when there is
/// nothing to send (REGEN off, or CLOUD whose protocol is not documented — GAP-08).
std::string registration_packet(const profile::NetRules& rules, const params::Store& store,
                                const hal::Identity& id, const hal::RadioState& radio);

/// Bytes of the heartbeat configured in store (HEARTSORT/HEARTDT); LBS sends "LAC,CID" (GAP-33).
std::string heartbeat_packet(const profile::NetRules& rules, const params::Store& store,
                             const hal::Identity& id, const hal::RadioState& radio);

/// Bytes of a hex-string parameter (validated on entry, so always even and hex).
std::string hex_bytes(std::string_view hex);

} // namespace dtu::device
