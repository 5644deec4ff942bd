#pragma once
// Which hal::LinkId serves what: the one place link ids are allocated (sockets, NTP, HTTPD, the
// module's MQTT service, K7 discovery and network AT, the clients a TCP server accepted). Every user
// of a link id takes it from here, the firmware and the host HAL alike.
#include <cstdint>

namespace dtu::hal {

/// Link slot of a hal::Net.
using LinkId = std::uint8_t;

/// A run of link ids [first, first + count).
struct LinkRange {
    std::uint8_t first = 0;
    std::uint8_t count = 0;
    constexpr bool contains(std::uint8_t id) const { return id >= first && id - first < count; }
};

namespace links {

inline constexpr LinkId kSocketBase = 0; ///< sockets A..D = 0..3 (a TCP/UDP server listens on its own)
inline constexpr LinkId kMaxSockets = 4;
inline constexpr LinkId kNtp = 4;         ///< G771 AT+NTPEN client
inline constexpr LinkId kHttpd = 5;       ///< HTTPD client mode's request
inline constexpr LinkId kDiscovery = 6;   ///< K7 §5.1.2: UDP 1901 search / configuration
inline constexpr LinkId kMqttService = 7; ///< the cellular module's own MQTT client (hal_sim)
inline constexpr LinkId kNetworkAt = 8;   ///< K7 §5.3.1: network AT on the SEARCH port
/// Clients a TCP server socket accepted: 17 ids per socket (K7 §2.3: at most 16, plus the spare
/// one that accepts the client which then closes the oldest).
inline constexpr std::uint8_t kAcceptPerSocket = 17;
inline constexpr LinkId kAcceptBase = 16;

/// The ids the clients of socket s's TCP server get.
constexpr LinkRange accepted(std::uint8_t socket) {
    return {static_cast<std::uint8_t>(kAcceptBase + socket * kAcceptPerSocket), kAcceptPerSocket};
}

} // namespace links

/// Every link id is below this.
inline constexpr LinkId kMaxLinks = links::kAcceptBase + 2 * links::kAcceptPerSocket; // 50

} // namespace dtu::hal
