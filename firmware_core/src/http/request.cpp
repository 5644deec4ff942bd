#include "dtu/http/request.hpp"

#include <algorithm>

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

std::string build_request_within(const Target& target, std::string_view frame, std::size_t max,
                                 std::size_t& cut) {
    std::string request = build_request(target, frame);
    std::size_t keep = frame.size();
    if (max == 0 || request.size() <= max) {
        cut = 0;
        return request;
    }
    // Cut what is over; POST's Content-Length may lose a digit on the way, so cut again or give
    // the byte back until the request is as long as it may be.
    while (request.size() > max && keep > 0) {
        keep -= std::min(keep, request.size() - max);
        request = build_request(target, frame.substr(0, keep));
    }
    while (keep < frame.size()) {
        std::string longer = build_request(target, frame.substr(0, keep + 1));
        if (longer.size() > max) break;
        request = std::move(longer);
        ++keep;
    }
    cut = frame.size() - keep;
    return request;
}

} // namespace dtu::http
