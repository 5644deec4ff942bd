// `dtu-sim replay TRACE.jsonl...`: options, one line per trace, exit status.
#include <cstdio>
#include <string_view>
#include <variant>

#include "sim/scenario/command_line.hpp"
#include "sim/scenario/replay.hpp"
#include "sim/scenario/scenario_cli.hpp"
#include "sim/scenario/trace_jsonl.hpp"

namespace dtu::sim::scenario {
namespace {

constexpr std::string_view kAbout = R"(Usage: dtu-sim replay [options] TRACE.jsonl...

Feed the inputs of a trace written by `dtu-sim scenario --trace DIR` (serial bytes, server
sends and closes, SMS, link, radio and power changes) into a fresh device in virtual time,
at the device time they were recorded, and check that the device's outputs (serial bytes,
connections, bytes the servers received, SMS sent, reboots) are reproduced byte for byte.
A trace recorded with --real-time cannot be replayed: its timing came from real peers.
Like a scenario run, a replay is bounded: no event may lie past the scenario's deadline (the
header's deadline_us, 1 h when it has none), and the wall-clock limit stops a replay that runs
too long.

Options:
%s  -h, --help        this help

Exit status: 0 every trace reproduced; 1 an output differs (the first difference is shown) or a
replay hit its wall-clock limit; 4 a trace is invalid (cut, not a trace, a field out of range);
2 usage.
)";

struct ReplayCli {
    std::vector<std::string> traces;
    ReplayOptions replay;
};

/// The options, or an exit code (help printed, or usage error).
std::variant<ReplayCli, int> parse_options(const std::vector<std::string>& args) {
    CommandLine line("replay", kAbout);
    if (const auto code = line.parse(args)) return *code;
    ReplayCli o;
    o.traces = line.positional();
    if (o.traces.empty())
        return line.usage("give the trace file(s) to replay (dtu-sim replay TRACE.jsonl...)");
    o.replay.wall_limit = line.wall_limit();
    return o;
}

/// Replay one trace; its exit status.
int replay_one(const std::string& path, const ReplayOptions& options) {
    const TraceReadResult trace = read_jsonl_trace(path);
    for (const std::string& e : trace.errors)
        std::fprintf(stderr, "%s\n", e.c_str());
    if (!trace.errors.empty()) return kExitScenarioInvalid;
    const ReplayResult r = replay_trace(trace.events, options);
    if (!r.error.empty()) {
        std::fprintf(stderr, "dtu-sim replay: %s: %s\n", path.c_str(), r.error.c_str());
        return kExitScenarioInvalid;
    }
    if (!r.stopped.empty()) {
        std::fprintf(stdout, "%s: ERROR: %s (%zu inputs replayed)\n", path.c_str(), r.stopped.c_str(),
                     r.inputs);
        return kExitScenarioFailed;
    }
    if (!r.reproduced) {
        std::fprintf(stdout, "%s: NOT reproduced (%zu inputs replayed)\n%s\n", path.c_str(), r.inputs,
                     r.difference.c_str());
        return kExitScenarioFailed;
    }
    std::fprintf(stdout, "%s: reproduced: %zu inputs replayed, %zu outputs identical\n", path.c_str(),
                 r.inputs, r.outputs);
    return 0;
}

} // namespace

int replay_main(const std::vector<std::string>& args) {
    const auto parsed = parse_options(args);
    if (const int* code = std::get_if<int>(&parsed)) return *code;
    const ReplayCli& o = std::get<ReplayCli>(parsed);
    int worst = 0;
    for (const std::string& path : o.traces) {
        const int code = replay_one(path, o.replay);
        std::fflush(stdout);
        if (code == kExitScenarioInvalid || (code != 0 && worst == 0)) worst = code; // invalid wins
    }
    return worst;
}

} // namespace dtu::sim::scenario
