#pragma once
// MQTT topic names and topic filters (MQTT 3.1.1 §4.7): what the device may publish to, what it
// may subscribe to, and which subscription a message from the broker belongs to.
#include <string_view>

namespace dtu::mqtt {

/// A topic a PUBLISH may carry: 1..65535 bytes, no wildcard ('+', '#'), no NUL (§4.7.3).
bool valid_topic_name(std::string_view topic);

/// A topic filter a SUBSCRIBE may carry: 1..65535 bytes, no NUL, '+' only as a whole level,
/// '#' only as the whole last level (§4.7.1).
bool valid_topic_filter(std::string_view filter);

/// Whether a message on `topic` is delivered to a subscription on `filter` (§4.7): '+' matches
/// exactly one level (which may be empty), '#' matches the parent level and any number of levels
/// below it, and a topic starting with '$' is not matched by a filter starting with a wildcard
/// (§4.7.2). False when either argument is not valid.
bool topic_matches(std::string_view filter, std::string_view topic);

} // namespace dtu::mqtt
