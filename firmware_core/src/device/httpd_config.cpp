#include "httpd_config.hpp"

namespace dtu::device {
namespace {

/// 732 §2.1.2 / §3.1.7.59: the header text "must end with [0D][0A]". A user who leaves the last
/// CR LF out would otherwise get a request with no blank line, which no server answers; so it is
/// added (docs/behaviour-choices.md "HTTPD").
std::string terminated(std::string headers) {
    const bool ends = headers.size() >= 2 && headers.compare(headers.size() - 2, 2, "\r\n") == 0;
    if (!headers.empty() && !ends) headers += "\r\n";
    return headers;
}

} // namespace

HttpdConfig HttpdConfig::from(const params::Store& saved) {
    HttpdConfig c;
    // Text rows are stored decoded ([0D][0A] -> CR LF), enumerations in canonical spelling.
    c.target.method = saved.is("HTPTP", 0, "POST") ? http::Method::Post : http::Method::Get;
    c.target.url = std::string(saved.text("HTPURL"));
    c.target.host = std::string(saved.text("HTPSV", 0));
    c.target.port = static_cast<std::uint16_t>(saved.number("HTPSV", 1, 80));
    c.target.headers = terminated(std::string(saved.text("HTPHD")));
    c.body_only = saved.on("HTPPK");
    c.timeout_ms = static_cast<std::uint32_t>(saved.number("HTPTIM", 0, 10)) * 1000;
    c.tls = TlsSettings::from(saved);
    return c;
}

} // namespace dtu::device
