#pragma once
// JSON of the firmware's HTTPD client counters ("httpd" in GET /api/v1/status).
#include <QJsonObject>

#include "dtu/device/device.hpp"

namespace dtu::sim {

/// requests, responses, timeouts, failures, malformed, bytes_to_serial, discarded_bytes,
/// queued_frames, queue_dropped, truncated_bytes, last_error.
QJsonObject httpd_to_json(const device::HttpdStatus& s);

} // namespace dtu::sim
