#pragma once
// The AT+H help text, generated from a command table (732 §3.1.7.1, 7S4 §3.1.7.2: "help message";
// the text itself is not given, spec at-syntax §8, GAP-44).
#include <string>
#include <vector>

#include "dtu/at/command_spec.hpp"

namespace dtu::at {

/// One line per command (each variant of a '#' row), "AT+<CMD>: <summary>" ("AT: ..." for the
/// bare AT), lines joined by CR LF, no line end after the last one.
std::string help_text(const std::vector<CommandSpec>& commands);

} // namespace dtu::at
