#pragma once
// Collects a run's TraceEvents in order, stamped with device time, and hands each to the trace
// writers as it happens. The runner reads the tail for failure reports; replay compares the whole.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <QJsonObject>

#include "dtu/hal/net.hpp"
#include "hal_sim/scheduler.hpp"
#include "sim/scenario/trace_event.hpp"

namespace dtu::sim::scenario {

class TraceSink {
public:
    virtual ~TraceSink() = default;
    virtual void write(const TraceEvent& event) = 0;
};

class TraceRecorder {
public:
    /// Times are device time since `scheduler`'s now at construction. Inputs also carry "task": how
    /// many scheduler tasks had run when they happened, so replay applies them at the same point.
    explicit TraceRecorder(const hal_sim::RunnableScheduler& scheduler);

    /// The sink gets every event recorded so far, then each new one.
    void add_sink(TraceSink& sink);
    void record(TraceEvent event);
    void record(TraceKind kind, QJsonObject info = {}) {
        record(TraceEvent{0, kind, {}, 0, {}, std::move(info)});
    }
    void record_bytes(TraceKind kind, std::string_view bytes) {
        record(TraceEvent{0, kind, {}, 0, std::string(bytes), {}});
    }

    /// Device time since the run started, microseconds.
    std::uint64_t now_us() const;
    const std::vector<TraceEvent>& events() const { return events_; }

private:
    const hal_sim::RunnableScheduler& scheduler_;
    const hal_sim::Scheduler::TimePoint start_;
    std::vector<TraceEvent> events_;
    std::vector<TraceSink*> sinks_;
};

/// The info of TraceKind::NetOpen ({link, proto, host, port}) and NetResult ({link, result:
/// "connected" or the NetError's name}), as every recorder of device-side network events writes it.
QJsonObject net_open_info(hal::LinkId link, hal::Proto proto, std::string_view host, std::uint16_t port);
QJsonObject net_result_info(hal::LinkId link, hal::NetError why);

} // namespace dtu::sim::scenario
