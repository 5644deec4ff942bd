#include "sim/scenario/suggest.hpp"

#include <algorithm>
#include <cstddef>

namespace dtu::sim::scenario {
namespace {

/// Levenshtein distance (insert, delete, substitute), one row at a time.
std::size_t distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

} // namespace

std::optional<std::string> closest(std::string_view word, const std::vector<std::string_view>& candidates) {
    const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
    std::optional<std::string> best;
    std::size_t best_distance = limit + 1;
    for (std::string_view c : candidates) {
        const std::size_t d = distance(word, c);
        if (d < best_distance) {
            best_distance = d;
            best = std::string(c);
        }
    }
    return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
    const auto best = closest(word, candidates);
    return best ? " (did you mean '" + *best + "'?)" : std::string();
}

std::string join(const std::vector<std::string_view>& words) {
    std::string out;
    for (std::string_view w : words)
        out += (out.empty() ? "" : ", ") + std::string(w);
    return out;
}

} // namespace dtu::sim::scenario
