#include "sim/scenario/scenario_cli.hpp"

#include <chrono>
#include <cstdio>
#include <variant>

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QStringList>

#include "sim/scenario/junit.hpp"
#include "sim/scenario/replay.hpp"
#include "sim/scenario/scenario_parser.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/scenario/trace_jsonl.hpp"

namespace dtu::sim::scenario {
namespace {

constexpr std::string_view kAbout = R"(Usage: dtu-sim scenario [options] FILE...

Run scenario files (scenarios/README.md). By default in virtual time: every peer is in-process and
device time jumps from event to event, so a day of device time takes well under a second, and the
same file and seed give the same trace. Every file is checked before anything runs; then each runs
with a progress line, and a summary follows.

Options:
  --seed N          the device's PRNG seed for every scenario (wins over the files' seed:)
  --junit PATH      write JUnit XML (one testcase per scenario)
  --trace DIR       write DIR/NAME.jsonl (every event) and DIR/NAME.pcapng (network + serial)
  --real-time       run on the host's clock and sockets: the device reaches real peers (an MQTT
                    broker, TLS servers, your own server) at the addresses it is configured with,
                    and the scenario's declared servers listen on 127.0.0.1 ports of their own.
                    Waits take real time. `clock: real` scenarios are skipped without
                    it, `clock: virtual` ones (exact device times) with it.
  --wall-limit S    give up on a scenario after S seconds of real time (default 120)
  -h, --help        this help

Exit status: 0 all passed (or skipped); 1 a step failed (mismatch, fail pattern, status, reboot
cause); 3 a wait timed out and nothing mismatched; 4 a file is invalid (nothing ran); 2 usage.
Replay a trace: dtu-sim replay TRACE.jsonl
)";

struct ScenarioOptions {
    std::vector<std::string> files;
    RunOptions run;
    std::string junit;
};

int usage(const std::string& message) {
    std::fprintf(stderr, "dtu-sim scenario: %s\nTry 'dtu-sim scenario --help'.\n", message.c_str());
    return kExitScenarioUsage;
}

/// The options, or an exit code (help printed, or usage error).
std::variant<ScenarioOptions, int> parse_options(const std::vector<std::string>& args) {
    QCommandLineParser parser;
    const QCommandLineOption help{{"h", "help"}, "help"};
    const QCommandLineOption seed{"seed", "seed", "N"};
    const QCommandLineOption junit{"junit", "junit", "PATH"};
    const QCommandLineOption trace{"trace", "trace", "DIR"};
    const QCommandLineOption wall_limit{"wall-limit", "wall limit", "S"};
    const QCommandLineOption real_time{"real-time", "real time"};
    parser.addOptions({help, seed, junit, trace, wall_limit, real_time});
    QStringList list{"dtu-sim scenario"};
    for (const std::string& a : args)
        list << QString::fromStdString(a);
    if (!parser.parse(list)) return usage(parser.errorText().toStdString());
    if (parser.isSet(help)) {
        std::fputs(kAbout.data(), stdout);
        return 0;
    }
    ScenarioOptions o;
    for (const QString& f : parser.positionalArguments())
        o.files.push_back(f.toStdString());
    if (o.files.empty()) return usage("no scenario file given");
    bool ok = true;
    if (parser.isSet(seed)) o.run.seed = parser.value(seed).toULongLong(&ok);
    if (!ok) return usage("--seed needs a number, not '" + parser.value(seed).toStdString() + "'");
    if (parser.isSet(wall_limit))
        o.run.wall_limit = std::chrono::seconds(parser.value(wall_limit).toUInt(&ok));
    if (!ok || o.run.wall_limit.count() == 0) return usage("--wall-limit needs a number of seconds > 0");
    o.junit = parser.value(junit).toStdString();
    o.run.trace_dir = parser.value(trace).toStdString();
    o.run.real_time = parser.isSet(real_time);
    return o;
}

/// Every file parsed, or nothing: errors are printed with their positions.
std::optional<std::vector<Scenario>> load_all(const std::vector<std::string>& files) {
    std::vector<Scenario> scenarios;
    std::size_t errors = 0;
    for (const std::string& file : files) {
        ParseResult parsed = parse_scenario_file(file);
        for (const ScenarioError& e : parsed.errors)
            std::fprintf(stderr, "%s\n", e.to_string().c_str());
        errors += parsed.errors.size();
        if (parsed.scenario) scenarios.push_back(std::move(*parsed.scenario));
    }
    if (errors == 0) return scenarios;
    std::fprintf(stderr, "dtu-sim scenario: %zu error(s) in the scenario files; nothing was run\n", errors);
    return std::nullopt;
}

CaseResult case_result(const Scenario& s, const RunResult& r, double wall_seconds) {
    CaseResult c;
    c.name = s.name;
    c.classname = s.file;
    c.source = s.source;
    c.device_seconds = r.device_seconds;
    c.wall_seconds = wall_seconds;
    switch (r.outcome) {
    case Outcome::Passed: c.outcome = CaseResult::Outcome::Passed; break;
    case Outcome::Failed: c.outcome = CaseResult::Outcome::Failed; break;
    case Outcome::TimedOut: c.outcome = CaseResult::Outcome::TimedOut; break;
    case Outcome::Error: c.outcome = CaseResult::Outcome::Error; break;
    case Outcome::Skipped: c.outcome = CaseResult::Outcome::Skipped; break;
    }
    c.message = r.message;
    c.details = r.details;
    return c;
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
    const auto scenarios = load_all(o.files);
    if (!scenarios) return kExitScenarioInvalid;

    std::vector<RunResult> results;
    std::vector<CaseResult> cases;
    const std::size_t n = scenarios->size();
    for (std::size_t i = 0; i < n; ++i) {
        const Scenario& s = (*scenarios)[i];
        std::fprintf(stdout, "[%zu/%zu] %s (%s) ... ", i + 1, n, s.name.c_str(), s.file.c_str());
        std::fflush(stdout);
        const auto wall_start = std::chrono::steady_clock::now();
        results.push_back(run_scenario(s, o.run));
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
        const RunResult& r = results.back();
        std::fprintf(stdout, "%s (%.1f s device time, %.3f s)\n", outcome_name(r.outcome), r.device_seconds,
                     wall);
        if (r.outcome != Outcome::Passed)
            std::fprintf(stdout, "  %s\n%s", r.message.c_str(), r.details.c_str());
        cases.push_back(case_result(s, r, wall));
    }
    std::size_t counts[5] = {};
    for (const RunResult& r : results)
        ++counts[static_cast<int>(r.outcome)];
    std::fprintf(stdout, "%zu scenario(s): %zu passed, %zu failed, %zu timed out, %zu errors, %zu skipped\n",
                 n, counts[0], counts[1], counts[2], counts[3], counts[4]);
    std::string error;
    if (!o.junit.empty() && !write_junit(o.junit, "dtu-sim scenarios", cases, error)) {
        std::fprintf(stderr, "dtu-sim scenario: cannot write %s: %s\n", o.junit.c_str(), error.c_str());
        return kExitScenarioFailed;
    }
    return exit_code(results);
}

} // namespace dtu::sim::scenario

namespace dtu::sim::scenario {

namespace {

/// Replay one trace; its exit status.
int replay_one(const std::string& path) {
    const TraceReadResult trace = read_jsonl_trace(path);
    for (const std::string& e : trace.errors)
        std::fprintf(stderr, "%s\n", e.c_str());
    if (!trace.errors.empty()) return kExitScenarioInvalid;
    const ReplayResult r = replay_trace(trace.events);
    if (!r.error.empty()) {
        std::fprintf(stderr, "dtu-sim replay: %s: %s\n", path.c_str(), r.error.c_str());
        return kExitScenarioInvalid;
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
    if (args.size() == 1 && (args[0] == "-h" || args[0] == "--help")) {
        std::fputs(
            "Usage: dtu-sim replay TRACE.jsonl...\n\n"
            "Feed the inputs of a trace written by `dtu-sim scenario --trace DIR` (serial bytes, server\n"
            "sends and closes, SMS, link, radio and power changes) into a fresh device in virtual time,\n"
            "at the device time they were recorded, and check that the device's outputs (serial bytes,\n"
            "connections, bytes the servers received, SMS sent, reboots) are reproduced byte for byte.\n"
            "A trace recorded with --real-time cannot be replayed: its timing came from real peers.\n\n"
            "Exit status: 0 every trace reproduced; 1 an output differs (the first difference is shown);\n"
            "4 a trace is invalid (cut, not a trace); 2 usage.\n",
            stdout);
        return 0;
    }
    if (args.empty()) {
        std::fputs("dtu-sim replay: give the trace file(s) to replay (dtu-sim replay TRACE.jsonl...)\n",
                   stderr);
        return kExitScenarioUsage;
    }
    int worst = 0;
    for (const std::string& path : args) {
        const int code = replay_one(path);
        if (code == kExitScenarioInvalid || (code != 0 && worst == 0)) worst = code; // invalid wins
    }
    return worst;
}

} // namespace dtu::sim::scenario
