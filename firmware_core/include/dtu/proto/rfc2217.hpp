#pragma once
// The USR "RFC2217-like" frame (类 RFC2217; 732 §2.2.4, 7S4 §2.2.3, spec net-transparent §13): a
// server changes the device's serial settings at run time with 8 bytes
//   55 AA 55 | baud (3 bytes, most significant first) | parameter byte | checksum
// checksum = low byte of the sum of the baud and parameter bytes (the manuals' examples, §13.2).
// Parameter byte: bits 1:0 data bits (00 = 5 .. 11 = 8), bit 2 stop bits (0 = 1, 1 = 2), bit 3
// parity on, bits 5:4 parity type (00 odd, 01 even, 10 mark, 11 space: K7 "Clear"), bits 7:6
// unused (the 732/7S4 examples set bit 7 although the table says 0, GAP-17: ignored).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dtu::proto::rfc2217 {

enum class Parity : std::uint8_t { None, Odd, Even, Mark, Space };

/// The serial settings one frame asks for.
struct Settings {
    std::uint32_t baud = 0;
    std::uint8_t data_bits = 8;
    std::uint8_t stop_bits = 1;
    Parity parity = Parity::None;
    bool operator==(const Settings& o) const {
        return baud == o.baud && data_bits == o.data_bits && stop_bits == o.stop_bits && parity == o.parity;
    }
};

inline constexpr std::size_t kFrameBytes = 8;

/// What the start of some received bytes is.
enum class Verdict : std::uint8_t {
    Frame,       ///< a whole frame with a correct checksum
    Partial,     ///< fewer than 8 bytes that could still become a frame (a prefix of the header)
    BadChecksum, ///< 8 or more bytes with the header but a wrong checksum: data that looks like a frame
    NotFrame,    ///< anything else
};

struct Parsed {
    Verdict verdict = Verdict::NotFrame;
    Settings settings; ///< when verdict == Frame
};

/// Classify the first bytes of bytes.
Parsed parse(std::string_view bytes);
/// The 8-byte frame for settings (bits 7:6 zero).
std::string encode(const Settings& settings);
/// "115200,8,1,NONE" for logs.
std::string describe(const Settings& settings);

/// Per-connection recogniser. A frame is recognised where a server's write starts: at the start of
/// a received packet or right after a frame (USR VCOM sends it as a write of its own), never inside
/// other data. A packet that ends while it could still be a frame is held back until the next packet
/// completes (or spoils) it, or until release(): a frame split over two TCP reads is recognised, and
/// bytes that only look like the header reach the serial port unchanged and in order.
class Filter {
public:
    struct Result {
        std::string released;          ///< held-back bytes this read spoiled: data from before the frames
        std::string data;              ///< bytes for the serial port after the frames, in arrival order
        std::vector<Settings> frames;  ///< frames consumed, in order
        std::size_t bad_checksums = 0; ///< header-like 8 bytes passed on as data
    };

    /// Bytes received on the connection.
    Result feed(std::string_view bytes);
    /// Give up waiting: the held-back bytes, as data (empty when nothing is held).
    std::string release();
    /// Bytes held back as a possible frame start.
    bool holding() const { return !held_.empty(); }

private:
    void scan(std::string_view bytes, Result& out);
    std::string held_;
};

} // namespace dtu::proto::rfc2217
