#include "sim/scenario/trace_files.hpp"

#include "sim/scenario/trace_names.hpp"

#include <filesystem>
#include <system_error>

namespace dtu::sim::scenario {

bool TraceFiles::open(const std::string& dir, const std::string& name, const QJsonObject& header,
                      std::string& error) {
    const std::string jsonl = trace_path(dir, name, "jsonl");
    std::error_code ec; // a name may have folders in it ("a/x")
    std::filesystem::create_directories(std::filesystem::path(jsonl).parent_path(), ec);
    return jsonl_.open(jsonl, error) && pcapng_.open(trace_path(dir, name, "pcapng"), header, error);
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
