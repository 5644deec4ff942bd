#include "dtu/http/request.hpp"

namespace dtu::http {

std::string host_header(const Target& target) {
    // RFC 9110 §7.2: the port is left out when it is the scheme's default (80).
    if (target.port == 80) return target.host;
    return target.host + ":" + std::to_string(target.port);
}

std::string build_request(const Target& target, std::string_view frame) {
    const bool get = target.method == Method::Get;
    std::string r;
    r.reserve(64 + target.url.size() + target.host.size() + target.headers.size() + frame.size());
    // 732 §2.1.2: "GET /1.php?data=www.usr.cn HTTP/1.1" — the frame is appended to the URL.
    r += get ? "GET " : "POST ";
    r += target.url;
    if (get) r += frame;
    r += " HTTP/1.1\r\n";
    r += "Host: " + host_header(target) + "\r\n";
    r += target.headers;
    if (!get) r += "Content-Length: " + std::to_string(frame.size()) + "\r\n";
    r += "\r\n";
    if (!get) r += frame;
    return r;
}

} // namespace dtu::http
