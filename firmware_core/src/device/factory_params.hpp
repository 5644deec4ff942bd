#pragma once
// The factory parameter set of this device: the profile's factory values with the device's own
// facts in them (the SN as the GM5's MQTT client id, GM5 §2.9).
#include "dtu/hal/modem.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"

namespace dtu::device {

inline params::Store factory_params(const profile::Profile& profile, const hal::Modem& modem) {
    const hal::Identity id = modem.identity();
    return params::factory_store(profile, params::Facts{id.sn});
}

} // namespace dtu::device
