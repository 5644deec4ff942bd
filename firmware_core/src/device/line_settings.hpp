#pragma once
// The saved AT+UART row as the HAL's line format; the row's field order is the profile's
// (732 §3.1.7.22 baud,parity,data,stop,flow; 7S4 §3.1.7.20 baud,data,stop,parity,flow).
#include "dtu/hal/uart.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"

namespace dtu::device {

/// The line format of the saved UART row; a field that is missing or not understood keeps the
/// LineSettings default (115200 8N1, no flow control).
hal::LineSettings line_settings(const profile::SerialRules& rules, const params::Store& saved);

} // namespace dtu::device
