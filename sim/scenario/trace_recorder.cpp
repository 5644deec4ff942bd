#include "sim/scenario/trace_recorder.hpp"

#include <chrono>
#include <utility>

#include "hal_sim/asio_net.hpp"

namespace dtu::sim::scenario {

TraceRecorder::TraceRecorder(const hal_sim::RunnableScheduler& scheduler)
    : scheduler_(scheduler), start_(scheduler.now()) {}

std::uint64_t TraceRecorder::now_us() const {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(scheduler_.now() - start_).count());
}

void TraceRecorder::add_sink(TraceSink& sink) {
    for (const TraceEvent& e : events_)
        sink.write(e);
    sinks_.push_back(&sink);
}

void TraceRecorder::record(TraceEvent event) {
    event.t_us = now_us();
    if (is_trace_input(event.kind)) event.info.insert("task", static_cast<double>(scheduler_.tasks_run()));
    events_.push_back(std::move(event));
    for (TraceSink* sink : sinks_)
        sink->write(events_.back());
}

QJsonObject net_open_info(hal::LinkId link, hal::Proto proto, std::string_view host, std::uint16_t port) {
    return {{"link", link},
            {"proto", proto == hal::Proto::Tcp ? "tcp" : "udp"},
            {"host", QString::fromUtf8(host.data(), static_cast<qsizetype>(host.size()))},
            {"port", port}};
}

QJsonObject net_result_info(hal::LinkId link, hal::NetError why) {
    const char* result = why == hal::NetError::None ? "connected" : hal_sim::AsioNet::error_name(why);
    return {{"link", link}, {"result", result}};
}

} // namespace dtu::sim::scenario
