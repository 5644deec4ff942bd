#pragma once
// The fields each kind of trace event carries (scenarios/README.md "Traces"), with their types and
// ranges, so a trace edited by hand or cut and glued is refused with the field and what it must
// be, not cast into undefined behaviour (a task of 1e300) or replayed for centuries.
#include <cstdint>
#include <string>
#include <string_view>

#include <QJsonObject>
#include <QJsonValue>

#include "sim/scenario/trace_event.hpp"

namespace dtu::sim::scenario {

/// The largest whole number a trace carries (t_us, task, deadline_us): what a JSON number holds
/// exactly, 2^53 (285 years of microseconds).
inline constexpr std::uint64_t kMaxTraceCount = 9007199254740992ull;

/// What is wrong with the event's fields for its kind, "" when nothing is: the field, what it must
/// be, and what it is (e.g. "task: expected a whole number from 0 to 9007199254740992, not 1e+300").
/// Which of server, conn and hex the kind has, every info field's type and range, no unknown field.
/// The fields of link and radio patches and sms_in messages are the control API's (PUT
/// /api/v1/link, /radio, POST /api/v1/sms), checked by its own code when replayed.
std::string check_trace_fields(const TraceEvent& event);

/// "FIELD: expected WHAT, not VALUE" (VALUE as JSON, shortened), or "FIELD: missing (expected
/// WHAT)" when v is undefined: how every field error of the trace reader reads.
std::string field_error(std::string_view field, std::string_view what, const QJsonValue& v);

/// The scenario's deadline from a trace header (deadline_us), or the scenario default (1 h) for a
/// header without one (traces written before headers carried it).
std::uint64_t trace_deadline_us(const QJsonObject& header);

} // namespace dtu::sim::scenario
