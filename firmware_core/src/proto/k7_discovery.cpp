#include "dtu/proto/k7_discovery.hpp"

namespace dtu::proto::k7_discovery {
namespace {

// 1 command + 6 MAC + 6 user + 6 password (K7 §5.1.2 form 5.1.2-1: length 13 hex in the examples).
constexpr std::size_t kMinLength = 19;

std::uint8_t at(std::string_view b, std::size_t i) { return static_cast<std::uint8_t>(b[i]); }

std::uint16_t le16(std::string_view b, std::size_t i) {
    return static_cast<std::uint16_t>(at(b, i) | (at(b, i + 1) << 8));
}
std::uint32_t le32(std::string_view b, std::size_t i) {
    return static_cast<std::uint32_t>(at(b, i)) | static_cast<std::uint32_t>(at(b, i + 1)) << 8 |
           static_cast<std::uint32_t>(at(b, i + 2)) << 16 | static_cast<std::uint32_t>(at(b, i + 3)) << 24;
}
void put8(std::string& s, std::uint8_t v) { s.push_back(static_cast<char>(v)); }
void put16(std::string& s, std::uint16_t v) {
    put8(s, static_cast<std::uint8_t>(v));
    put8(s, static_cast<std::uint8_t>(v >> 8));
}
void put32(std::string& s, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        put8(s, static_cast<std::uint8_t>(v >> (8 * i)));
}
/// Text up to the first NUL of a fixed-size field.
std::string text(std::string_view b, std::size_t i, std::size_t n) {
    std::string_view f = b.substr(i, n);
    return std::string(f.substr(0, f.find('\0')));
}
/// A fixed-size NUL-padded field (cut to size; the last byte of credentials stays 00).
void put_text(std::string& s, std::string_view v, std::size_t n) {
    std::string f(v.substr(0, n));
    f.resize(n, '\0');
    s += f;
}
template <std::size_t N> void put_bytes(std::string& s, const std::array<std::uint8_t, N>& a) {
    for (auto v : a)
        put8(s, v);
}
template <std::size_t N> void get_bytes(std::string_view b, std::size_t i, std::array<std::uint8_t, N>& a) {
    for (std::size_t k = 0; k < N; ++k)
        a[k] = at(b, i + k);
}

} // namespace

std::uint8_t sum(std::string_view bytes) {
    std::uint8_t s = 0;
    for (char c : bytes)
        s = static_cast<std::uint8_t>(s + static_cast<std::uint8_t>(c));
    return s;
}

Frame parse(std::string_view d) {
    Frame f;
    if (d.empty() || at(d, 0) != kHead) return f;
    if (d.size() >= 3) f.command = at(d, 2);
    if (d.size() < 2) {
        f.verdict = Verdict::CutShort;
        return f;
    }
    const std::size_t length = at(d, 1);
    // K7 §5.1.2 form 5.1.2-1: the search frame is FF 01 01 02, the only frame without credentials.
    if (length == 1 && d.size() >= 3 && f.command == static_cast<std::uint8_t>(Command::Search)) {
        if (d.size() < 4)
            f.verdict = Verdict::CutShort;
        else if (d.size() > 4)
            f.verdict = Verdict::BadLength;
        else
            f.verdict = at(d, 3) == sum(d.substr(1, 2)) ? Verdict::Search : Verdict::BadChecksum;
        return f;
    }
    if (length < kMinLength) {
        f.verdict = d.size() < 2 + kMinLength + 1 ? Verdict::CutShort : Verdict::BadLength;
        return f;
    }
    const std::size_t total = 2 + length + 1; // head, length, length bytes, checksum
    if (d.size() < total) {
        f.verdict = Verdict::CutShort;
        return f;
    }
    if (d.size() > total) {
        f.verdict = Verdict::BadLength;
        return f;
    }
    if (at(d, total - 1) != sum(d.substr(1, length + 1))) {
        f.verdict = Verdict::BadChecksum;
        return f;
    }
    f.verdict = Verdict::Frame;
    get_bytes(d, 3, f.mac);
    f.user = text(d, 9, kCredentialBytes);
    f.password = text(d, 15, kCredentialBytes);
    f.params = std::string(d.substr(21, length - kMinLength));
    return f;
}

std::string build_command(std::uint8_t command, const Mac& mac, std::string_view user,
                          std::string_view password, std::string_view params) {
    std::string s;
    put8(s, kHead);
    put8(s, static_cast<std::uint8_t>(kMinLength + params.size()));
    put8(s, command);
    put_bytes(s, mac);
    put_text(s, user.substr(0, kCredentialBytes - 1), kCredentialBytes);
    put_text(s, password.substr(0, kCredentialBytes - 1), kCredentialBytes);
    s += params;
    put8(s, sum(std::string_view(s).substr(1)));
    return s;
}

std::string build_search_reply(const SearchReply& r) {
    std::string s;
    put8(s, kHead);
    put8(s, static_cast<std::uint8_t>(kSearchReplyBytes)); // total packet length, unlike command frames
    put8(s, static_cast<std::uint8_t>(Command::Search));
    put8(s, 0); // board type
    put8(s, 0); // board id
    for (int i = 3; i >= 0; --i)
        put8(s, static_cast<std::uint8_t>(r.ip >> (8 * i))); // most significant first
    put_bytes(s, r.mac);
    put16(s, r.firmware);
    put16(s, r.encryption);
    put_text(s, r.name, 16);
    // K7 §5.1.2: "initial value is 0x00, reduce every bits ... till the last bit".
    put8(s, static_cast<std::uint8_t>(0 - sum(s)));
    return s;
}

std::string build_short_reply(std::uint8_t command, char code) {
    std::string s;
    put8(s, kHead);
    put8(s, 0x01);
    put8(s, command);
    s.push_back(code);
    return s;
}

bool decode_basic(std::string_view b, Basic& o) {
    if (b.size() != kBasicBytes) return false;
    o.sequence = at(b, 0);
    o.crc = at(b, 1);
    o.version = at(b, 2);
    o.flags = at(b, 3);
    o.location_port = le16(b, 4);
    o.http_port = le16(b, 6);
    o.user_flag = at(b, 8);
    o.ip = le32(b, 9);
    o.gateway = le32(b, 13);
    o.mask = le32(b, 17);
    o.name = text(b, 21, 16);
    o.user = text(b, 37, 6);
    o.password = text(b, 43, 6);
    o.net_send_time = at(b, 49);
    o.id = le16(b, 50);
    o.id_type = at(b, 52);
    get_bytes(b, 53, o.user_mac);
    get_bytes(b, 59, o.reserved);
    return true;
}

std::string encode_basic(const Basic& o) {
    std::string s;
    put8(s, o.sequence);
    put8(s, o.crc);
    put8(s, o.version);
    put8(s, o.flags);
    put16(s, o.location_port);
    put16(s, o.http_port);
    put8(s, o.user_flag);
    put32(s, o.ip);
    put32(s, o.gateway);
    put32(s, o.mask);
    put_text(s, o.name, 16);
    put_text(s, std::string_view(o.user).substr(0, 5), 6);
    put_text(s, std::string_view(o.password).substr(0, 5), 6);
    put8(s, o.net_send_time);
    put16(s, o.id);
    put8(s, o.id_type);
    put_bytes(s, o.user_mac);
    put_bytes(s, o.reserved);
    return s;
}

bool decode_serial(std::string_view b, Serial& o) {
    if (b.size() != kSerialBytes) return false;
    o.baud = le32(b, 0);
    o.data_bits = at(b, 4);
    o.parity = at(b, 5);
    o.stop_bits = at(b, 6);
    o.flow = at(b, 7);
    o.reconnect_timeout = le32(b, 8);
    o.local_port = le16(b, 12);
    o.remote_port = le16(b, 14);
    o.url = text(b, 16, 30);
    o.telnet_ip = le32(b, 46);
    o.flags = at(b, 50);
    o.work_mode = at(b, 51);
    o.pack_len = le32(b, 52);
    o.pack_time = at(b, 56);
    o.time_count = at(b, 57);
    o.server_type = at(b, 58);
    get_bytes(b, 59, o.reserved);
    return true;
}

std::string encode_serial(const Serial& o) {
    std::string s;
    put32(s, o.baud);
    put8(s, o.data_bits);
    put8(s, o.parity);
    put8(s, o.stop_bits);
    put8(s, o.flow);
    put32(s, o.reconnect_timeout);
    put16(s, o.local_port);
    put16(s, o.remote_port);
    put_text(s, o.url, 30);
    put32(s, o.telnet_ip);
    put8(s, o.flags);
    put8(s, o.work_mode);
    put32(s, o.pack_len);
    put8(s, o.pack_time);
    put8(s, o.time_count);
    put8(s, o.server_type);
    put_bytes(s, o.reserved);
    return s;
}

std::string build_read_reply(const Basic& basic, const Serial& serial) {
    std::string s = encode_basic(basic) + encode_serial(serial);
    s.resize(kReadReplyBytes, '\0'); // the USR-cloud part: layout not given (INFERRED zeros)
    return s;
}

} // namespace dtu::proto::k7_discovery
