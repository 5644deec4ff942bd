#include "dtu/params/nvram_codec.hpp"

#include "dtu/at/text.hpp"

namespace dtu::params {
namespace {

constexpr char kSep = '\x1F';
constexpr std::string_view kMagic = "DTU-NVRAM ";
constexpr char kHex[] = "0123456789ABCDEF";

void escape_into(std::string& out, std::string_view v) {
    for (const char c : v) {
        const auto b = static_cast<unsigned char>(c);
        if (c == '\\') {
            out += "\\\\";
        } else if (b < 0x20 || b == 0x7F) {
            out += "\\x";
            out += kHex[b >> 4];
            out += kHex[b & 0xF];
        } else {
            out.push_back(c);
        }
    }
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool unescape(std::string_view in, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '\\') {
            out.push_back(in[i]);
            continue;
        }
        if (i + 1 < in.size() && in[i + 1] == '\\') {
            out.push_back('\\');
            ++i;
            continue;
        }
        if (i + 3 >= in.size() || in[i + 1] != 'x') return false;
        const int hi = hex_digit(in[i + 2]);
        const int lo = hex_digit(in[i + 3]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 3;
    }
    return true;
}

bool parse_entry(std::string_view line, std::pair<std::string, Values>& entry) {
    const auto eq = line.find('=');
    if (eq == 0 || eq == std::string_view::npos) return false;
    entry.first.assign(line.substr(0, eq));
    entry.second.clear();
    std::string_view rest = line.substr(eq + 1);
    for (;;) {
        const auto sep = rest.find(kSep);
        std::string value;
        if (!unescape(rest.substr(0, sep), value)) return false;
        entry.second.push_back(std::move(value));
        if (sep == std::string_view::npos) return true;
        rest.remove_prefix(sep + 1);
    }
}

/// Take the next '\n'-terminated line off text; false if there is no complete line.
bool next_line(std::string_view& text, std::string_view& line) {
    const auto nl = text.find('\n');
    if (nl == std::string_view::npos) return false;
    line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    return true;
}

std::string hex32(std::uint32_t v) {
    std::string s(8, '0');
    for (int i = 7; i >= 0; --i, v >>= 4)
        s[static_cast<std::size_t>(i)] = kHex[v & 0xF];
    return s;
}

} // namespace

std::uint32_t crc32(std::string_view data) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (const char c : data) {
        crc ^= static_cast<unsigned char>(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

std::string encode_nvram(const Store& store, std::string_view profile) {
    std::string body;
    for (const auto& [key, values] : store.all()) {
        body += key;
        body += '=';
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i) body += kSep;
            escape_into(body, values[i]);
        }
        body += '\n';
    }
    std::string out(kMagic);
    out += std::to_string(kNvramVersion) + "\nprofile ";
    out += profile;
    out += "\ncrc32 " + hex32(crc32(body)) + "\n";
    return out + body;
}

DecodeResult decode_nvram(std::string_view blob, std::string_view profile) {
    DecodeResult r;
    if (blob.empty()) return r;
    std::string_view magic, prof, crc;
    if (!next_line(blob, magic) || !next_line(blob, prof) || !next_line(blob, crc) ||
        magic.substr(0, kMagic.size()) != kMagic || prof.substr(0, 8) != "profile " ||
        crc.substr(0, 6) != "crc32 ") {
        r.status = DecodeStatus::BadHeader;
        return r;
    }
    if (at::parse_decimal(magic.substr(kMagic.size())) != kNvramVersion) {
        r.status = DecodeStatus::WrongVersion;
    } else if (prof.substr(8) != profile) {
        r.status = DecodeStatus::WrongProfile;
    } else if (crc.substr(6) != hex32(crc32(blob))) {
        r.status = DecodeStatus::BadChecksum;
    } else {
        r.status = DecodeStatus::Ok;
        std::string_view line;
        while (r.status == DecodeStatus::Ok && next_line(blob, line)) {
            std::pair<std::string, Values> entry;
            if (parse_entry(line, entry))
                r.entries.push_back(std::move(entry));
            else
                r.status = DecodeStatus::BadLine;
        }
        if (!blob.empty()) r.status = DecodeStatus::BadLine;
    }
    if (r.status != DecodeStatus::Ok) r.entries.clear();
    return r;
}

std::string_view describe(DecodeStatus status) {
    switch (status) {
    case DecodeStatus::Ok: return "ok";
    case DecodeStatus::Empty: return "no saved parameters";
    case DecodeStatus::BadHeader: return "not a dtu-sim NVRAM image (bad header)";
    case DecodeStatus::WrongVersion: return "NVRAM image of an unknown format version";
    case DecodeStatus::WrongProfile: return "NVRAM image belongs to another device profile";
    case DecodeStatus::BadChecksum: return "NVRAM image is corrupt (checksum mismatch)";
    case DecodeStatus::BadLine: return "NVRAM image is corrupt (malformed entry)";
    }
    return "unknown";
}

} // namespace dtu::params
