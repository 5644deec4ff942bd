#include "dtu/proto/modbus.hpp"

#include <algorithm>

namespace dtu::proto::modbus {
namespace {

std::uint16_t be16(std::string_view b, std::size_t at) {
    return static_cast<std::uint16_t>((static_cast<std::uint8_t>(b[at]) << 8) |
                                      static_cast<std::uint8_t>(b[at + 1]));
}

void put_be16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v & 0xFF));
}

} // namespace

std::uint16_t crc16(std::string_view bytes) {
    std::uint16_t crc = 0xFFFF;
    for (const char c : bytes) {
        crc ^= static_cast<std::uint8_t>(c);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001)
                            : static_cast<std::uint16_t>(crc >> 1);
    }
    return crc;
}

std::string encode_mbap(const Adu& adu) {
    std::string out;
    out.reserve(kMbapHeader + adu.pdu.size());
    put_be16(out, adu.transaction);
    put_be16(out, 0);
    put_be16(out, static_cast<std::uint16_t>(adu.pdu.size() + 1));
    out.push_back(static_cast<char>(adu.unit));
    out += adu.pdu;
    return out;
}

std::string encode_rtu(std::uint8_t unit, std::string_view pdu) {
    std::string out;
    out.reserve(pdu.size() + 3);
    out.push_back(static_cast<char>(unit));
    out.append(pdu);
    const std::uint16_t crc = crc16(out);
    // Modbus over serial line §2.5.1.2: the CRC goes low byte first.
    out.push_back(static_cast<char>(crc & 0xFF));
    out.push_back(static_cast<char>(crc >> 8));
    return out;
}

MbapReader::Result MbapReader::feed(std::string_view bytes) {
    Result out;
    if (broken_) {
        out.broken = true;
        return out;
    }
    buf_.append(bytes);
    std::size_t at = 0;
    while (buf_.size() - at >= kMbapHeader) {
        const std::string_view rest(buf_.data() + at, buf_.size() - at);
        const std::uint16_t length = be16(rest, 4);
        if (length < kMinLength || length > kMaxLength) {
            // No marker tells where the next ADU starts: refuse the stream (the owner closes).
            broken_ = true;
            buf_.clear();
            out.broken = true;
            return out;
        }
        const std::size_t total = 6 + static_cast<std::size_t>(length);
        if (rest.size() < total) break;
        if (be16(rest, 2) != 0) {
            ++out.skipped; // not Modbus: the length still keeps the stream in step
        } else {
            Adu adu;
            adu.transaction = be16(rest, 0);
            adu.unit = static_cast<std::uint8_t>(rest[6]);
            adu.pdu.assign(rest.data() + kMbapHeader, total - kMbapHeader);
            out.adus.push_back(std::move(adu));
        }
        at += total;
    }
    buf_.erase(0, at);
    return out;
}

void MbapReader::reset() {
    buf_.clear();
    broken_ = false;
}

RtuFrame parse_rtu(std::string_view frame) {
    RtuFrame out;
    if (frame.size() < kMinRtu) return out;
    if (frame.size() > kMaxRtu) {
        out.verdict = RtuVerdict::TooLong;
        return out;
    }
    const std::size_t body = frame.size() - 2;
    const std::uint16_t want = crc16(frame.substr(0, body));
    const std::uint16_t got = static_cast<std::uint16_t>(static_cast<std::uint8_t>(frame[body]) |
                                                         (static_cast<std::uint8_t>(frame[body + 1]) << 8));
    if (want != got) {
        out.verdict = RtuVerdict::BadCrc;
        return out;
    }
    out.verdict = RtuVerdict::Ok;
    out.unit = static_cast<std::uint8_t>(frame[0]);
    out.pdu.assign(frame.data() + 1, body - 1);
    return out;
}

std::size_t rtu_reply_length(std::string_view head) {
    if (head.size() < 2) return 0;
    const auto fc = static_cast<std::uint8_t>(head[1]);
    if (fc & 0x80) return 5; // unit, fc | 0x80, exception code, CRC
    switch (fc) {
    case 0x01:
    case 0x02:
    case 0x03:
    case 0x04:
    case 0x0C:
    case 0x11:
    case 0x14:
    case 0x15:
    case 0x17:
        if (head.size() < 3) return 0;
        return 5 + static_cast<std::uint8_t>(head[2]); // unit, fc, byte count, data, CRC
    case 0x05:
    case 0x06:
    case 0x0F:
    case 0x10: return 8;
    case 0x16: return 10;
    default: return 0;
    }
}

RtuReplyAssembler::Result RtuReplyAssembler::feed(std::string_view bytes) {
    Result out;
    std::size_t taken = 0;
    // Take bytes one at a time only until the length is known; then in one piece.
    while (taken < bytes.size()) {
        std::size_t want = rtu_reply_length(buf_);
        if (want == 0 && buf_.size() >= 2) {
            // Function code of unknown reply length: the reply ends where its CRC first matches.
            buf_.push_back(bytes[taken++]);
            if (buf_.size() >= kMinRtu && parse_rtu(buf_).verdict == RtuVerdict::Ok)
                want = buf_.size();
            else if (buf_.size() >= kMaxRtu)
                want = buf_.size();
            else
                continue;
        } else if (want == 0) {
            buf_.push_back(bytes[taken++]);
            continue;
        } else {
            const std::size_t n = want > buf_.size() ? std::min(want - buf_.size(), bytes.size() - taken) : 0;
            buf_.append(bytes.data() + taken, n);
            taken += n;
            if (buf_.size() < want) continue;
        }
        out.complete = true;
        out.frame = parse_rtu(buf_);
        if (out.frame.verdict != RtuVerdict::Ok) out.frame.verdict = RtuVerdict::BadCrc;
        out.extra = bytes.size() - taken;
        buf_.clear();
        return out;
    }
    return out;
}

} // namespace dtu::proto::modbus
