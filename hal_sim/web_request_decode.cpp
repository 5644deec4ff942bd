#include "hal_sim/web_request_decode.hpp"

#include <cctype>

#include <QByteArray>
#include <boost/beast/core/detail/base64.hpp>

#include "dtu/at/text.hpp"

namespace dtu::hal_sim {
namespace {

std::string decoded(std::string_view part) {
    QByteArray bytes(part.data(), static_cast<qsizetype>(part.size()));
    bytes.replace('+', ' '); // a form's space; a real '+' comes as %2B
    const QByteArray out = QByteArray::fromPercentEncoding(bytes);
    return std::string(out.constData(), static_cast<std::size_t>(out.size()));
}

} // namespace

bool basic_credentials(std::string_view header, BasicCredentials& out) {
    // RFC 7617 §2: "Basic" (any case), blanks, the token; Beast has trimmed the header value.
    const std::size_t space = header.find_first_of(" \t");
    if (space == std::string_view::npos || !at::iequals(header.substr(0, space), "Basic")) return false;
    const std::size_t start = header.find_first_not_of(" \t", space);
    const std::string_view token =
        start == std::string_view::npos ? std::string_view() : header.substr(start);
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
    for (std::size_t pct = text.find('%'); pct != std::string_view::npos; pct = text.find('%', pct + 1))
        if (pct + 2 >= text.size() || !hex(text[pct + 1]) || !hex(text[pct + 2])) return false;
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
