#pragma once
// A NetAddress as log lines and status show it: "192.168.0.7:5000" (the firmware's and the
// host HAL's log lines alike).
#include <string>

#include "dtu/hal/net.hpp"

namespace dtu::hal {

/// The dotted quad of ip (host order).
inline std::string ip_text(std::uint32_t ip) {
    return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 0xFF) + "." +
           std::to_string((ip >> 8) & 0xFF) + "." + std::to_string(ip & 0xFF);
}

inline std::string address_text(const NetAddress& a) { return ip_text(a.ip) + ":" + std::to_string(a.port); }

} // namespace dtu::hal
