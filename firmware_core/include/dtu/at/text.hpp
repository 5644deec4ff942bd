#pragma once
// Small text helpers for AT lines: case folding, [HH] escapes, field splitting, quotes.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dtu::at {

/// ASCII upper-case copy (AT names and keywords are case-insensitive, at-syntax.md §2).
std::string to_upper(std::string_view s);
/// ASCII lower-case copy (the 732's lower-case enumerations in answers).
std::string to_lower(std::string_view s);
/// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);
/// True if s starts with prefix, ignoring ASCII case.
bool istarts_with(std::string_view s, std::string_view prefix);

/// Decode [HH] escapes (two hex digits, either case) into bytes; any other '[' is literal
/// (at-syntax.md §6.1).
std::string decode_escapes(std::string_view s);
/// Re-encode bytes below 0x20, 0x7F and any byte in also as [HH] with upper-case hex for query
/// answers (the 7S4 also escapes ",=?", 7S4 §3.1.6.4).
std::string encode_escapes(std::string_view s, std::string_view also = {});

/// Split PARA on ',' into at most max_fields fields; the last one keeps any further commas
/// (at-syntax.md §1.1). An empty PARA gives one empty field.
std::vector<std::string_view> split_fields(std::string_view para, std::size_t max_fields);
/// Strip one pair of enclosing ASCII double quotes, if present (GAP-02). Blanks before an opening
/// quote go with it (732 §3.1.7.63 writes `AT+SMSEND="number",type, "data"`); a field that does not
/// start with a quote after its blanks keeps them.
std::string_view unquote(std::string_view field);

/// The command line inside "<password>AT...<CR>[<LF>]" (serial, network and SMS AT share this
/// format, G771 §3), or nullopt when text is not such a command. The password is case-sensitive.
std::optional<std::string_view> prefixed_command(std::string_view text, std::string_view password);

/// Parse a decimal number made only of digits (no sign, no spaces); nullopt on anything else
/// or on overflow.
std::optional<std::int64_t> parse_decimal(std::string_view s);

} // namespace dtu::at
