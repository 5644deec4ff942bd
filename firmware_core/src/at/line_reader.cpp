#include "dtu/at/line_reader.hpp"

namespace dtu::at {

LineReader::Event LineReader::feed(char c) {
    if (line_ready_) {
        buf_.clear();
        line_ready_ = false;
    }
    const bool lf_of_crlf = after_cr_ && c == '\n';
    after_cr_ = false;
    if (lf_of_crlf) return Event::None;
    if (c == '\r' || c == '\n') {
        after_cr_ = (c == '\r');
        if (overflow_) {
            overflow_ = false;
            buf_.clear();
            return Event::Overflow;
        }
        line_ready_ = true;
        return Event::Line;
    }
    if (overflow_) return Event::None;
    if (buf_.size() >= max_) {
        overflow_ = true;
        buf_.clear();
        buf_.shrink_to_fit();
        return Event::None;
    }
    buf_.push_back(c);
    return Event::None;
}

void LineReader::reset() {
    buf_.clear();
    after_cr_ = overflow_ = line_ready_ = false;
}

} // namespace dtu::at
