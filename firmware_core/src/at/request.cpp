#include "dtu/at/request.hpp"

#include "dtu/at/text.hpp"

namespace dtu::at {
namespace {

bool is_name_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

} // namespace

std::optional<Request> parse_request(std::string_view line) {
    if (iequals(line, "AT")) return Request{};
    if (!istarts_with(line, "AT+")) return std::nullopt;
    std::string_view rest = line.substr(3);
    std::size_t n = 0;
    while (n < rest.size() && is_name_char(rest[n]))
        ++n;
    if (n == 0) return std::nullopt;
    Request req;
    req.name = to_upper(rest.substr(0, n));
    rest.remove_prefix(n);
    // Parsing rule of at-syntax.md §1.1: the operator is decided by what follows the name.
    if (rest.empty()) {
        req.op = kExec;
    } else if (rest == "?") {
        req.op = kQuery;
    } else if (rest == "=?") {
        req.op = kTest;
    } else if (rest.front() == '=') {
        req.op = kSet;
        req.para = rest.substr(1);
    } else {
        return std::nullopt;
    }
    return req;
}

bool names_no_command(std::string_view line) {
    if (!istarts_with(line, "AT+")) return false;
    const std::string_view rest = line.substr(3);
    const std::string_view name = rest.substr(0, rest.find_first_of("=?"));
    for (const char c : name)
        if (!is_name_char(c)) return true;
    return false;
}

} // namespace dtu::at
