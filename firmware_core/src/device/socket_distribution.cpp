#include "socket_distribution.hpp"

namespace dtu::device::sdp {
namespace {

constexpr std::string_view kToDevice = "\x55\xFD\xAA";
constexpr std::string_view kToSerial = "\xAA\xFD\x55";

std::uint8_t byte(std::string_view s, std::size_t i) { return static_cast<std::uint8_t>(s[i]); }

std::uint8_t checksum(std::string_view s) {
    unsigned sum = 0;
    for (const char c : s)
        sum += static_cast<std::uint8_t>(c);
    return static_cast<std::uint8_t>(sum & 0xFF);
}

std::string frame(std::uint8_t p1, std::uint8_t p2, std::string_view data) {
    std::string body;
    body.push_back(static_cast<char>(p1));
    body.push_back(static_cast<char>(p2));
    body.append(data);
    const std::size_t len = body.size();
    std::string out(kToSerial);
    out.push_back(static_cast<char>((len >> 8) & 0xFF));
    out.push_back(static_cast<char>(len & 0xFF));
    out += body;
    out.push_back(static_cast<char>(checksum(body)));
    return out;
}

} // namespace

Request parse(std::string_view f) {
    Request r;
    if (f.size() < 3 || f.substr(0, 3) != kToDevice) return r;
    if (f.size() < 8) {
        r.status = kLength;
        return r;
    }
    r.socket = byte(f, 5);
    const std::size_t len = (std::size_t{byte(f, 3)} << 8) | byte(f, 4);
    if (len < 2 || len + 6 != f.size()) {
        r.status = kLength;
        return r;
    }
    const std::string_view body = f.substr(5, len);
    if (r.socket < 0x61 || r.socket > 0x64 || byte(f, 6) != 0x00) {
        r.status = kParameter;
        return r;
    }
    if (checksum(body) != byte(f, f.size() - 1)) {
        r.status = kChecksum;
        return r;
    }
    r.ok = true;
    r.data = body.substr(2);
    return r;
}

std::string wrap(std::size_t socket_index, std::string_view data) {
    return frame(static_cast<std::uint8_t>(0x61 + socket_index), 0x00, data);
}

std::string status_reply(std::uint8_t socket, std::uint8_t status) {
    return frame(socket, 0x80, std::string(1, static_cast<char>(status)));
}

} // namespace dtu::device::sdp
