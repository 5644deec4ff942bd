#pragma once
// Quoted strings that swallow the lines after them. yaml-cpp (0.7) accepts a quoted string left open
// at the end of the file, and continuation lines of a quoted string at any indentation: so
// `- serial_write: "hi` followed by more steps loads as one step writing "hi - wait: 5s ", and the
// steps never run. YAML 1.2 requires the closing quote (§7.3) and continuation lines indented
// inside their node (§6.1, s-flow-line-prefix); this finds where a file breaks either rule.
#include <optional>
#include <string>
#include <string_view>

#include "sim/scenario/scenario.hpp"

namespace dtu::sim::scenario {

struct QuoteError {
    SourcePos pos; ///< the string's opening quote
    std::string message;
};

/// The first quoted string that is never closed, or that runs on into a line that is not indented
/// past the line it opens on and reads as YAML of its own (`- step`, `key: value`). text must be
/// YAML that yaml-cpp loads (call this after it did).
std::optional<QuoteError> swallowing_quote(std::string_view text);

} // namespace dtu::sim::scenario
