#pragma once
// Traces as JSON Lines (scenarios/README.md "Traces"): one compact object per event, e.g.
//   {"conn":1,"hex":"68690d0a","kind":"to_server","server":"echo","t_us":1500000,"text":"hi\r\n"}
// t_us and kind always; server, conn, hex (the exact bytes) and text (a readable rendering of them,
// trace_text.hpp) when the event has them; the info fields at top level. An info field whose name
// one of those takes (kind, say, in a step's info) goes into a nested "info" object instead, so
// reading gives back exactly the event that was written. Keys are sorted (QJsonObject), so the same
// events always give the same bytes.
#include <string>
#include <vector>

#include "sim/scenario/trace_event.hpp"
#include "sim/scenario/trace_file.hpp"

namespace dtu::sim::scenario {

class JsonlTraceWriter {
public:
    /// Create (or truncate) path; false with error if it cannot be created.
    bool open(const std::string& path, std::string& error);
    /// Append one line (nothing if not open).
    void write(const TraceEvent& event);
    /// Flush and close; false with error if anything could not be written.
    bool close(std::string& error);

private:
    TraceFile file_;
};

/// One event as its JSONL line, without the newline.
std::string trace_event_json(const TraceEvent& event);

struct TraceReadResult {
    std::vector<TraceEvent> events;  ///< every line that could be read, in order
    std::vector<std::string> errors; ///< "PATH:LINE: what is wrong"; empty if the whole file is good
};

/// Read a JSONL trace. Errors (each naming the file, the line, the field and what it must be): a
/// line that is not a JSON object (the last one: the file is cut), an unknown kind, t_us missing or
/// not a whole number, a field the kind does not have or of the wrong type or range
/// (trace_schema.hpp), bad hex, text that does not match the hex, a first event that is not the
/// `scenario` header, time or an input's task count going backwards, an event past the header's
/// deadline, an empty file. Bad lines are left out of events; reading goes on.
TraceReadResult read_jsonl_trace(const std::string& path);

} // namespace dtu::sim::scenario
