#include "hal_sim/sim_modem.hpp"

#include <chrono>
#include <utility>

namespace dtu::hal_sim {

SimModem::SimModem(hal::Identity identity) : identity_(std::move(identity)), radio_(default_radio()) {}

hal::NetworkTime SimModem::network_time() const {
    hal::NetworkTime t;
    t.valid = time_valid_;
    if (!time_valid_) return t;
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    t.unix_seconds = std::chrono::duration_cast<std::chrono::seconds>(now).count();
    t.tz_quarter_hours = tz_quarter_hours_;
    return t;
}

void SimModem::set_network_time(bool valid, int tz_quarter_hours) {
    time_valid_ = valid;
    tz_quarter_hours_ = tz_quarter_hours;
}

hal::RadioState SimModem::default_radio() {
    hal::RadioState r;
    r.rssi = 27;
    r.ber = 99;
    r.service_state = 4;
    r.network = "LTE";
    r.local_ip = "10.0.0.2";
    r.serving = hal::Cell{21269, 30321};
    // Two plausible neighbours in the same location area.
    r.neighbours = {hal::Cell{21269, 30322}, hal::Cell{21269, 30598}};
    return r;
}

} // namespace dtu::hal_sim
