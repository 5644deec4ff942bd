#pragma once
// Serial framing (G771 §3.3): a frame ends after a quiet gap of the packing interval (UARTFT)
// or when it reaches the packing length (UARTFL).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "timer.hpp"

namespace dtu::device {

class Packer {
public:
    /// Receives each frame and whether the line was quiet for a packing interval before it began.
    using Sink = std::function<void(std::string frame, bool after_quiet)>;

    Packer(hal::Clock& clock, Sink sink) : clock_(clock), sink_(std::move(sink)), timer_(clock) {}
    /// guard_ms: the quiet time that makes a frame "after quiet" (the "+++" T1); 0 = interval_ms.
    void configure(std::uint32_t interval_ms, std::size_t max_len, std::uint32_t guard_ms = 0);
    /// Bytes from the serial port, as they arrive.
    void push(std::string_view bytes);
    /// Bytes waiting for their frame to end.
    std::size_t pending() const { return buf_.size(); }
    /// The longest gap between two bytes of the frame last given to the sink (the "+++" T2/T3).
    std::uint64_t frame_gap_ms() const { return frame_gap_ms_; }

private:
    void close();

    hal::Clock& clock_;
    Sink sink_;
    Timer timer_;
    std::string buf_;
    std::uint32_t interval_ms_ = 50;
    std::uint32_t guard_ms_ = 50;
    std::size_t max_len_ = 1024;
    bool frame_after_quiet_ = true;
    std::optional<std::uint64_t> last_byte_ms_;
    std::uint64_t gap_ms_ = 0;       ///< of the frame being built
    std::uint64_t frame_gap_ms_ = 0; ///< of the frame last closed
};

} // namespace dtu::device
