#include "sim/scenario/tls_spec.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>

namespace dtu::sim::scenario {
namespace {

namespace fs = std::filesystem;

/// The PEM file a field names, relative to the scenario file; nullopt (reported) when it cannot be
/// read or is not PEM text.
std::optional<std::pair<std::string, std::string>> read_pem_file(const Context& ctx, const Field& f) {
    const auto name = read_string(ctx, f);
    if (!name) return std::nullopt;
    const Context in = f.in(ctx);
    fs::path path(*name);
    if (path.is_relative()) path = fs::path(ctx.file()).parent_path() / path;
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        in.error(f.pos(), "cannot read '" + path.string() + "': " + std::strerror(errno));
        return std::nullopt;
    }
    std::ostringstream text;
    text << file.rdbuf();
    const std::string pem = text.str();
    // A PEM block at least (the TLS stack judges the rest: see parse_tls_spec).
    const auto begin = pem.find("-----BEGIN ");
    if (begin == std::string::npos || pem.find("-----END ", begin) == std::string::npos) {
        in.error(f.pos(), "'" + path.string() + "' is not PEM (no -----BEGIN ... -----END block)");
        return std::nullopt;
    }
    return std::make_pair(*name, pem);
}

} // namespace

std::optional<TlsServerSpec> parse_tls_spec(const Context& ctx, const Field& f) {
    const Context in = f.in(ctx);
    if (!expect_map(in, f.value, f.pos(), "cert, key, client_ca")) return std::nullopt;
    const MapFields fields(in, f.value, {"cert", "key", "client_ca"});
    const std::size_t errors = in.error_count();
    TlsServerSpec spec;
    const auto take = [&](std::string_view key, bool required, std::string& file, std::string& pem) {
        const Field* field = required ? fields.require(key) : fields.find(key);
        if (!field) return;
        if (auto read = read_pem_file(in, *field)) std::tie(file, pem) = std::move(*read);
    };
    take("cert", true, spec.cert_file, spec.cert_pem);
    take("key", true, spec.key_file, spec.key_pem);
    take("client_ca", false, spec.client_ca_file, spec.client_ca_pem);
    if (in.error_count() != errors) return std::nullopt;
    // What only the TLS stack can judge: base64, the key matching the certificate.
    const auto ctx_result = hal_sim::build_tls_server_context(tls_server_config(spec));
    if (!ctx_result) {
        in.error(f.pos(), ctx_result.error);
        return std::nullopt;
    }
    return spec;
}

hal_sim::TlsServerConfig tls_server_config(const TlsServerSpec& spec) {
    return {spec.cert_pem, spec.key_pem, spec.client_ca_pem};
}

namespace {
QString q(const std::string& s) { return QString::fromStdString(s); }
} // namespace

QJsonObject tls_spec_to_json(const TlsServerSpec& spec) {
    return {{"cert", q(spec.cert_file)},           {"key", q(spec.key_file)},
            {"client_ca", q(spec.client_ca_file)}, {"cert_pem", q(spec.cert_pem)},
            {"key_pem", q(spec.key_pem)},          {"client_ca_pem", q(spec.client_ca_pem)}};
}

std::optional<TlsServerSpec> tls_spec_from_json(const QJsonObject& json) {
    if (!json["cert_pem"].isString() || !json["key_pem"].isString()) return std::nullopt;
    TlsServerSpec spec;
    spec.cert_file = json["cert"].toString().toStdString();
    spec.key_file = json["key"].toString().toStdString();
    spec.client_ca_file = json["client_ca"].toString().toStdString();
    spec.cert_pem = json["cert_pem"].toString().toStdString();
    spec.key_pem = json["key_pem"].toString().toStdString();
    spec.client_ca_pem = json["client_ca_pem"].toString().toStdString();
    return spec;
}

} // namespace dtu::sim::scenario
