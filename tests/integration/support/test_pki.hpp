#pragma once
// A throw-away PKI for TLS tests, made with the `openssl` command line when a test first asks for
// it (once per test binary run) in a temporary directory that is removed at exit. EC P-256 keys
// (fast to make); every leaf certificate is signed by `ca` unless said otherwise.
#include <filesystem>
#include <string>
#include <string_view>

namespace dtu::itest {

/// A certificate and its private key, as files (for openssl s_server, mosquitto) and as PEM text
/// (for AT+SSLCRT through at_escaped, or hal::TlsParams).
struct PkiIdentity {
    std::filesystem::path cert_file, key_file;
    std::string cert_pem, key_pem;
};

struct TestPki {
    std::filesystem::path dir;
    PkiIdentity ca;         ///< the CA the device trusts (self-signed, CN "dtu-sim test CA")
    PkiIdentity other_ca;   ///< an unrelated CA (self-signed): the wrong CA for `server`
    PkiIdentity server;     ///< CN localhost, SAN DNS:localhost and IP:127.0.0.1, serverAuth
    PkiIdentity expired;    ///< as `server`, valid only in January 2020
    PkiIdentity wrong_host; ///< CN and SAN DNS:wrong.example (no IP)
    PkiIdentity client;     ///< CN dtu-device, clientAuth: the device's certificate for AT+SSLAUTH=ALL
};

/// The PKI, generated on the first call (throws std::runtime_error naming the failed openssl step).
const TestPki& test_pki();

/// PEM text escaped for AT+SSLCRT=<code>,<content> (GAP-24): every line break becomes [0D][0A]
/// (crlf) or [0A]; an existing CR LF counts as one line break.
std::string at_escaped(std::string_view pem, bool crlf = true);

} // namespace dtu::itest
