#pragma once
// Trace events for people: the readable rendering of raw bytes that JSONL traces carry next to the
// exact hex, and the one-line summaries the runner prints as "the last events before a failure".
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/scenario/trace_event.hpp"

namespace dtu::sim::scenario {

/// Bytes as readable text: printable ASCII as is, \r \n \t, a backslash as \\, any other byte as
/// \xNN. Only for reading: the hex next to it is what is exact.
std::string readable_bytes(std::string_view bytes);

/// Device time as "12.345678 s".
std::string describe_time(std::uint64_t t_us);

/// One line, e.g. `12.345678 s  to_server echo#1  "hi\r\n" (4 bytes)` or
/// `0.500000 s  net_open  {"host":"server.example","link":0,"port":9000,"proto":"tcp"}`.
std::string describe_event(const TraceEvent& event);

} // namespace dtu::sim::scenario
