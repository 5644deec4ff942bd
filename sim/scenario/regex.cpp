#include "sim/scenario/regex.hpp"

#include <re2/re2.h>

namespace dtu::sim::scenario {
namespace {

/// A pattern for an error message: long ones are cut (the whole one is in the file).
std::string quoted(std::string_view written) {
    constexpr std::size_t kShown = 60;
    if (written.size() <= kShown) return "'" + std::string(written) + "'";
    return "'" + std::string(written.substr(0, kShown)) + "...'";
}

/// RE2's message, about what was written (without the (?m) put before it).
std::string why(const RE2& re, std::string_view prefix) {
    std::string message = re.error();
    const std::string& arg = re.error_arg();
    const bool ends_with_arg =
        message.size() >= arg.size() && message.compare(message.size() - arg.size(), arg.size(), arg) == 0;
    if (ends_with_arg && arg.rfind(prefix, 0) == 0) message.erase(message.size() - arg.size(), prefix.size());
    return message;
}

RE2::Options options() {
    RE2::Options o;
    o.set_encoding(RE2::Options::EncodingLatin1); // device output is bytes, not always UTF-8
    o.set_log_errors(false);                      // errors go to the scenario's report
    return o;
}

} // namespace

std::optional<Regex> Regex::compile(std::string_view written, std::string& error) {
    if (written.size() > kMaxRegexBytes) {
        error = "the regex " + quoted(written) + " is " + std::to_string(written.size()) +
                " bytes; a regex may have at most " + std::to_string(kMaxRegexBytes) +
                " (match long literal bytes with text: or hex:)";
        return std::nullopt;
    }
    // (?m): ^ and $ at line boundaries. A prefix, not a group, so nothing written can close it.
    constexpr std::string_view kMultiLine = "(?m)";
    auto re = std::make_shared<const RE2>(std::string(kMultiLine) + std::string(written), options());
    if (!re->ok()) {
        error = quoted(written) + " is not a valid regex (RE2 syntax): " + why(*re, kMultiLine);
        return std::nullopt;
    }
    return Regex(std::move(re));
}

std::optional<Regex::Span> Regex::search(std::string_view text, std::size_t from) const {
    if (from > text.size()) return std::nullopt;
    re2::StringPiece match;
    if (!re_->Match(text, from, text.size(), RE2::UNANCHORED, &match, 1)) return std::nullopt;
    const auto begin = static_cast<std::size_t>(match.data() - text.data());
    return Span{begin, begin + match.size()};
}

} // namespace dtu::sim::scenario
