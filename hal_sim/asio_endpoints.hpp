#pragma once
// How AsioNet's links name the host's endpoints (status, log lines) and map a failed connect to the
// firmware's error: shared by the TCP and the UDP side of AsioNet::Conn.
#include <string>

#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>

#include "dtu/hal/net.hpp"

namespace dtu::hal_sim {

/// "1.2.3.4:80", "[::1]:80".
template <typename Endpoint> std::string endpoint_string(const Endpoint& ep) {
    const auto a = ep.address();
    return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(ep.port());
}

/// Refused, or Timeout when the network could not reach the host at all.
inline hal::NetError connect_error(const boost::system::error_code& ec) {
    namespace e = boost::asio::error;
    if (ec == e::connection_refused) return hal::NetError::Refused;
    if (ec == e::timed_out || ec == e::host_unreachable || ec == e::network_unreachable)
        return hal::NetError::Timeout;
    return hal::NetError::Refused;
}

} // namespace dtu::hal_sim
