#pragma once
// GET /metrics: a board's counters as Prometheus metric families (text format 0.0.4, written by
// prometheus-cpp's TextSerializer). Names follow Prometheus practice (`dtu_..._total` for counters,
// units in the name) and the label set is bounded (profile, state, direction, cause: never a device
// index or an address), so a fleet (issue 17) sums its devices into the same families; per-device
// detail stays in the JSON status.
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

#include "sim/json_codec.hpp"

namespace dtu::sim {

/// The families of one board, its snapshot as GET /api/v1/status has it.
std::vector<prometheus::MetricFamily> board_metrics(const BoardSnapshot& board);

/// The text exposition of families ("text/plain; version=0.0.4").
std::string metrics_text(const std::vector<prometheus::MetricFamily>& families);

/// The Content-Type of metrics_text.
inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

} // namespace dtu::sim
