#pragma once
// The SSL parameter set of HTTPD and MQTT modes (G771 §2.6.2, spec mqtt.md §9), read from the saved
// parameters once per work-mode start and handed to the module at each connect.
#include <string>

#include "dtu/hal/tls.hpp"
#include "dtu/params/store.hpp"

namespace dtu::device {

struct TlsSettings {
    bool enabled = false; ///< AT+SSLEN=ON
    hal::TlsAuth auth = hal::TlsAuth::None;
    hal::TlsVersion version = hal::TlsVersion::Any;
    bool sni = false;
    std::string ca_pem, cert_pem, key_pem; ///< AT+SSLCRT=0/1/2, decoded

    static TlsSettings from(const params::Store& saved);
    /// Views into this object (keep it alive for the call that takes them).
    hal::TlsParams params() const;
    /// nullptr when SSL is off, else params in `out`.
    const hal::TlsParams* for_connect(hal::TlsParams& out) const {
        if (!enabled) return nullptr;
        out = params();
        return &out;
    }
};

} // namespace dtu::device
