// libFuzzer target: the JSONL trace reader (sim/scenario/trace_jsonl.cpp) and replay
// (sim/scenario/replay.cpp) on arbitrary trace files: what `dtu-sim replay FILE` does, in memory.
// Oracles besides ASan/UBSan (a number cast out of range, say) and libFuzzer's -timeout and
// -rss_limit_mb (a replay that runs away):
//  - a file the reader accepts whole, written back by the writer and read again, gives the same
//    events without a complaint (the reader and the writer agree on the format);
//  - replay of such a file either says why it cannot replay it or compares its outputs.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/replay.hpp"
#include "sim/scenario/trace_jsonl.hpp"

namespace {

/// A file in memory: read_jsonl_trace takes a path, and the fuzzer should not wear out a disk.
class MemFile {
public:
    explicit MemFile(std::string_view bytes) : fd_(memfd_create("trace", MFD_CLOEXEC)) {
        if (fd_ < 0) std::abort();
        for (std::size_t at = 0; at < bytes.size();) {
            const ssize_t n = write(fd_, bytes.data() + at, bytes.size() - at);
            if (n <= 0) std::abort();
            at += static_cast<std::size_t>(n);
        }
    }
    ~MemFile() { close(fd_); }
    MemFile(const MemFile&) = delete;
    MemFile& operator=(const MemFile&) = delete;
    std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

private:
    int fd_;
};

dtu::sim::scenario::TraceReadResult read(std::string_view bytes) {
    const MemFile file(bytes);
    return dtu::sim::scenario::read_jsonl_trace(file.path());
}

std::string written(const std::vector<dtu::sim::scenario::TraceEvent>& events) {
    std::string out;
    for (const auto& e : events)
        out += dtu::sim::scenario::trace_event_json(e) + '\n';
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto trace = read(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!trace.errors.empty()) return 0; // `dtu-sim replay` stops here too
    const std::string once = written(trace.events);
    const auto again = read(once);
    if (!again.errors.empty() || written(again.events) != once) std::abort();
    const auto replayed = dtu::sim::scenario::replay_trace(trace.events);
    if (replayed.error.empty() && replayed.reproduced != replayed.difference.empty()) std::abort();
    return 0;
}
