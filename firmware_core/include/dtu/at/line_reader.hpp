#pragma once
// Byte-eating state machine that assembles AT command lines (at-syntax.md §3, GAP-04).
#include <cstddef>
#include <string>
#include <string_view>

namespace dtu::at {

/// Feeds bytes one at a time; a line ends at CR or LF, and an LF right after CR belongs to the
/// same terminator. Lines longer than the limit are discarded up to their terminator and
/// reported as Overflow, so one runaway line can neither grow memory nor swallow the next one.
class LineReader {
public:
    enum class Event { None, Line, Overflow };

    explicit LineReader(std::size_t max_len) : max_(max_len) {}
    /// Consume one byte; on Line, line() holds the line without its terminator until the next feed().
    Event feed(char c);
    /// The completed line (valid right after feed() returned Line).
    std::string_view line() const { return buf_; }
    /// Bytes held for an unfinished line.
    std::size_t pending() const { return buf_.size(); }
    /// Forget everything (mode change).
    void reset();

private:
    std::string buf_;
    std::size_t max_;
    bool after_cr_ = false;
    bool overflow_ = false;
    bool line_ready_ = false;
};

} // namespace dtu::at
