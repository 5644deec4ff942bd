#pragma once
// The server side of TLS for in-process peers (a scenario's `tls:` server, the broker model): the
// SSL_CTX a server presents, built from PEM text. Its sessions are TlsSession::server() over memory
// BIOs, as the module's client sessions are; TlsServerPeer (tls_server_peer.hpp) runs them in front
// of a plaintext peer.
//
// The context takes what the module's TLS client can speak (tls_context.hpp: TLS 1.0 to 1.2 at
// security level 0), so AT+SSLVER=TLS1.0 works against it as against a permissive real server.
#include <string>

#include "hal_sim/tls_context.hpp"

namespace dtu::hal_sim {

/// What an in-process TLS server presents, as PEM text.
struct TlsServerConfig {
    std::string cert_chain_pem; ///< the server's certificate first, then its intermediates
    std::string key_pem;        ///< its unencrypted private key
    /// Non-empty: the server asks for a client certificate (AT+SSLAUTH=ALL presents one), verifies it
    /// against these CA certificates and refuses a handshake without one.
    std::string client_ca_pem;
};

/// The server context for config; error says which text is at fault ("server certificate chain is
/// not valid PEM: no start line", "server key does not match server certificate"). Never throws;
/// OpenSSL's error queue is left empty.
TlsContextResult build_tls_server_context(const TlsServerConfig& config);

} // namespace dtu::hal_sim
