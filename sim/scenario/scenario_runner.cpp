#include "sim/scenario/scenario_runner.hpp"

#include <filesystem>
#include <stdexcept>

#include "sim/scenario/step_runner.hpp"
#include "sim/scenario/trace_files.hpp"
#include "sim/scenario/trace_names.hpp"
#include "sim/scenario/world.hpp"

namespace dtu::sim::scenario {
namespace {

WorldSetup world_setup(const Scenario& scenario, const RunOptions& options) {
    WorldSetup setup;
    setup.name = scenario.name;
    setup.file = scenario.file;
    setup.profile = scenario.profile;
    setup.seed = options.seed.value_or(scenario.seed.value_or(1));
    setup.link = scenario.link;
    setup.radio = scenario.radio;
    setup.servers = scenario.servers;
    setup.brokers = scenario.brokers;
    setup.real_time = options.real_time;
    setup.baud_pacing = scenario.baud_pacing;
    setup.deadline = scenario.deadline;
    return setup;
}

RunResult error_result(std::string message) {
    RunResult r;
    r.outcome = Outcome::Error;
    r.message = std::move(message);
    return r;
}

RunResult skipped(std::string message) {
    RunResult r;
    r.outcome = Outcome::Skipped;
    r.message = std::move(message);
    return r;
}

} // namespace

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
    if (scenario.clock == Scenario::ClockNeed::Real && !options.real_time)
        return skipped(scenario.file + ": clock: real (it talks to real peers): run it with --real-time");
    if (scenario.clock == Scenario::ClockNeed::Virtual && options.real_time)
        return skipped(scenario.file +
                       ": clock: virtual (it needs exact device times): run it without --real-time");
    const WorldSetup setup = world_setup(scenario, options);
    std::unique_ptr<World> world;
    try {
        world = std::make_unique<World>(setup);
    } catch (const std::exception& e) { // an invalid setup, or a real-time server that cannot listen
        return error_result(scenario.file + ": " + e.what());
    }
    TraceFiles files;
    std::string error;
    const std::string name =
        options.trace_name.empty() ? trace_names({scenario.file}).front() : options.trace_name;
    if (!options.trace_dir.empty()) {
        if (!files.open(options.trace_dir, name, setup_to_json(setup), error))
            return error_result(scenario.file + ": cannot write the trace: " + error);
        files.attach(world->trace());
    }
    RunResult result = StepRunner(scenario, *world, options.wall_limit).run();
    if (!options.trace_dir.empty() && !files.close(error) && result.outcome == Outcome::Passed)
        return error_result(scenario.file + ": cannot write the trace: " + error);
    if (!options.trace_dir.empty()) result.trace = trace_path(options.trace_dir, name, "jsonl");
    return result;
}

} // namespace dtu::sim::scenario
