#pragma once
// Why a simulated net (AsioNet, VirtualNet) refuses an open() before dialling anything, with the line
// it logs: one definition, so both nets refuse the same opens with the same words.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dtu/hal/log.hpp"
#include "dtu/hal/net.hpp"

namespace dtu::hal_sim {

struct OpenRefusal {
    hal::NetError why = hal::NetError::Invalid;
    hal::LogLevel level = hal::LogLevel::Warn;
    std::string line;
};

/// A link id past the slots: "net: open on link id 9 (only 0..7 exist)".
OpenRefusal bad_link_id(hal::LinkId id, std::size_t links);

/// An empty host or port 0 (Invalid), no data link (NotAttached) or TLS over UDP (Invalid); nullopt
/// when the open may go on.
std::optional<OpenRefusal> refuse_open(hal::LinkId id, hal::Proto proto, std::string_view host,
                                       std::uint16_t port, bool tls, bool attached);

/// "link A: TLS handshake with host:port failed: reason" (the log line and last_tls_error()).
std::string tls_handshake_failed(hal::LinkId id, std::string_view host, std::uint16_t port,
                                 std::string_view reason);

} // namespace dtu::hal_sim
