#include "sim/scenario/trace_files.hpp"

#include <filesystem>
#include <system_error>

namespace dtu::sim::scenario {

bool TraceFiles::open(const std::string& dir, const std::string& stem, const QJsonObject& header,
                      std::string& error) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    const std::string base = (std::filesystem::path(dir) / stem).string();
    return jsonl_.open(base + ".jsonl", error) && pcapng_.open(base + ".pcapng", header, error);
}

void TraceFiles::attach(TraceRecorder& recorder) {
    recorder.add_sink(jsonl_sink_);
    recorder.add_sink(pcapng_sink_);
}

bool TraceFiles::close(std::string& error) {
    // Both, even when the first fails: each file keeps what it could write.
    const bool jsonl = jsonl_.close(error);
    std::string pcapng_error;
    const bool pcapng = pcapng_.close(pcapng_error);
    if (jsonl && !pcapng) error = pcapng_error;
    return jsonl && pcapng;
}

} // namespace dtu::sim::scenario
