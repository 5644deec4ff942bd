#include "link_router.hpp"

namespace dtu::device {

std::string_view net_error_name(hal::NetError e) {
    switch (e) {
    case hal::NetError::None: return "none";
    case hal::NetError::DnsFailed: return "DNS lookup failed";
    case hal::NetError::Refused: return "connection refused";
    case hal::NetError::Timeout: return "timeout";
    case hal::NetError::Reset: return "reset by peer";
    case hal::NetError::PeerClosed: return "closed by peer";
    case hal::NetError::NotAttached: return "no network registration";
    case hal::NetError::Invalid: return "invalid address";
    case hal::NetError::TlsFailed: return "TLS handshake failed";
    }
    return "?";
}

} // namespace dtu::device
