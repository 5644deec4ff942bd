#pragma once
// Splitting one command line into name, operator and parameters (at-syntax.md §1.1).
#include <optional>
#include <string>
#include <string_view>

#include "dtu/at/command_spec.hpp"

namespace dtu::at {

struct Request {
    std::string name; ///< upper-case command name without "AT+"; empty for a bare "AT"
    Op op = kExec;
    std::string_view para; ///< everything after the first '=' of a set (points into the line)
};

/// Parse a line (without terminator). nullopt = not an AT command or malformed (format error).
std::optional<Request> parse_request(std::string_view line);

/// For a line parse_request refused: true when it is "AT+" and a name with a byte no command
/// name has ("AT+ VER", "AT++VER", "AT+VER =1"): a command the device does not have (at-syntax
/// §2), not a line that is not AT at all.
bool names_no_command(std::string_view line);

} // namespace dtu::at
