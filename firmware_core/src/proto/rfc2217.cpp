#include "dtu/proto/rfc2217.hpp"

namespace dtu::proto::rfc2217 {
namespace {

constexpr std::string_view kHeader = "\x55\xAA\x55";

std::uint8_t at(std::string_view s, std::size_t i) { return static_cast<std::uint8_t>(s[i]); }

std::uint8_t checksum(std::string_view frame) {
    return static_cast<std::uint8_t>((at(frame, 3) + at(frame, 4) + at(frame, 5) + at(frame, 6)) & 0xFF);
}

Settings decode(std::uint32_t baud, std::uint8_t p) {
    constexpr Parity kTypes[] = {Parity::Odd, Parity::Even, Parity::Mark, Parity::Space};
    Settings s;
    s.baud = baud;
    s.data_bits = static_cast<std::uint8_t>(5 + (p & 0x03));
    s.stop_bits = (p & 0x04) ? 2 : 1;
    s.parity = (p & 0x08) ? kTypes[(p >> 4) & 0x03] : Parity::None;
    return s;
}

std::uint8_t parameter_byte(const Settings& s) {
    std::uint8_t p = static_cast<std::uint8_t>((s.data_bits - 5) & 0x03);
    if (s.stop_bits == 2) p |= 0x04;
    if (s.parity != Parity::None)
        p |= static_cast<std::uint8_t>(0x08 | ((static_cast<int>(s.parity) - 1) << 4));
    return p;
}

const char* parity_name(Parity p) {
    switch (p) {
    case Parity::None: return "NONE";
    case Parity::Odd: return "ODD";
    case Parity::Even: return "EVEN";
    case Parity::Mark: return "MARK";
    case Parity::Space: return "SPACE";
    }
    return "NONE";
}

} // namespace

Parsed parse(std::string_view bytes) {
    Parsed r;
    const std::size_t head = bytes.size() < kHeader.size() ? bytes.size() : kHeader.size();
    if (bytes.empty() || bytes.substr(0, head) != kHeader.substr(0, head)) return r;
    if (bytes.size() < kFrameBytes) {
        r.verdict = Verdict::Partial;
        return r;
    }
    if (checksum(bytes) != at(bytes, 7)) {
        r.verdict = Verdict::BadChecksum;
        return r;
    }
    r.verdict = Verdict::Frame;
    r.settings =
        decode((std::uint32_t{at(bytes, 3)} << 16) | (std::uint32_t{at(bytes, 4)} << 8) | at(bytes, 5),
               at(bytes, 6));
    return r;
}

std::string encode(const Settings& s) {
    std::string f(kHeader);
    f.push_back(static_cast<char>((s.baud >> 16) & 0xFF));
    f.push_back(static_cast<char>((s.baud >> 8) & 0xFF));
    f.push_back(static_cast<char>(s.baud & 0xFF));
    f.push_back(static_cast<char>(parameter_byte(s)));
    f.push_back(static_cast<char>(checksum(f)));
    return f;
}

std::string describe(const Settings& s) {
    return std::to_string(s.baud) + "," + std::to_string(s.data_bits) + "," + std::to_string(s.stop_bits) +
           "," + parity_name(s.parity);
}

Filter::Result Filter::feed(std::string_view bytes) {
    Result out;
    if (!held_.empty()) {
        std::string joined = held_ + std::string(bytes);
        const Verdict v = parse(joined).verdict;
        if (v == Verdict::Frame || v == Verdict::Partial) {
            held_.clear();
            scan(joined, out);
            return out;
        }
        // The held bytes were data after all; the new packet starts afresh (it may be a frame).
        if (v == Verdict::BadChecksum) ++out.bad_checksums;
        out.released = release();
    }
    scan(bytes, out);
    return out;
}

void Filter::scan(std::string_view bytes, Result& out) {
    while (!bytes.empty()) {
        const Parsed p = parse(bytes);
        if (p.verdict == Verdict::Frame) {
            out.frames.push_back(p.settings);
            bytes.remove_prefix(kFrameBytes);
            continue;
        }
        if (p.verdict == Verdict::Partial) {
            held_ = std::string(bytes);
            return;
        }
        if (p.verdict == Verdict::BadChecksum) ++out.bad_checksums;
        out.data.append(bytes);
        return;
    }
}

std::string Filter::release() {
    std::string out;
    out.swap(held_);
    return out;
}

} // namespace dtu::proto::rfc2217
