#include "hal_sim/tls_server_session.hpp"

#include <utility>

#include <openssl/err.h>

namespace dtu::hal_sim {

TlsContextResult build_tls_server_context(const TlsServerConfig& config) {
    TlsContextResult out;
    ERR_clear_error();
    SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()), &SSL_CTX_free);
    if (!ctx) {
        out.error = "cannot create a TLS server context";
        ERR_clear_error();
        return out;
    }
    SSL_CTX* c = ctx.get();
    // As the client contexts (tls_context.hpp): TLS 1.0 and 1.1 and old certificates need level 0.
    SSL_CTX_set_security_level(c, 0);
    if (SSL_CTX_set_cipher_list(c, "DEFAULT:@SECLEVEL=0") != 1 ||
        SSL_CTX_set_min_proto_version(c, TLS1_VERSION) != 1) {
        out.error = "cannot configure the TLS server context";
        ERR_clear_error();
        return out;
    }
    SSL_CTX_set_options(c, SSL_OP_NO_COMPRESSION | SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF); // every connection a full handshake
    if (!use_identity(c, config.cert_chain_pem, config.key_pem,
                      {"server certificate chain", "server key", "server"}, out.error))
        return out;
    if (!config.client_ca_pem.empty() &&
        !trust_certificates(c, config.client_ca_pem, "client CA certificate", out.error))
        return out;
    ERR_clear_error();
    out.ctx = std::move(ctx);
    return out;
}

} // namespace dtu::hal_sim
