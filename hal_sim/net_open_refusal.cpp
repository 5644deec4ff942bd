#include "hal_sim/net_open_refusal.hpp"

#include "hal_sim/net_status.hpp"

namespace dtu::hal_sim {

namespace {

std::string where(std::string_view host, std::uint16_t port) {
    return std::string(host) + ":" + std::to_string(port);
}

} // namespace

OpenRefusal bad_link_id(hal::LinkId id, std::size_t links) {
    return {hal::NetError::Invalid, hal::LogLevel::Warn,
            "net: open on link id " + std::to_string(id) + " (only 0.." + std::to_string(links - 1) +
                " exist)"};
}

std::optional<OpenRefusal> refuse_open(hal::LinkId id, hal::Proto proto, std::string_view host,
                                       std::uint16_t port, bool tls, bool attached) {
    const std::string what = net_link_name(id) + (proto == hal::Proto::Tcp ? ": TCP" : ": UDP");
    if (host.empty() || port == 0)
        return OpenRefusal{hal::NetError::Invalid, hal::LogLevel::Warn,
                           what + " open refused: invalid " + (host.empty() ? "empty host" : "port 0") +
                               " (" + where(host, port) + ")"};
    if (!attached)
        return OpenRefusal{hal::NetError::NotAttached, hal::LogLevel::Info,
                           what + " connect to " + where(host, port) + " failed: not attached"};
    if (tls && proto == hal::Proto::Udp)
        return OpenRefusal{hal::NetError::Invalid, hal::LogLevel::Warn,
                           what + " open refused: TLS needs TCP"};
    return std::nullopt;
}

std::string tls_handshake_failed(hal::LinkId id, std::string_view host, std::uint16_t port,
                                 std::string_view reason) {
    return net_link_name(id) + ": TLS handshake with " + where(host, port) +
           " failed: " + std::string(reason);
}

} // namespace dtu::hal_sim
