#include "sim/httpd_json.hpp"

#include <QString>

namespace dtu::sim {
namespace {

QJsonValue count(std::uint64_t n) { return static_cast<qint64>(n); }

} // namespace

QJsonObject httpd_to_json(const device::HttpdStatus& s) {
    return QJsonObject{{"requests", count(s.requests)},
                       {"responses", count(s.responses)},
                       {"timeouts", count(s.timeouts)},
                       {"failures", count(s.failures)},
                       {"malformed", count(s.malformed)},
                       {"bytes_to_serial", count(s.bytes_to_serial)},
                       {"discarded_bytes", count(s.discarded_bytes)},
                       {"queued_frames", count(s.queued_frames)},
                       {"queue_dropped", count(s.queue_dropped)},
                       {"truncated_bytes", count(s.truncated_bytes)},
                       {"last_error", QString::fromStdString(s.last_error)}};
}

} // namespace dtu::sim
