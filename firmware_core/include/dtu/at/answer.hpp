#pragma once
// Text of query and "=?" answers, generated from a row and its values (at-syntax.md §4, GAP-47).
#include <string>

#include "dtu/at/command_spec.hpp"

namespace dtu::at {

/// "v1,v2,..." as a query shows stored values: free text re-escaped (control bytes and the bytes
/// in escaped), quoted where the parameter says so, trailing empty Omit::Empty values left out.
std::string format_values(const CommandSpec& spec, const Values& values, std::string_view escaped = {});

/// "<ON,OFF>,<1~65535>" for AT+X=? (unquoted 732 style, optional parameters in [ ]).
std::string format_ranges(const CommandSpec& spec);

/// The text after "+CMD:" in the AT+X=? answer: the row's test_form (the manual's own line, '%'
/// = entry count of a Table row) or, without one, format_ranges.
std::string test_answer(const CommandSpec& spec);

} // namespace dtu::at
