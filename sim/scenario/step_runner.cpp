// The run loop, waiting and failure reports; the steps themselves are in step_actions.cpp.
#include "sim/scenario/step_runner.hpp"

#include <algorithm>
#include <cstdio>

#include "sim/scenario/trace_text.hpp"

namespace dtu::sim::scenario {
namespace {

/// How far back a fail pattern looks again when new bytes arrive (a match may span chunks).
constexpr std::size_t kFailOverlap = 4096;
/// Events shown before a failure.
constexpr std::size_t kContextEvents = 12;

std::string seconds_text(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f s", s);
    return buf;
}

std::string duration_text(Duration d) {
    const auto ms = d.count();
    if (ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + " h";
    if (ms % 60'000 == 0) return std::to_string(ms / 60'000) + " min";
    if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
    return std::to_string(ms) + " ms";
}

} // namespace

StepRunner::StepRunner(const Scenario& scenario, World& world, std::chrono::seconds wall_limit)
    : scenario_(scenario), world_(world), clock_(world.scheduler(), scenario.deadline, wall_limit) {}

RunResult StepRunner::run() {
    for (const FailPattern& f : scenario_.fail_on)
        add_fail(f);
    world_.power_on();
    provision();
    check_deadline();
    for (const Step& step : scenario_.steps) {
        if (failed_) break;
        ++step_index_;
        step_ = &step;
        world_.trace().record(TraceKind::Step, {{"index", step_index_},
                                                {"kind", QString::fromStdString(step.kind)},
                                                {"line", step.pos.line},
                                                {"result", "start"}});
        run_step(step);
        check_deadline();
        if (!failed_) world_.trace().record(TraceKind::Step, {{"index", step_index_}, {"result", "pass"}});
    }
    if (!failed_) check_fail_patterns(); // what the last step left in the streams
    result_.device_seconds = now_s();
    result_.events = world_.trace().events().size();
    result_.tasks = world_.scheduler().tasks_run();
    return result_;
}

StepRunner::Waited StepRunner::wait_for(const std::function<bool()>& condition, Duration timeout) {
    bool met = false;
    const RunClock::Result r = clock_.advance(timeout, [&] {
        if (stopped()) return true;
        met = condition();
        return met;
    });
    if (r == RunClock::Result::WallLimit)
        fail(Outcome::Error, "the run exceeded its wall-clock limit (--wall-limit; a runaway scenario?) at "
                             "device time " +
                                 seconds_text(now_s()));
    if (stopped()) return Waited::Stopped;
    if (met || condition()) return Waited::Met;
    if (r != RunClock::Result::Deadline) return Waited::TimedOut;
    deadline_hit_ = true;
    return Waited::Deadline;
}

void StepRunner::check_deadline() {
    if (deadline_hit_ && !failed_)
        fail(Outcome::TimedOut, "the scenario's deadline (" + duration_text(scenario_.deadline) + ") passed");
}

bool StepRunner::stopped() { return failed_ || check_fail_patterns(); }

const std::string* StepRunner::fail_stream(const FailPattern& fail) {
    if (fail.where == "serial") return &world_.serial().data();
    ScriptedServer* server = world_.server(fail.where);
    return server ? &server->received().data() : nullptr;
}

bool StepRunner::check_fail_patterns() {
    for (ActiveFail& active : fails_) {
        const std::string* stream = fail_stream(*active.fail);
        if (!stream || stream->size() <= active.from) continue;
        const auto hit = active.matcher.find(*stream, active.from);
        if (hit) {
            const std::string_view found =
                std::string_view(*stream).substr(hit->begin, hit->end - hit->begin);
            active.from = stream->size();
            fail(Outcome::Failed,
                 "fail pattern " + active.matcher.describe() + " (line " +
                     std::to_string(active.fail->pos.line) + ") appeared in " + active.fail->where,
                 "  found:    \"" + printable(found) + "\"  [" + hex_dump(found) + "]\n");
            return true;
        }
        const std::size_t keep = std::min(stream->size(), kFailOverlap);
        active.from = std::max(active.from, stream->size() - keep);
    }
    return false;
}

void StepRunner::add_fail(const FailPattern& fail) {
    const std::string* stream = fail_stream(fail);
    fails_.push_back(ActiveFail{&fail, Matcher(fail.pattern), stream ? stream->size() : 0});
}

void StepRunner::fail(Outcome outcome, std::string message, std::string details) {
    if (failed_) return;
    failed_ = true;
    result_.outcome = outcome;
    result_.step = step_index_;
    result_.message = where() + ": " + message;
    result_.details = std::move(details) + last_events();
    world_.trace().record(TraceKind::Step, {{"index", step_index_},
                                            {"result", outcome == Outcome::TimedOut ? "timeout" : "fail"},
                                            {"message", QString::fromStdString(result_.message)}});
}

void StepRunner::timed_out(Waited how, Duration timeout, const std::string& expected, std::string_view actual,
                           const std::string& actual_label) {
    if (how == Waited::Stopped) return; // the reason is already recorded
    std::string details = "  expected: " + expected + "\n";
    details += "  actual:   \"" + printable(actual) + "\"  (" + std::to_string(actual.size()) + " bytes";
    if (!actual.empty()) details += ": " + hex_dump(actual);
    details += ") - " + actual_label + "\n";
    timed_out_with(how, timeout, std::move(details));
}

void StepRunner::timed_out_listing(Waited how, Duration timeout, const std::string& expected,
                                   const std::vector<std::string>& items, const std::string& items_label) {
    std::string details = "  expected: " + expected + "\n  actual:   " + items_label + ": " +
                          (items.empty() ? "none" : std::to_string(items.size())) + "\n";
    for (const std::string& item : items)
        details += "    " + item + "\n";
    timed_out_with(how, timeout, std::move(details));
}

void StepRunner::timed_out_with(Waited how, Duration timeout, std::string details) {
    if (how == Waited::Stopped) return; // the reason is already recorded
    const std::string why = how == Waited::Deadline
                                ? "the scenario's deadline (" + duration_text(scenario_.deadline) + ") passed"
                                : "timed out after " + duration_text(timeout);
    fail(Outcome::TimedOut, why, std::move(details));
}

void StepRunner::check_input_error(const std::string& error) {
    if (!error.empty()) fail(Outcome::Error, error);
}

std::string StepRunner::where() const {
    std::string w = scenario_.file;
    if (!step_) return w + ": params at " + seconds_text(now_s());
    w += ":" + std::to_string(step_->pos.line) + ": step " + std::to_string(step_index_) + " (" + step_->kind;
    if (!step_->label.empty()) w += " '" + step_->label + "'";
    return w + ") at " + seconds_text(now_s());
}

std::string StepRunner::last_events() const {
    const auto& events = world_.trace().events();
    const std::size_t first = events.size() > kContextEvents ? events.size() - kContextEvents : 0;
    std::string out = "  last events:\n";
    for (std::size_t i = first; i < events.size(); ++i)
        out += "    " + describe_event(events[i]) + "\n";
    return out;
}

double StepRunner::now_s() const { return static_cast<double>(world_.trace().now_us()) / 1e6; }

} // namespace dtu::sim::scenario
