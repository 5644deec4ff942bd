#include "dtu/at/text.hpp"

namespace dtu::at {
namespace {

char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    const char u = upper(c);
    if (u >= 'A' && u <= 'F') return u - 'A' + 10;
    return -1;
}

} // namespace

std::string to_upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = upper(c);
    return out;
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (upper(a[i]) != upper(b[i])) return false;
    return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string decode_escapes(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '[' && i + 3 < s.size() && s[i + 3] == ']') {
            const int hi = hex_value(s[i + 1]);
            const int lo = hex_value(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.push_back(static_cast<char>(hi * 16 + lo));
                i += 3;
                continue;
            }
        }
        out.push_back(s[i]);
    }
    return out;
}

std::string encode_escapes(std::string_view s, std::string_view also) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b == 0x7F || also.find(c) != std::string_view::npos) {
            out += '[';
            out += kHex[b >> 4];
            out += kHex[b & 0xF];
            out += ']';
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::vector<std::string_view> split_fields(std::string_view para, std::size_t max_fields) {
    std::vector<std::string_view> fields;
    while (fields.size() + 1 < max_fields) {
        const auto comma = para.find(',');
        if (comma == std::string_view::npos) break;
        fields.push_back(para.substr(0, comma));
        para.remove_prefix(comma + 1);
    }
    fields.push_back(para);
    return fields;
}

std::string_view unquote(std::string_view field) {
    const auto first = field.find_first_not_of(' ');
    if (first != std::string_view::npos && field[first] == '"') field.remove_prefix(first);
    if (field.size() >= 2 && field.front() == '"' && field.back() == '"')
        return field.substr(1, field.size() - 2);
    return field;
}

std::optional<std::string_view> prefixed_command(std::string_view text, std::string_view password) {
    if (password.empty() || text.substr(0, password.size()) != password) return std::nullopt;
    text.remove_prefix(password.size());
    if (!istarts_with(text, "AT")) return std::nullopt;
    if (text.size() >= 2 && text.substr(text.size() - 2) == "\r\n") return text.substr(0, text.size() - 2);
    if (!text.empty() && (text.back() == '\r' || text.back() == '\n')) return text.substr(0, text.size() - 1);
    return std::nullopt;
}

std::optional<std::int64_t> parse_decimal(std::string_view s) {
    if (s.empty() || s.size() > 12) return std::nullopt;
    std::int64_t v = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

} // namespace dtu::at
