#pragma once
// The request HTTPD client mode builds from one serial frame (732 §2.1.2, G771 §2.3; spec httpd.md
// §3.2, GAP-09). Byte for byte:
//
//   GET:  "GET " URL FRAME " HTTP/1.1" CRLF  "Host: " HOST CRLF  HEADERS  CRLF
//   POST: "POST " URL " HTTP/1.1" CRLF  "Host: " HOST CRLF  HEADERS
//         "Content-Length: " len(FRAME) CRLF  CRLF  FRAME
//
// FRAME is the serial frame as received (not URL-encoded); HOST is the HTPSV address, with
// ":port" when the port is not 80; HEADERS is the decoded HTPHD (already ending with CR LF).
#include <cstdint>
#include <string>
#include <string_view>

namespace dtu::http {

enum class Method : std::uint8_t { Get, Post };

/// Where and how a request goes (the parts of the request that do not depend on the frame).
struct Target {
    Method method = Method::Get;
    std::string url;  ///< AT+HTPURL, escapes decoded ([3F] -> ?)
    std::string host; ///< AT+HTPSV address (name or IP)
    std::uint16_t port = 80;
    std::string headers; ///< AT+HTPHD, decoded; empty, or ending with CR LF
};

/// The Host header's value for the target.
std::string host_header(const Target& target);

/// The whole request for one frame, ready for one write.
std::string build_request(const Target& target, std::string_view frame);

/// A request that can hold at most max bytes (7S4 §2.1.2: 1000; 0 = no limit). When the request
/// for the whole frame is longer, the frame's tail is left out, so the request stays well-formed
/// (its Content-Length counts what is sent). cut = frame bytes left out. A target that does not fit
/// even with an empty frame sends no frame byte at all.
std::string build_request_within(const Target& target, std::string_view frame, std::size_t max,
                                 std::size_t& cut);

} // namespace dtu::http
