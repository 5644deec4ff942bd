#pragma once
// "did you mean ...?" for misspelt names: the closest known word, if it is close enough.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dtu::sim::scenario {

/// The candidate nearest to word (edit distance, at most a third of its length, at least 1), if any.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string_view>& candidates);

/// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);

/// "a, b, c".
std::string join(const std::vector<std::string_view>& words);

} // namespace dtu::sim::scenario
