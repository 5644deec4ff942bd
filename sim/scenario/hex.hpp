#pragma once
// Hex text to bytes, for scenario files ({hex: "01 02 0a"}) and JSONL traces ("hex":"01020a"): one
// rule and one set of messages, so the two never disagree on what a byte string is.
#include <optional>
#include <string>
#include <string_view>

namespace dtu::sim::scenario {

/// "01 02 0a" or "01020a" -> the bytes: two hex digits per byte, either case; spaces are ignored.
/// Otherwise nullopt and error says what and where, for the caller to prefix with its context:
/// "'g' at position 2 is not a hex digit" (positions count characters from 1, spaces included),
/// "an odd number of hex digits (3): two digits per byte".
std::optional<std::string> decode_hex(std::string_view text, std::string& error);

} // namespace dtu::sim::scenario
