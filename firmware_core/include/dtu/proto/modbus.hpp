#pragma once
// Modbus TCP (MBAP) <-> Modbus RTU conversion for the K7's Modbus gateway (K7 §4.4.2, §5.3.5 #39-#41;
// spec k7-ethernet §8 RECOMMENDED: standard gateway behaviour). Pure codec: no timers, no I/O.
//   MBAP ADU  = transaction id (2) | protocol id (2, 0 = Modbus) | length (2) | unit id (1) | PDU
//               (length counts unit id + PDU; all fields big-endian)
//   RTU frame = unit id | PDU | CRC-16/MODBUS (poly 0xA001 reflected, init 0xFFFF, low byte first)
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dtu::proto::modbus {

inline constexpr std::size_t kMbapHeader = 7; ///< transaction, protocol, length, unit id
inline constexpr std::size_t kMaxPdu = 253;   ///< Modbus Application Protocol §4.1: 256 - unit - CRC
inline constexpr std::size_t kMinLength = 2;  ///< MBAP length: unit id + function code at least
inline constexpr std::size_t kMaxLength = kMaxPdu + 1;
inline constexpr std::size_t kMinRtu = 4; ///< unit id, function code, CRC
inline constexpr std::size_t kMaxRtu = kMaxPdu + 3;

/// CRC-16/MODBUS of bytes.
std::uint16_t crc16(std::string_view bytes);

/// One Modbus request or reply with its MBAP identity.
struct Adu {
    std::uint16_t transaction = 0;
    std::uint8_t unit = 0;
    std::string pdu; ///< function code + data
    bool operator==(const Adu& o) const {
        return transaction == o.transaction && unit == o.unit && pdu == o.pdu;
    }
};

/// MBAP ADU bytes for adu (length = PDU + 1, protocol 0).
std::string encode_mbap(const Adu& adu);
/// RTU frame for adu's unit id and PDU (the transaction id does not go on the serial line).
std::string encode_rtu(std::uint8_t unit, std::string_view pdu);

/// Splits a TCP stream into MBAP ADUs: several ADUs in one chunk, one ADU over several chunks.
/// Bad input (spec k7-ethernet §8 names none; docs/behaviour-choices.md "Modbus gateway"):
/// - protocol id != 0 with a length in range: that ADU is skipped by its length and counted
///   (`skipped`); the stream stays in step, so the connection goes on.
/// - length 0, 1 or > 254 (a PDU longer than Modbus allows): the stream cannot be resynchronised
///   (nothing in MBAP marks where the next ADU starts), so the reader refuses the rest of the stream
///   (`broken`): its owner closes the connection. A too-small length that is still in range cuts
///   the ADU short; the leftover bytes are read as the next header and normally fail the checks.
/// - an ADU that never completes stays buffered (at most 7 + 254 bytes) until reset().
class MbapReader {
public:
    struct Result {
        std::vector<Adu> adus;   ///< complete protocol-0 ADUs, in order
        std::size_t skipped = 0; ///< ADUs with a non-zero protocol id, dropped
        bool broken = false;     ///< a length out of range: close the connection
    };
    /// Bytes received on the connection. After broken, every feed returns broken and reads nothing.
    Result feed(std::string_view bytes);
    /// Forget buffered bytes and a broken state (a new connection).
    void reset();
    std::size_t buffered() const { return buf_.size(); }
    bool broken() const { return broken_; }

private:
    std::string buf_;
    bool broken_ = false;
};

/// What a received RTU frame is.
enum class RtuVerdict : std::uint8_t {
    Ok,       ///< CRC good; unit and pdu set
    TooShort, ///< fewer than 4 bytes
    TooLong,  ///< more than 256 bytes
    BadCrc,   ///< CRC does not match
};
struct RtuFrame {
    RtuVerdict verdict = RtuVerdict::TooShort;
    std::uint8_t unit = 0;
    std::string pdu;
};
/// Check one whole RTU frame.
RtuFrame parse_rtu(std::string_view frame);

/// How many bytes the RTU reply that starts with head will have (unit id .. CRC), from the function
/// code: exception (fc | 0x80) 5; 01-04, 0x17 (and 0x0C, 0x11, 0x14, 0x15 byte-count replies)
/// 5 + byte count; 05, 06, 0x0F, 0x10 8; 0x16 10. 0 = not known yet (head too short) or not knowable
/// (another function code: the reply ends where its CRC first matches).
std::size_t rtu_reply_length(std::string_view head);

/// Collects a serial reply that arrives in pieces. A reply is complete when it reaches
/// rtu_reply_length(), or, for a function code of unknown reply length, when the bytes so far end
/// in a matching CRC. Bytes after a complete reply are not part of it (`extra`).
class RtuReplyAssembler {
public:
    struct Result {
        bool complete = false;
        RtuFrame frame;        ///< when complete: Ok or BadCrc
        std::size_t extra = 0; ///< bytes after the complete reply, discarded
    };
    Result feed(std::string_view bytes);
    void reset() { buf_.clear(); }
    std::size_t buffered() const { return buf_.size(); }

private:
    std::string buf_;
};

} // namespace dtu::proto::modbus
