#include "packer.hpp"

#include <algorithm>

namespace dtu::device {

void Packer::configure(std::uint32_t interval_ms, std::size_t max_len, std::uint32_t guard_ms) {
    interval_ms_ = interval_ms;
    guard_ms_ = guard_ms == 0 ? interval_ms : guard_ms;
    max_len_ = max_len == 0 ? 1 : max_len;
}

void Packer::push(std::string_view bytes) {
    const std::uint64_t now = clock_.now_ms();
    while (!bytes.empty()) {
        if (buf_.empty()) {
            frame_after_quiet_ = !last_byte_ms_ || now - *last_byte_ms_ >= guard_ms_;
            gap_ms_ = 0;
        } else {
            gap_ms_ = std::max(gap_ms_, now - *last_byte_ms_);
        }
        const std::size_t take = std::min(bytes.size(), max_len_ - buf_.size());
        buf_.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
        last_byte_ms_ = now;
        if (buf_.size() >= max_len_) close();
    }
    if (!buf_.empty()) timer_.start(interval_ms_, [this] { close(); });
}

void Packer::close() {
    timer_.cancel();
    std::string frame;
    frame.swap(buf_);
    frame_gap_ms_ = gap_ms_;
    sink_(std::move(frame), frame_after_quiet_);
}

} // namespace dtu::device
