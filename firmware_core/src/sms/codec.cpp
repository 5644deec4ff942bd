#include "dtu/sms/codec.hpp"

#include <algorithm>

namespace dtu::sms {
namespace {

// TS 23.038 §6.2.1: the GSM 7-bit default alphabet (0x1B is the escape to the extension table).
constexpr char32_t kGsmBasic[128] = {
    U'@', U'£', U'$', U'¥', U'è', U'é', U'ù', U'ì',  U'ò', U'Ç', U'\n', U'Ø',   U'ø', U'\r', U'Å', U'å',
    U'Δ', U'_', U'Φ', U'Γ', U'Λ', U'Ω', U'Π', U'Ψ',  U'Σ', U'Θ', U'Ξ',  0xFFFF, U'Æ', U'æ',  U'ß', U'É',
    U' ', U'!', U'"', U'#', U'¤', U'%', U'&', U'\'', U'(', U')', U'*',  U'+',   U',', U'-',  U'.', U'/',
    U'0', U'1', U'2', U'3', U'4', U'5', U'6', U'7',  U'8', U'9', U':',  U';',   U'<', U'=',  U'>', U'?',
    U'¡', U'A', U'B', U'C', U'D', U'E', U'F', U'G',  U'H', U'I', U'J',  U'K',   U'L', U'M',  U'N', U'O',
    U'P', U'Q', U'R', U'S', U'T', U'U', U'V', U'W',  U'X', U'Y', U'Z',  U'Ä',   U'Ö', U'Ñ',  U'Ü', U'§',
    U'¿', U'a', U'b', U'c', U'd', U'e', U'f', U'g',  U'h', U'i', U'j',  U'k',   U'l', U'm',  U'n', U'o',
    U'p', U'q', U'r', U's', U't', U'u', U'v', U'w',  U'x', U'y', U'z',  U'ä',   U'ö', U'ñ',  U'ü', U'à',
};
// TS 23.038 §6.2.1.1: the extension table (each costs the escape septet too).
constexpr char32_t kGsmExtension[] = {U'\f', U'^', U'{', U'}', U'\\', U'[', U'~', U']', U'|', U'€'};

struct CodePoint {
    char32_t value;
    std::size_t bytes;
};

/// The code point starting at text[pos], if the bytes there are well-formed UTF-8.
std::optional<CodePoint> decode(std::string_view text, std::size_t pos) {
    const auto b0 = static_cast<unsigned char>(text[pos]);
    if (b0 < 0x80) return CodePoint{b0, 1};
    std::size_t n = 0;
    char32_t cp = 0, min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        n = 2, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        n = 3, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        n = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
        return std::nullopt;
    }
    if (pos + n > text.size()) return std::nullopt;
    for (std::size_t i = 1; i < n; ++i) {
        const auto b = static_cast<unsigned char>(text[pos + i]);
        if ((b & 0xC0) != 0x80) return std::nullopt;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    return CodePoint{cp, n};
}

bool in_basic(char32_t c) {
    return std::find(std::begin(kGsmBasic), std::end(kGsmBasic), c) != std::end(kGsmBasic);
}
bool in_extension(char32_t c) {
    return std::find(std::begin(kGsmExtension), std::end(kGsmExtension), c) != std::end(kGsmExtension);
}

/// Units one character (starting at pos) costs in encoding, and its size in bytes.
CodePoint cost(hal::SmsEncoding encoding, std::string_view text, std::size_t pos) {
    if (encoding == hal::SmsEncoding::Data8) return {1, 1};
    const auto cp = decode(text, pos);
    if (!cp) return {1, 1}; // callers validate first; count a stray byte as one unit
    if (encoding == hal::SmsEncoding::Ucs2) return {cp->value > 0xFFFF ? 2u : 1u, cp->bytes};
    return {in_extension(cp->value) ? 2u : 1u, cp->bytes};
}

} // namespace

Capacity capacity(hal::SmsEncoding encoding) {
    switch (encoding) {
    case hal::SmsEncoding::Gsm7: return {160, 153};
    case hal::SmsEncoding::Data8: return {140, 134};
    case hal::SmsEncoding::Ucs2: return {70, 67};
    }
    return {160, 153};
}

bool valid_utf8(std::string_view text) {
    for (std::size_t pos = 0; pos < text.size();) {
        const auto cp = decode(text, pos);
        if (!cp) return false;
        pos += cp->bytes;
    }
    return true;
}

bool gsm7_encodable(std::string_view text) {
    for (std::size_t pos = 0; pos < text.size();) {
        const auto cp = decode(text, pos);
        if (!cp || (!in_basic(cp->value) && !in_extension(cp->value)) || cp->value == 0xFFFF) return false;
        pos += cp->bytes;
    }
    return true;
}

hal::SmsEncoding choose_encoding(std::string_view bytes) {
    if (!valid_utf8(bytes)) return hal::SmsEncoding::Data8;
    return gsm7_encodable(bytes) ? hal::SmsEncoding::Gsm7 : hal::SmsEncoding::Ucs2;
}

std::size_t length_in(hal::SmsEncoding encoding, std::string_view text) {
    std::size_t units = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const CodePoint c = cost(encoding, text, pos);
        units += c.value;
        pos += c.bytes;
    }
    return units;
}

std::vector<std::string> split(hal::SmsEncoding encoding, std::string_view text, LongMessage how) {
    const Capacity cap = capacity(encoding);
    if (length_in(encoding, text) <= cap.single) return {std::string(text)};
    const std::size_t per_part = how == LongMessage::Concatenated ? cap.concatenated : cap.single;
    std::vector<std::string> parts(1);
    std::size_t used = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const CodePoint c = cost(encoding, text, pos);
        if (used + c.value > per_part) {
            parts.emplace_back();
            used = 0;
        }
        parts.back().append(text.substr(pos, c.bytes));
        used += c.value;
        pos += c.bytes;
    }
    return parts;
}

std::optional<Reassembler::Message> Reassembler::add(const hal::SmsSegment& segment, std::uint64_t now_ms) {
    expire(now_ms);
    if (segment.total <= 1) return Message{segment.number, segment.encoding, segment.text, 1};
    if (segment.seq == 0 || segment.seq > segment.total) {
        ++dropped_; // TS 23.040: a part number outside 1..total makes the part unusable
        return std::nullopt;
    }
    auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Pending& p) {
        return p.number == segment.number && p.ref == segment.ref && p.parts.size() == segment.total;
    });
    if (it == pending_.end()) {
        if (pending_.size() == kMaxPending) {
            pending_.erase(pending_.begin()); // the oldest gives way
            ++dropped_;
        }
        pending_.push_back(Pending{segment.number, segment.ref, segment.encoding,
                                   std::vector<std::optional<std::string>>(segment.total), now_ms});
        it = pending_.end() - 1;
    }
    it->parts[segment.seq - 1] = segment.text; // a repeated part replaces the earlier copy
    it->last_ms = now_ms;
    if (std::any_of(it->parts.begin(), it->parts.end(), [](const auto& p) { return !p; }))
        return std::nullopt;
    Message m{it->number, it->encoding, {}, it->parts.size()};
    for (const auto& p : it->parts)
        m.text += *p;
    pending_.erase(it);
    return m;
}

std::size_t Reassembler::expire(std::uint64_t now_ms) {
    const auto old = [now_ms](const Pending& p) { return now_ms >= p.last_ms + kTimeoutMs; };
    const auto n = static_cast<std::size_t>(std::count_if(pending_.begin(), pending_.end(), old));
    pending_.erase(std::remove_if(pending_.begin(), pending_.end(), old), pending_.end());
    dropped_ += n;
    return n;
}

} // namespace dtu::sms
