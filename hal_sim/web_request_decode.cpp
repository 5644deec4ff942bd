#include "hal_sim/web_request_decode.hpp"

#include <algorithm>
#include <cctype>

#include <QByteArray>
#include <boost/beast/core/detail/base64.hpp>

namespace dtu::hal_sim {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::string decoded(std::string_view part) {
    QByteArray bytes(part.data(), static_cast<qsizetype>(part.size()));
    bytes.replace('+', ' '); // a form's space; a real '+' comes as %2B
    const QByteArray out = QByteArray::fromPercentEncoding(bytes);
    return std::string(out.constData(), static_cast<std::size_t>(out.size()));
}

} // namespace

bool basic_credentials(std::string_view header, BasicCredentials& out) {
    header = trim(header);
    const std::size_t space = header.find(' ');
    if (space == std::string_view::npos || !iequals(header.substr(0, space), "Basic")) return false;
    const std::string_view token = trim(header.substr(space + 1));
    namespace base64 = boost::beast::detail::base64;
    std::string text(base64::decoded_size(token.size()), '\0');
    const auto [written, read] = base64::decode(text.data(), token.data(), token.size());
    // Beast stops at the padding or at a character that is not base64: only padding may be left.
    const std::string_view rest = token.substr(read);
    if (token.empty() || rest.size() > 2 || rest.find_first_not_of('=') != std::string_view::npos)
        return false;
    text.resize(written);
    const std::size_t colon = text.find(':');
    if (colon == std::string::npos) return false;
    out.user = text.substr(0, colon);
    out.password = text.substr(colon + 1);
    return true;
}

bool form_fields(std::string_view text, std::vector<std::pair<std::string, std::string>>& out) {
    const auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
    for (std::size_t at = text.find('%'); at != std::string_view::npos; at = text.find('%', at + 1))
        if (at + 2 >= text.size() || !hex(text[at + 1]) || !hex(text[at + 2])) return false;
    while (!text.empty()) {
        const std::size_t amp = text.find('&');
        const std::string_view field = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
        if (field.empty()) continue;
        const std::size_t eq = field.find('=');
        out.emplace_back(decoded(field.substr(0, eq)),
                         eq == std::string_view::npos ? std::string() : decoded(field.substr(eq + 1)));
    }
    return true;
}

} // namespace dtu::hal_sim
