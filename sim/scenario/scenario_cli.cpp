#include "sim/scenario/scenario_cli.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <variant>

#include "sim/scenario/command_line.hpp"
#include "sim/scenario/junit.hpp"
#include "sim/scenario/scenario_parser.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/scenario/trace_names.hpp"

namespace dtu::sim::scenario {
namespace {

constexpr std::string_view kAbout = R"(Usage: dtu-sim scenario [options] FILE...

Run scenario files (scenarios/README.md). By default in virtual time: every peer is in-process and
device time jumps from event to event, so a day of device time takes well under a second, and the
same file and seed give the same trace. Every file is checked before anything runs; an invalid
file is reported (and is an error in the JUnit XML) and the others run, each with a line when it
starts and one when it ends; a summary follows.

Options:
  --seed N          the device's PRNG seed for every scenario (wins over the files' seed:)
  --junit PATH      write JUnit XML (one testcase per scenario)
  --trace DIR       write DIR/NAME.jsonl (every event) and DIR/NAME.pcapng (network + serial);
                    NAME is the file's path from the folder all the files share, without the
                    extension (x, or a/x and b/x for a/x.yaml and b/x.yaml), "-2" added to a
                    name already taken
  --real-time       run on the host's clock and sockets: the device reaches real peers (an MQTT
                    broker, TLS servers, your own server) at the addresses it is configured with,
                    and the scenario's declared servers listen on 127.0.0.1 ports of their own.
                    Waits take real time. `clock: real` scenarios are skipped without
                    it, `clock: virtual` ones (exact device times) with it.
%s  -h, --help        this help

Exit status: 0 all passed (or skipped); 1 a step failed (mismatch, fail pattern, status, reboot
cause) or a run was an error; 3 a wait timed out and nothing mismatched; 4 a file is invalid (the
others still ran); 2 usage.
Replay a trace: dtu-sim replay TRACE.jsonl
)";

struct ScenarioOptions {
    std::vector<std::string> files;
    RunOptions run;
    std::string junit;
};

/// The options, or an exit code (help printed, or usage error).
std::variant<ScenarioOptions, int> parse_options(const std::vector<std::string>& args) {
    CommandLine line("scenario", kAbout);
    const QCommandLineOption seed{"seed", "seed", "N"};
    const QCommandLineOption junit{"junit", "junit", "PATH"};
    const QCommandLineOption trace{"trace", "trace", "DIR"};
    const QCommandLineOption real_time{"real-time", "real time"};
    for (const QCommandLineOption& option : {seed, junit, trace, real_time})
        line.add(option);
    if (const auto code = line.parse(args)) return *code;
    const QCommandLineParser& parser = line.parser();
    ScenarioOptions o;
    o.files = line.positional();
    if (o.files.empty()) return line.usage("no scenario file given");
    bool ok = true;
    if (parser.isSet(seed)) o.run.seed = parser.value(seed).toULongLong(&ok);
    if (!ok) return line.usage("--seed needs a number, not '" + parser.value(seed).toStdString() + "'");
    o.run.wall_limit = line.wall_limit();
    o.junit = parser.value(junit).toStdString();
    o.run.trace_dir = parser.value(trace).toStdString();
    o.run.real_time = parser.isSet(real_time);
    return o;
}

/// One file given on the command line: its scenario, or its errors.
struct Loaded {
    std::string file;
    std::optional<Scenario> scenario;
    std::vector<ScenarioError> errors;
    std::string trace_name; ///< under --trace DIR (trace_names.hpp)
};

/// Every file parsed, its errors printed with their positions.
std::vector<Loaded> load_all(const std::vector<std::string>& files) {
    const std::vector<std::string> names = trace_names(files);
    std::vector<Loaded> loaded;
    std::size_t errors = 0, invalid = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
        ParseResult parsed = parse_scenario_file(files[i]);
        for (const ScenarioError& e : parsed.errors)
            std::fprintf(stderr, "%s\n", e.to_string().c_str());
        errors += parsed.errors.size();
        invalid += parsed.scenario ? 0 : 1;
        loaded.push_back({files[i], std::move(parsed.scenario), std::move(parsed.errors), names[i]});
    }
    if (invalid > 0)
        std::fprintf(
            stderr,
            "dtu-sim scenario: %zu error(s) in %zu scenario file(s): they do not run, the others do\n",
            errors, invalid);
    return loaded;
}

CaseResult::Outcome case_outcome(Outcome outcome) {
    switch (outcome) {
    case Outcome::Passed: return CaseResult::Outcome::Passed;
    case Outcome::Failed: return CaseResult::Outcome::Failed;
    case Outcome::TimedOut: return CaseResult::Outcome::TimedOut;
    case Outcome::Error: return CaseResult::Outcome::Error;
    case Outcome::Skipped: return CaseResult::Outcome::Skipped;
    }
    return CaseResult::Outcome::Error;
}

CaseResult case_result(const Scenario& s, const RunResult& r, double wall_seconds) {
    return CaseResult{s.name,       junit_classname(s.file), s.source,  r.device_seconds,
                      wall_seconds, case_outcome(r.outcome), r.message, r.details};
}

/// An invalid file as an error testcase, named for its file (it has no valid name).
CaseResult invalid_case(const Loaded& l) {
    std::string details;
    for (const ScenarioError& e : l.errors)
        details += e.to_string() + "\n";
    const std::string first = l.errors.empty() ? "" : ": " + l.errors.front().to_string();
    return CaseResult{std::filesystem::path(l.file).filename().string(),
                      junit_classname(l.file),
                      {},
                      0,
                      0,
                      CaseResult::Outcome::Error,
                      "invalid scenario file (" + std::to_string(l.errors.size()) + " error(s))" + first,
                      details};
}

/// Run one scenario between its start line and its result line (both whole lines, flushed: a CI
/// log shows a line only when it ends, and a real-time scenario may take minutes).
RunResult run_one(const Loaded& l, std::size_t index, std::size_t count, RunOptions options) {
    const Scenario& s = *l.scenario;
    std::fprintf(stdout, "[%zu/%zu] %s (%s) ...\n", index, count, s.name.c_str(), s.file.c_str());
    std::fflush(stdout);
    options.trace_name = l.trace_name;
    const auto wall_start = std::chrono::steady_clock::now();
    RunResult r = run_scenario(s, options);
    r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    std::fprintf(stdout, "[%zu/%zu] %s: %s (%.1f s device time, %.3f s)\n", index, count, s.name.c_str(),
                 outcome_name(r.outcome), r.device_seconds, r.wall_seconds);
    if (r.outcome != Outcome::Passed) std::fprintf(stdout, "  %s\n%s", r.message.c_str(), r.details.c_str());
    if (!r.trace.empty()) std::fprintf(stdout, "  trace: %s (and .pcapng)\n", r.trace.c_str());
    std::fflush(stdout);
    return r;
}

int exit_code(const std::vector<RunResult>& results) {
    bool timeout = false;
    for (const RunResult& r : results) {
        if (r.outcome == Outcome::Failed || r.outcome == Outcome::Error) return kExitScenarioFailed;
        timeout = timeout || r.outcome == Outcome::TimedOut;
    }
    return timeout ? kExitScenarioTimeout : 0;
}

} // namespace

int scenario_main(const std::vector<std::string>& args) {
    const auto parsed = parse_options(args);
    if (const int* code = std::get_if<int>(&parsed)) return *code;
    const ScenarioOptions& o = std::get<ScenarioOptions>(parsed);
    const std::vector<Loaded> loaded = load_all(o.files);
    const auto runnable = static_cast<std::size_t>(
        std::count_if(loaded.begin(), loaded.end(), [](const Loaded& l) { return l.scenario.has_value(); }));
    if (runnable == 0) return kExitScenarioInvalid;

    std::vector<RunResult> results;
    std::vector<CaseResult> cases;
    for (const Loaded& l : loaded) {
        if (!l.scenario) {
            cases.push_back(invalid_case(l));
            continue;
        }
        results.push_back(run_one(l, results.size() + 1, runnable, o.run));
        cases.push_back(case_result(*l.scenario, results.back(), results.back().wall_seconds));
    }
    std::size_t counts[5] = {};
    for (const RunResult& r : results)
        ++counts[static_cast<int>(r.outcome)];
    const std::size_t invalid = loaded.size() - runnable;
    std::fprintf(stdout, "%zu scenario(s): %zu passed, %zu failed, %zu timed out, %zu errors, %zu skipped",
                 runnable, counts[0], counts[1], counts[2], counts[3], counts[4]);
    if (invalid > 0) std::fprintf(stdout, "; %zu invalid file(s) not run", invalid);
    std::fputc('\n', stdout);
    std::string error;
    if (!o.junit.empty() && !write_junit(o.junit, "dtu-sim scenarios", cases, error)) {
        std::fprintf(stderr, "dtu-sim scenario: cannot write %s: %s\n", o.junit.c_str(), error.c_str());
        return kExitScenarioFailed;
    }
    return invalid > 0 ? kExitScenarioInvalid : exit_code(results);
}

} // namespace dtu::sim::scenario
