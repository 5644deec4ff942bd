#pragma once
// The HTTPD client settings (G771 §2.3; spec httpd.md §2), read from the saved parameters once at
// the work-mode start: AT+HTPTP, HTPURL, HTPSV, HTPHD, HTPPK, HTPTIM and the SSL set.
#include <cstdint>
#include <string>

#include "dtu/http/request.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"
#include "tls_settings.hpp"

namespace dtu::device {

struct HttpdConfig {
    http::Target target;
    bool body_only = true;            ///< AT+HTPPK=ON (7S4 HTPFLT): only the body goes to the serial port
    std::uint32_t timeout_ms = 10000; ///< AT+HTPTIM (7S4 HTPTO)
    std::string_view timeout_key;     ///< which, for the log
    std::size_t request_max = 0;      ///< longest request (7S4 §2.1.2: 1000); 0 = no limit
    TlsSettings tls;                  ///< AT+SSLEN and friends (G771 §2.6.2; spec httpd.md §5)

    static HttpdConfig from(const params::Store& saved, const profile::HttpdRules& rules);
};

} // namespace dtu::device
