#pragma once
// HAL: the module's SSL/TLS settings for one connection (G771 §2.6.2, spec mqtt.md §9). The
// firmware stores the certificates (AT+SSLCRT) and hands them over at each connect; the module's
// TLS stack (OpenSSL in hal_sim) does the handshake and the verification.
#include <cstdint>
#include <string_view>

namespace dtu::hal {

/// AT+SSLAUTH.
enum class TlsAuth : std::uint8_t {
    None,   ///< encrypt only: the server certificate is not checked
    Peer,   ///< verify the server: chain to the CA certificate, validity dates, host name
    Mutual, ///< Peer, and present the client certificate and key
};

/// AT+SSLVER: the versions offered. OpenSSL 3 decides what is really possible (see hal_sim).
enum class TlsVersion : std::uint8_t { Any, Ssl30, Tls10, Tls11, Tls12 };

/// Views are valid only during the call that takes them.
struct TlsParams {
    TlsAuth auth = TlsAuth::None;
    TlsVersion version = TlsVersion::Any;
    bool sni = false;          ///< send the host name in the ClientHello (AT+SSLCFG field 1)
    std::string_view ca_pem;   ///< AT+SSLCRT=0: the server's root certificate (PEM)
    std::string_view cert_pem; ///< AT+SSLCRT=1: the client certificate (PEM)
    std::string_view key_pem;  ///< AT+SSLCRT=2: the client private key (PEM)
};

} // namespace dtu::hal
