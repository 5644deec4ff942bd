#pragma once
// The serial packing interval and length a saved parameter set asks for (G771 §3.3 UARTFT/UARTFL,
// 732 §2.2.2 fixed interval, K7 §4.3.3 AT+UARTTL with its "4 bytes time").
#include <cstddef>
#include <cstdint>

#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"

namespace dtu::device {

struct Packing {
    std::uint32_t interval_ms;
    std::size_t length;
};

/// Time for chars characters of 10 bits at baud, rounded up to the HAL timer's 1 ms (K7 §4.3.3:
/// T = 1/baud x 10 x 4, at least 0.1 ms; the 0.1 ms steps are below the timer's resolution).
std::uint32_t char_time_ms(std::uint32_t baud, std::uint32_t chars);

Packing packing(const profile::SerialRules& rules, const params::Store& saved);

} // namespace dtu::device
