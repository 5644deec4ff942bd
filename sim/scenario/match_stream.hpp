#pragma once
// A byte stream the runner waits on (serial output, what one server received, the SMS outbox text):
// everything that arrived, and a cursor where the next expectation starts looking. Matching searches
// from the cursor, so several expected lines that arrived in one chunk each match in turn, and bytes
// before a match are skipped (kept for failure reports).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "sim/scenario/regex.hpp"
#include "sim/scenario/scenario.hpp"

namespace dtu::sim::scenario {

/// A Pattern ready to search with (the regex compiled once).
class Matcher {
public:
    explicit Matcher(const Pattern& pattern);
    using Hit = Regex::Span;
    /// The first match in text, starting at from.
    std::optional<Hit> find(std::string_view text, std::size_t from = 0) const;
    const Pattern& pattern() const { return pattern_; }
    /// "text \"OK\\r\\n\"", "regex /^\\+VER/", "hex 0d0a": for reports.
    std::string describe() const;

private:
    Pattern pattern_;
    std::optional<Regex> regex_;
};

class MatchStream {
public:
    void append(std::string_view bytes) { data_.append(bytes); }
    /// Find pattern from the cursor; on a hit the cursor moves past it.
    bool consume(const Matcher& matcher);
    /// Move the cursor to the end (what came so far is no longer expected).
    void skip_all() { cursor_ = data_.size(); }
    /// Move the cursor to offset (never backwards, never past the end).
    void skip_to(std::size_t offset) {
        if (offset > cursor_) cursor_ = offset < data_.size() ? offset : data_.size();
    }
    /// What arrived after the cursor (not yet matched).
    std::string_view unmatched() const { return std::string_view(data_).substr(cursor_); }
    std::size_t size() const { return data_.size(); }
    const std::string& data() const { return data_; }

private:
    std::string data_;
    std::size_t cursor_ = 0;
};

/// Bytes for humans: printable ASCII as is, \r \n \t, other bytes \xNN; cut to max_bytes with "...".
std::string printable(std::string_view bytes, std::size_t max_bytes = 160);
/// "0d 0a 4f 4b", cut to max_bytes with "...".
std::string hex_dump(std::string_view bytes, std::size_t max_bytes = 64);

} // namespace dtu::sim::scenario
