#pragma once
// Bytes waiting for a writer that takes them piece by piece (the kernel, through an async write).
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace dtu::hal_sim {

/// A FIFO of bytes whose front piece stays valid while more bytes are appended: the piece belongs
/// to the write in flight, appends collect behind it. Two strings instead of a deque: appends and
/// completions are both O(bytes).
class OutputQueue {
public:
    void append(std::string_view bytes) { pending_.append(bytes); }
    std::size_t size() const { return sending_.size() - offset_ + pending_.size(); }
    bool empty() const { return size() == 0; }

    /// The bytes to write next. Valid until consume() or take_all(), whatever is appended meanwhile.
    std::string_view front() {
        if (offset_ == sending_.size()) {
            sending_.clear();
            offset_ = 0;
            std::swap(sending_, pending_);
        }
        return std::string_view(sending_).substr(offset_);
    }
    /// The writer took n bytes of front().
    void consume(std::size_t n) { offset_ += n; }
    /// Everything still queued, in order; the queue is empty afterwards.
    std::string take_all() {
        std::string all = sending_.substr(offset_) + pending_;
        sending_.clear();
        pending_.clear();
        offset_ = 0;
        return all;
    }

private:
    std::string sending_;
    std::size_t offset_ = 0;
    std::string pending_;
};

} // namespace dtu::hal_sim
