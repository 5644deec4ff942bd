#pragma once
// Scenario regexes (scenarios/README.md "Values"): RE2 syntax, compiled once and searched without
// recursion, so no pattern and no amount of device output can overflow the stack (std::regex did).
// A regex matches bytes (Latin-1: `.` is one byte, whatever the encoding), and ^ and $ match at
// the start and end of every line (after and before \n), which is what a line-oriented device needs.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
} // namespace re2

namespace dtu::sim::scenario {

/// The longest regex a scenario may write (longer literal bytes belong in text: or hex:).
inline constexpr std::size_t kMaxRegexBytes = 4096;

/// A compiled regex; copies share the compiled program (it is immutable).
class Regex {
public:
    /// The regex written, or nullopt with why in error (syntax, size).
    static std::optional<Regex> compile(std::string_view written, std::string& error);

    struct Span {
        std::size_t begin = 0, end = 0; ///< offsets into the searched text
    };
    /// The leftmost match in text at or after from; text before from is context for ^ and \b.
    std::optional<Span> search(std::string_view text, std::size_t from = 0) const;

private:
    explicit Regex(std::shared_ptr<const re2::RE2> re) : re_(std::move(re)) {}
    std::shared_ptr<const re2::RE2> re_;
};

} // namespace dtu::sim::scenario
