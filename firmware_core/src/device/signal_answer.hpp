#pragma once
// The value of a 7S4-style AT+CSQ answer (7S4 §3.1.7.11): "rssi,null,ber" with rssi on the scale of
// the network in use (tables 16-18) and an empty "null" field (spec device-info §2, GAP-33).
#include <string>

#include "dtu/hal/modem.hpp"

namespace dtu::device {

/// "182,,99" for LTE at GSM-scale rssi 27 (-59 dBm): LTE and TD-SCDMA values are the table value
/// + 100; GSM/GPRS and WCDMA keep the 0..31 scale; 99 (unknown) stays 99.
std::string signal_by_network(const hal::RadioState& radio);

} // namespace dtu::device
