#include "sim/scenario/hex.hpp"

#include <cctype>

#include <QByteArray>

namespace dtu::sim::scenario {

std::optional<std::string> decode_hex(std::string_view text, std::string& error) {
    QByteArray digits;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ') continue;
        if (std::isxdigit(static_cast<unsigned char>(c)) == 0) {
            error =
                "'" + std::string(1, c) + "' at position " + std::to_string(i + 1) + " is not a hex digit";
            return std::nullopt;
        }
        digits += c;
    }
    if (digits.size() % 2 != 0) {
        error = "an odd number of hex digits (" + std::to_string(digits.size()) + "): two digits per byte";
        return std::nullopt;
    }
    return QByteArray::fromHex(digits).toStdString();
}

} // namespace dtu::sim::scenario
