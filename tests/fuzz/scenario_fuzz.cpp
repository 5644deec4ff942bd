// libFuzzer target: the scenario file reader (sim/scenario/scenario_parser.cpp and the step, server,
// pattern and duration readers under it) on arbitrary file contents. Nothing is run. Oracles besides
// ASan/UBSan (and stack overflows in a regex or YAML library):
//  - a file is a scenario or a list of errors, never both or neither; every error names the file and
//    a line of it (0 = the file as a whole) and says something;
//  - every time the parser accepts fits the runner's clock (scenarios/README.md "Values"): the
//    deadline and each step's timeout or duration, added to the deadline, stay within
//    steady_clock's range, since the runner adds them to the device's time.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "hal_sim/scheduler.hpp"
#include "sim/scenario/scenario_parser.hpp"

namespace {

using dtu::sim::scenario::Duration;

constexpr Duration kClockRange =
    std::chrono::duration_cast<Duration>(dtu::hal_sim::Scheduler::Duration::max());

void check_time(Duration deadline, Duration d) {
    if (d.count() < 0 || deadline.count() < 0 || d > kClockRange - deadline) std::abort();
}

/// The step's own time (timeout, duration, off_for), if its kind has one.
template <typename A> void check_step(const A& a, Duration deadline) {
    if constexpr (requires { a.timeout; }) check_time(deadline, a.timeout);
    if constexpr (requires { a.duration; }) check_time(deadline, a.duration);
    if constexpr (requires { a.off_for; }) check_time(deadline, a.off_for);
}

void check(const dtu::sim::scenario::Scenario& s) {
    check_time(Duration{0}, s.deadline);
    for (const auto& step : s.steps)
        std::visit([&](const auto& a) { check_step(a, s.deadline); }, step.action);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto result = dtu::sim::scenario::parse_scenario_text(text, "fuzz.yaml");
    if (result.scenario.has_value() == !result.errors.empty()) std::abort();
    const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
    for (const auto& e : result.errors)
        if (e.file != "fuzz.yaml" || e.line < 0 || e.line > lines + 1 || e.message.empty()) std::abort();
    if (result.scenario) check(*result.scenario);
    return 0;
}
