#include "dtu/udc/frame.hpp"

namespace dtu::udc {
namespace {

void put16(std::string& out, std::size_t v) {
    out.push_back(static_cast<char>((v >> 8) & 0xFF));
    out.push_back(static_cast<char>(v & 0xFF));
}

std::size_t get16(std::string_view s, std::size_t at) {
    return (static_cast<std::size_t>(static_cast<unsigned char>(s[at])) << 8) |
           static_cast<unsigned char>(s[at + 1]);
}

/// Four address bytes of a dotted quad, or four zero bytes.
std::string ip_bytes(std::string_view ip) {
    std::string out;
    unsigned value = 0;
    std::size_t digits = 0;
    for (std::size_t i = 0; i <= ip.size(); ++i) {
        const bool end = i == ip.size() || ip[i] == '.';
        if (!end) {
            if (ip[i] < '0' || ip[i] > '9' || ++digits > 3) return std::string(4, '\0');
            value = value * 10 + static_cast<unsigned>(ip[i] - '0');
            continue;
        }
        if (digits == 0 || value > 255) return std::string(4, '\0');
        out.push_back(static_cast<char>(value));
        value = 0;
        digits = 0;
    }
    return out.size() == 4 ? out : std::string(4, '\0');
}

} // namespace

std::string device_id(std::string_view entered) {
    if (entered.size() >= kIdBytes) return std::string(entered.substr(0, kIdBytes));
    return std::string(kIdBytes - entered.size(), '0') + std::string(entered);
}

std::string encode(std::uint8_t type, std::string_view id, std::string_view body) {
    body = body.substr(0, kMaxFrame - kMinFrame);
    std::string out;
    out.reserve(kMinFrame + body.size());
    out.push_back(kFlag);
    out.push_back(static_cast<char>(type));
    put16(out, kMinFrame + body.size());
    out += device_id(id);
    out += body;
    out.push_back(kFlag);
    return out;
}

std::string login(std::string_view id, std::string_view ip, std::uint16_t port) {
    std::string body = ip_bytes(ip);
    put16(body, port);
    return encode(kLogin, id, body);
}

void Decoder::feed(std::string_view bytes) { buffer_.append(bytes); }

void Decoder::skip(std::size_t n) {
    skipped_ += n;
    buffer_.erase(0, n);
}

std::optional<Frame> Decoder::next() {
    for (;;) {
        const auto flag = buffer_.find(kFlag);
        if (flag == std::string::npos) {
            skip(buffer_.size());
            return std::nullopt;
        }
        if (flag > 0) skip(flag);
        if (buffer_.size() < 4) return std::nullopt;
        const std::size_t length = get16(buffer_, 2);
        if (length < kMinFrame) { // not a frame start: look for the next 7B
            skip(1);
            continue;
        }
        if (buffer_.size() < length) return std::nullopt;
        if (buffer_[length - 1] != kFlag) {
            skip(1);
            continue;
        }
        Frame f;
        f.type = static_cast<std::uint8_t>(buffer_[1]);
        f.id = buffer_.substr(4, kIdBytes);
        f.body = buffer_.substr(kHeaderBytes, length - kMinFrame);
        buffer_.erase(0, length);
        return f;
    }
}

} // namespace dtu::udc
