#include "sim/scenario/yaml_open_quote.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <vector>

#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "sim/scenario/yaml_events.hpp"

namespace dtu::sim::scenario {
namespace {

/// Where every scalar starts, in file order.
class ScalarMarks final : public IgnoredYamlEvents {
public:
    std::vector<YAML::Mark> marks;

    void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string&) override {
        marks.push_back(m);
    }
};

/// The text's lines by offset (yaml-cpp counts lines at \n and columns in bytes).
class Lines {
public:
    explicit Lines(std::string_view text) : text_(text) {
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n') starts_.push_back(i + 1);
    }
    std::size_t offset(const YAML::Mark& m) const {
        const auto line = static_cast<std::size_t>(std::max(m.line, 0));
        return line < starts_.size() ? starts_[line] + static_cast<std::size_t>(std::max(m.column, 0))
                                     : text_.size();
    }
    /// 1-based line and column of offset.
    SourcePos pos(std::size_t offset) const {
        const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset) - 1;
        return {static_cast<int>(it - starts_.begin()) + 1, static_cast<int>(offset - *it) + 1};
    }
    /// Spaces before the first character of the line holding offset.
    std::size_t indent_at(std::size_t offset) const {
        const std::size_t start = *(std::upper_bound(starts_.begin(), starts_.end(), offset) - 1);
        return indent_from(start);
    }
    std::size_t indent_from(std::size_t line_start) const {
        const std::size_t first = text_.find_first_not_of(' ', line_start);
        return (first == std::string_view::npos ? text_.size() : first) - line_start;
    }

private:
    std::string_view text_;
    std::vector<std::size_t> starts_{0};
};

/// Past the node's properties (!tag, &anchor; yaml-cpp marks a node where they start) and the
/// space and comments between them and the value.
std::size_t skip_properties(std::string_view text, std::size_t at) {
    while (at < text.size()) {
        const char c = text[at];
        if (c == '!' || c == '&')
            at = text.find_first_of(" \t\r\n", at);
        else if (c == '#')
            at = text.find('\n', at);
        else if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            ++at;
        else
            break;
        if (at == std::string_view::npos) return text.size();
    }
    return at;
}

/// The closing quote of the quoted string opening at text[at], npos when there is none (YAML 1.2
/// §7.3: \ escapes the next character in double quotes; '' is a quote in single quotes).
std::size_t closing_quote(std::string_view text, std::size_t at) {
    const char quote = text[at];
    for (std::size_t i = at + 1; i < text.size(); ++i) {
        if (quote == '"' && text[i] == '\\') {
            ++i;
        } else if (text[i] == quote) {
            if (quote == '"' || i + 1 >= text.size() || text[i + 1] != '\'') return i;
            ++i;
        }
    }
    return std::string_view::npos;
}

/// A line that reads as YAML structure: a list entry ("- x", "-") or a key ("name: x", "name:").
bool reads_as_yaml(std::string_view line) {
    if (line.empty()) return false;
    if (line[0] == '-') return line.size() == 1 || line[1] == ' ' || line[1] == '\r' || line[1] == '\n';
    std::size_t i = 0;
    while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_' ||
                               line[i] == '.' || line[i] == '-'))
        ++i;
    return i > 0 && i < line.size() && line[i] == ':' &&
           (i + 1 == line.size() || line[i + 1] == ' ' || line[i + 1] == '\r' || line[i + 1] == '\n');
}

/// The first line inside the string [open, close) that is not indented past the opening line and
/// reads as YAML; npos when none.
std::size_t swallowed_line(std::string_view text, const Lines& lines, std::size_t open, std::size_t close) {
    const std::size_t indent = lines.indent_at(open);
    for (std::size_t nl = text.find('\n', open); nl < close; nl = text.find('\n', nl + 1)) {
        const std::size_t start = nl + 1;
        const std::size_t own = lines.indent_from(start);
        const std::size_t end = std::min(text.find('\n', start), text.size());
        if (own <= indent && reads_as_yaml(text.substr(start + own, end - start - own))) return start + own;
    }
    return std::string_view::npos;
}

std::string line_text(std::string_view text, std::size_t at) {
    std::string_view line = text.substr(at, text.find_first_of("\r\n", at) - at);
    if (line.size() > 40) return std::string(line.substr(0, 40)) + "...";
    return std::string(line);
}

} // namespace

std::optional<QuoteError> swallowing_quote(std::string_view text) {
    constexpr std::string_view kBom = "\xef\xbb\xbf"; // yaml-cpp counts columns after it
    if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    ScalarMarks scalars;
    while (parser.HandleNextDocument(scalars)) {
    }
    const Lines lines(text);
    for (const YAML::Mark& mark : scalars.marks) {
        const std::size_t open = skip_properties(text, lines.offset(mark));
        if (open >= text.size() || (text[open] != '"' && text[open] != '\'')) continue;
        const std::size_t close = closing_quote(text, open);
        if (close == std::string_view::npos)
            return QuoteError{lines.pos(open), "this quoted string is never closed (the closing quote is "
                                               "missing, so it would take in the rest of the file)"};
        if (const std::size_t line = swallowed_line(text, lines, open, close); line != std::string_view::npos)
            return QuoteError{lines.pos(open), "this quoted string runs on into line " +
                                                   std::to_string(lines.pos(line).line) + " ('" +
                                                   line_text(text, line) +
                                                   "'), which reads as YAML of its own: close the quote "
                                                   "on its line, or indent the rest of the string further"};
    }
    return std::nullopt;
}

} // namespace dtu::sim::scenario
