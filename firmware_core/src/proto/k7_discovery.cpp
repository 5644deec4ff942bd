#include "dtu/proto/k7_discovery.hpp"

#include <utility>

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

namespace {

/// Reads a block's fields in order (little-endian, K7 §5.1.2 forms 5.1.2-2 and 5.1.2-3).
class BlockReader {
public:
    explicit BlockReader(std::string_view b) : b_(b) {}
    void u8(std::uint8_t& v) { v = at(b_, i_++); }
    void u16(std::uint16_t& v) { v = le16(b_, skip(2)); }
    void u32(std::uint32_t& v) { v = le32(b_, skip(4)); }
    void text(std::string& v, std::size_t n) { v = k7_discovery::text(b_, skip(n), n); }
    void credential(std::string& v) { text(v, kCredentialBytes); }
    template <std::size_t N> void bytes(std::array<std::uint8_t, N>& a) { get_bytes(b_, skip(N), a); }

private:
    std::size_t skip(std::size_t n) { return std::exchange(i_, i_ + n); }
    std::string_view b_;
    std::size_t i_ = 0;
};

/// Writes them in the same order.
class BlockWriter {
public:
    void u8(std::uint8_t v) { put8(s_, v); }
    void u16(std::uint16_t v) { put16(s_, v); }
    void u32(std::uint32_t v) { put32(s_, v); }
    void text(std::string_view v, std::size_t n) { put_text(s_, v, n); }
    /// "5 bytes+00, fill the blanks with 0" (K7 §5.1.2): the last byte stays 00.
    void credential(std::string_view v) { put_text(s_, v.substr(0, kCredentialBytes - 1), kCredentialBytes); }
    template <std::size_t N> void bytes(const std::array<std::uint8_t, N>& a) { put_bytes(s_, a); }
    std::string take() { return std::move(s_); }

private:
    std::string s_;
};

/// The basic parameters block (67 bytes), one field per line, for reading and writing alike.
template <class Io, class B> void basic_fields(Io& io, B& o) {
    io.u8(o.sequence);
    io.u8(o.crc);
    io.u8(o.version);
    io.u8(o.flags);
    io.u16(o.location_port);
    io.u16(o.http_port);
    io.u8(o.user_flag);
    io.u32(o.ip);
    io.u32(o.gateway);
    io.u32(o.mask);
    io.text(o.name, 16);
    io.credential(o.user);
    io.credential(o.password);
    io.u8(o.net_send_time);
    io.u16(o.id);
    io.u8(o.id_type);
    io.bytes(o.user_mac);
    io.bytes(o.reserved);
}

/// The serial parameters block (63 bytes).
template <class Io, class S> void serial_fields(Io& io, S& o) {
    io.u32(o.baud);
    io.u8(o.data_bits);
    io.u8(o.parity);
    io.u8(o.stop_bits);
    io.u8(o.flow);
    io.u32(o.reconnect_timeout);
    io.u16(o.local_port);
    io.u16(o.remote_port);
    io.text(o.url, 30);
    io.u32(o.telnet_ip);
    io.u8(o.flags);
    io.u8(o.work_mode);
    io.u32(o.pack_len);
    io.u8(o.pack_time);
    io.u8(o.time_count);
    io.u8(o.server_type);
    io.bytes(o.reserved);
}

} // namespace

bool decode_basic(std::string_view b, Basic& o) {
    if (b.size() != kBasicBytes) return false;
    BlockReader r(b);
    basic_fields(r, o);
    return true;
}

std::string encode_basic(const Basic& o) {
    BlockWriter w;
    basic_fields(w, o);
    return w.take();
}

bool decode_serial(std::string_view b, Serial& o) {
    if (b.size() != kSerialBytes) return false;
    BlockReader r(b);
    serial_fields(r, o);
    return true;
}

std::string encode_serial(const Serial& o) {
    BlockWriter w;
    serial_fields(w, o);
    return w.take();
}

std::string build_read_reply(const Basic& basic, const Serial& serial) {
    std::string s = encode_basic(basic) + encode_serial(serial);
    s.resize(kReadReplyBytes, '\0'); // the USR-cloud part: layout not given (INFERRED zeros)
    return s;
}

} // namespace dtu::proto::k7_discovery
