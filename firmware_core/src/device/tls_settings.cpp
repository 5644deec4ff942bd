#include "tls_settings.hpp"

namespace dtu::device {
namespace {

hal::TlsAuth auth_of(std::string_view v) {
    if (v == "PEER") return hal::TlsAuth::Peer;
    if (v == "ALL") return hal::TlsAuth::Mutual;
    return hal::TlsAuth::None;
}

hal::TlsVersion version_of(std::string_view v) {
    if (v == "SSL3.0") return hal::TlsVersion::Ssl30;
    if (v == "TLS1.0") return hal::TlsVersion::Tls10;
    if (v == "TLS1.1") return hal::TlsVersion::Tls11;
    if (v == "TLS1.2") return hal::TlsVersion::Tls12;
    return hal::TlsVersion::Any;
}

} // namespace

TlsSettings TlsSettings::from(const params::Store& saved) {
    TlsSettings s;
    s.enabled = saved.on("SSLEN");
    s.auth = auth_of(saved.text("SSLAUTH"));
    s.version = version_of(saved.text("SSLVER"));
    s.sni = saved.on("SSLCFG");
    // AT+SSLCRT=<code>,<content> is stored under SSLCRT<code> (write-only row).
    s.ca_pem = std::string(saved.text("SSLCRT0", 1));
    s.cert_pem = std::string(saved.text("SSLCRT1", 1));
    s.key_pem = std::string(saved.text("SSLCRT2", 1));
    return s;
}

hal::TlsParams TlsSettings::params() const {
    hal::TlsParams p;
    p.auth = auth;
    p.version = version;
    p.sni = sni;
    p.ca_pem = ca_pem;
    p.cert_pem = cert_pem;
    p.key_pem = key_pem;
    return p;
}

} // namespace dtu::device
