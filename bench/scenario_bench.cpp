// Issue 6: how fast virtual time runs. The 24-hour scenario (30 s heartbeats, traffic keeping RSTIM
// quiet, then the 1800 s no-data restart) through the real scenario runner, without and with
// traces, next to a reference measured in the same run: a bare VirtualScheduler running as many
// tasks as the scenario did, with no firmware and no trace (the queue's own cost).
//
//   build/bench/dtu_scenario_bench [--runs N] [FILE]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "hal_sim/virtual_scheduler.hpp"
#include "sim/scenario/scenario_parser.hpp"
#include "sim/scenario/scenario_runner.hpp"

namespace {

using dtu::bench::Clock;
using namespace dtu::sim::scenario;

struct Row {
    std::string name;
    std::vector<double> ms;
};

double ms_since(Clock::time_point t0) { return dtu::bench::micros_since(t0) / 1000.0; }

/// Reference: n tasks on a bare VirtualScheduler, each scheduling the next 30 s later.
void bare_scheduler(std::uint64_t n) {
    dtu::hal_sim::VirtualScheduler s;
    std::uint64_t left = n;
    std::function<void()> tick = [&] {
        if (--left > 0) s.after(std::chrono::seconds(30), tick);
    };
    s.post(tick);
    s.run_until(dtu::hal_sim::Scheduler::TimePoint::max());
}

void print(const Row& r) {
    std::printf("| %-52s | %8.2f | %8.2f | %8.2f |\n", r.name.c_str(), dtu::bench::percentile(r.ms, 50),
                dtu::bench::percentile(r.ms, 90), dtu::bench::percentile(r.ms, 100));
}

} // namespace

int main(int argc, char** argv) {
    int runs = 20;
    std::string file = std::string(DTU_SOURCE_DIR) + "/scenarios/24h_heartbeat_rstim.yaml";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--runs" && i + 1 < argc)
            runs = std::atoi(argv[++i]);
        else if (a == "-h" || a == "--help") {
            std::puts("usage: dtu_scenario_bench [--runs N] [SCENARIO.yaml]  (default: "
                      "scenarios/24h_heartbeat_rstim.yaml)");
            return 0;
        } else
            file = a;
    }
    const ParseResult parsed = parse_scenario_file(file);
    if (!parsed.scenario) {
        for (const auto& e : parsed.errors)
            std::fprintf(stderr, "%s\n", e.to_string().c_str());
        return 1;
    }
    const Scenario& scenario = *parsed.scenario;
    const auto trace_dir = std::filesystem::temp_directory_path() / "dtu_scenario_bench";

    Row plain{"scenario runner, no trace", {}}, traced{"scenario runner, --trace (JSONL + pcapng)", {}};
    Row bare{"reference: bare VirtualScheduler, same task count", {}};
    RunResult last;
    for (int i = 0; i < runs; ++i) {
        auto t0 = Clock::now();
        last = run_scenario(scenario, RunOptions{});
        plain.ms.push_back(ms_since(t0));
        if (last.outcome != Outcome::Passed) {
            std::fprintf(stderr, "the scenario did not pass: %s\n%s", last.message.c_str(),
                         last.details.c_str());
            return 1;
        }
        RunOptions with_trace;
        with_trace.trace_dir = trace_dir.string();
        t0 = Clock::now();
        run_scenario(scenario, with_trace);
        traced.ms.push_back(ms_since(t0));
        t0 = Clock::now();
        bare_scheduler(last.tasks);
        bare.ms.push_back(ms_since(t0));
    }
    std::filesystem::remove_all(trace_dir);
    std::printf("%s: %.0f s of device time (%.1f h), %llu scheduler tasks, %llu trace events; %d runs\n\n",
                file.c_str(), last.device_seconds, last.device_seconds / 3600,
                static_cast<unsigned long long>(last.tasks), static_cast<unsigned long long>(last.events),
                runs);
    std::printf("| %-52s | %8s | %8s | %8s |\n|---|---|---|---|\n", "wall time per run (ms)", "p50", "p90",
                "max");
    print(plain);
    print(traced);
    print(bare);
    std::printf("\nspeed-up (device time / wall time, p50, no trace): %.0fx\n",
                last.device_seconds * 1000 / dtu::bench::percentile(plain.ms, 50));
    return 0;
}
