#pragma once
// The parts of an HTTP request the board's web server decodes for the firmware (hal::WebRequest):
// "Authorization: Basic" credentials (RFC 7617) and query / application/x-www-form-urlencoded
// fields (WHATWG URL "application/x-www-form-urlencoded parsing": '&' between fields, '+' a space,
// percent escapes). The decoding itself is Beast's base64 and Qt's percent-decoding.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dtu::hal_sim {

struct BasicCredentials {
    std::string user;
    std::string password;
};

/// The credentials of an Authorization header value ("Basic dXNlcjpwYXNz"); false when it is no
/// Basic one or does not decode to "user:password".
bool basic_credentials(std::string_view header, BasicCredentials& out);

/// The fields of a query or form body, decoded, in order, appended to out; a field without '=' has
/// an empty value, empty fields ("a=1&&b=2") are skipped. False (out unchanged): a '%' that is not
/// followed by two hex digits, a malformed form.
bool form_fields(std::string_view text, std::vector<std::pair<std::string, std::string>>& out);

} // namespace dtu::hal_sim
