#include "signal_answer.hpp"

#include <algorithm>

namespace dtu::device {
namespace {

constexpr int kUnknown = 99;

/// The radio's GSM-scale rssi (0 = -113 dBm, 2 dB steps, 31 = -51 dBm or more) in dBm.
int dbm_of(int gsm_rssi) { return -113 + 2 * gsm_rssi; }

/// 7S4 §3.1.7.11 tables 17 and 18 ("减去 100 后"): value v stands for (floor + v) dBm, clamped
/// to 0..top, then 100 is added.
int on_table(int dbm, int floor, int top) { return 100 + std::clamp(dbm - floor, 0, top); }

int rssi_for(const hal::RadioState& r) {
    if (r.rssi == kUnknown) return kUnknown;
    if (r.network == "LTE") return on_table(dbm_of(r.rssi), -141, 97);      // 1 = -140 dBm, 97 >= -44
    if (r.network == "TD-SCDMA") return on_table(dbm_of(r.rssi), -116, 91); // 1 = -115 dBm, 91 >= -25
    return r.rssi;                                                          // table 16: the GSM scale itself
}

} // namespace

std::string signal_by_network(const hal::RadioState& radio) {
    return std::to_string(rssi_for(radio)) + ",," + std::to_string(radio.ber);
}

} // namespace dtu::device
