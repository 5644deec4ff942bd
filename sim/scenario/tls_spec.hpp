#pragma once
// `tls:` of a scenario's server (and broker): TLS in front of the peer, what it presents read from
// PEM files the scenario names (scenarios/README.md "The file"):
//
//   tls:
//     cert: certs/server.pem      # the server's certificate, then its intermediates (PEM)
//     key: certs/server.key       # its unencrypted private key (PEM)
//     client_ca: certs/ca.pem     # optional: ask for a client certificate signed by this CA
//
// Paths are relative to the scenario file's folder. A missing file, one that is not PEM, a key that
// does not match the certificate: an error at the field (file:line:column).
#include <optional>

#include <QJsonObject>

#include "hal_sim/tls_server_session.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_fields.hpp"

namespace dtu::sim::scenario {

/// The `tls:` map at f; nullopt (errors reported) if anything is wrong.
std::optional<TlsServerSpec> parse_tls_spec(const Context& ctx, const Field& f);

/// What the in-process server presents.
hal_sim::TlsServerConfig tls_server_config(const TlsServerSpec& spec);

/// A trace header's form ({cert, key, client_ca, cert_pem, key_pem, client_ca_pem}: the text
/// itself, so a replay needs no files) and back (nullopt if a field is missing).
QJsonObject tls_spec_to_json(const TlsServerSpec& spec);
std::optional<TlsServerSpec> tls_spec_from_json(const QJsonObject& json);

} // namespace dtu::sim::scenario
