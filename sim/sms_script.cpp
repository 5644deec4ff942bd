#include "sim/sms_script.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

namespace dtu::sim {
namespace {

constexpr double kMaxSeconds = 366.0 * 24 * 3600; // a year: anything later is a typo

bool blank(char c) { return c == ' ' || c == '\t'; }

/// The next whitespace-separated word of rest (rest keeps what follows, without the separator).
std::string_view word(std::string_view& rest) {
    while (!rest.empty() && blank(rest.front()))
        rest.remove_prefix(1);
    std::size_t end = 0;
    while (end < rest.size() && !blank(rest[end]))
        ++end;
    const std::string_view w = rest.substr(0, end);
    rest.remove_prefix(end);
    while (!rest.empty() && blank(rest.front()))
        rest.remove_prefix(1);
    return w;
}

std::optional<std::chrono::milliseconds> parse_when(std::string_view w, std::string& why) {
    double scale = 1000;
    for (const auto& [unit, factor] :
         {std::pair{"ms", 1.0}, std::pair{"s", 1000.0}, std::pair{"m", 60000.0}}) {
        const std::string_view u(unit);
        if (w.size() > u.size() && w.substr(w.size() - u.size()) == u) {
            scale = factor;
            w.remove_suffix(u.size());
            break;
        }
    }
    const std::string number(w);
    std::size_t used = 0;
    double v = -1;
    if (!number.empty() && (number[0] >= '0' && number[0] <= '9')) v = std::strtod(number.c_str(), nullptr);
    used = number.find_first_not_of("0123456789.");
    if (v < 0 || used != std::string::npos || std::count(number.begin(), number.end(), '.') > 1 ||
        v * scale / 1000 > kMaxSeconds) {
        why = "'" + number + "' is not a time: write seconds (2.5), or a number with ms, s or m (1500ms)";
        return std::nullopt;
    }
    return std::chrono::milliseconds(static_cast<long long>(std::llround(v * scale)));
}

std::optional<std::string> unescape(std::string_view text, std::string& why) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            out.push_back(text[i]);
            continue;
        }
        const char e = i + 1 < text.size() ? text[++i] : '\0';
        switch (e) {
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case '\\': out.push_back('\\'); break;
        default:
            why = e ? std::string("unknown escape \\") + e + " (use \\n \\r \\t or \\\\)"
                    : "a lone \\ ends the line";
            return std::nullopt;
        }
    }
    return out;
}

std::optional<ScriptedSms> parse_line(std::string_view line, int number, std::string& why) {
    std::string_view rest = line;
    const std::string_view when = word(rest);
    const std::string_view from = word(rest);
    if (from.empty() || rest.empty()) {
        why = "expected '<when> <from> <text>'";
        return std::nullopt;
    }
    const auto at = parse_when(when, why);
    if (!at) return std::nullopt;
    auto text = unescape(rest, why);
    if (!text) return std::nullopt;
    ScriptedSms s{*at, hal_sim::InboxSms{std::string(from), std::move(*text), std::nullopt}, number};
    if (auto bad = hal_sim::SmsCenter::validate(s.sms)) {
        why = *bad;
        return std::nullopt;
    }
    return s;
}

} // namespace

std::variant<std::vector<ScriptedSms>, std::string> parse_sms_script(std::string_view text,
                                                                     const std::string& name) {
    std::vector<ScriptedSms> out;
    int number = 0;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1); // a file saved on Windows
        const std::size_t first = line.find_first_not_of(" \t");
        if (first == std::string_view::npos || line[first] == '#') continue;
        std::string why;
        auto sms = parse_line(line.substr(first), number, why);
        if (!sms) return name + ":" + std::to_string(number) + ": " + why;
        out.push_back(std::move(*sms));
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    return out;
}

std::variant<std::vector<ScriptedSms>, std::string> load_sms_script(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return path.string() + ": cannot read the SMS script";
    std::ostringstream all;
    all << in.rdbuf();
    return parse_sms_script(all.str(), path.string());
}

} // namespace dtu::sim
