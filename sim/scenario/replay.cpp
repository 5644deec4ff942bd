#include "sim/scenario/replay.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>

#include "sim/scenario/trace_schema.hpp"
#include "sim/scenario/trace_text.hpp"
#include "sim/scenario/world.hpp"

namespace dtu::sim::scenario {
namespace {

/// Per server: which connections it accepted (its decisions are trace inputs too).
std::map<std::string, std::map<hal_sim::ConnId, bool>>
accept_decisions(const std::vector<TraceEvent>& events) {
    std::map<std::string, std::map<hal_sim::ConnId, bool>> decisions;
    for (const TraceEvent& e : events)
        if (e.kind == TraceKind::ServerAccept) decisions[e.server][e.conn] = e.info["accept"].toBool(true);
    return decisions;
}

/// Apply one recorded input to the world; an error text when it cannot be applied.
std::string apply_input(World& world, const TraceEvent& e) {
    ScriptedServer* server = e.server.empty() ? nullptr : world.server(e.server);
    QJsonObject info = e.info;
    info.remove("task");
    switch (e.kind) {
    case TraceKind::SerialIn: world.serial_write(e.data); return {};
    case TraceKind::ServerSend:
        if (!server) return "unknown server '" + e.server + "'";
        server->send_on(e.conn, e.data);
        return {};
    case TraceKind::ServerClose:
        if (!server) return "unknown server '" + e.server + "'";
        server->close_one(e.conn, info["reset"].toBool());
        return {};
    case TraceKind::ClientConnect:
        if (!server) return "unknown client '" + e.server + "'";
        server->connect();
        return {};
    case TraceKind::SmsIn: return world.sms_in(info);
    case TraceKind::Link: return world.apply_link(info);
    case TraceKind::LinkReset: world.link_reset(); return {};
    case TraceKind::Radio: return world.apply_radio(info);
    // The brokers are not passive: the model runs again (it is deterministic) and these are its inputs.
    case TraceKind::BrokerPublish:
        return world.broker_publish(e.server, info["topic"].toString().toStdString(), e.data,
                                    info["qos"].toInt(), info["retain"].toBool());
    case TraceKind::BrokerState:
        return world.broker_state(e.server, info["state"].toString().toStdString(), info["code"].toInt());
    case TraceKind::BrokerDrop: return world.broker_drop(e.server, info["reset"].toBool());
    case TraceKind::Power:
        if (info["on"].toBool())
            world.power_on();
        else
            world.power_off();
        return {};
    default: return {}; // ServerAccept: a decision taken when the connection arrives
    }
}

/// Counts the replay's outputs as they happen. Once there are more than the recording has, the
/// replay cannot reproduce it, so it stops there: a trace whose last event is years away would
/// otherwise run (and fill the memory) for its whole wall-clock limit.
class OutputCount final : public TraceSink {
public:
    void write(const TraceEvent& event) override { n_ += is_trace_output(event.kind) ? 1 : 0; }
    std::size_t n() const { return n_; }

private:
    std::size_t n_ = 0;
};

/// Where a replay's device time starts (a VirtualScheduler's epoch, as in the recording).
hal_sim::Scheduler::TimePoint start_of_time() { return {}; }

bool same_output(const TraceEvent& a, const TraceEvent& b) {
    return a.kind == b.kind && a.t_us == b.t_us && a.server == b.server && a.conn == b.conn &&
           a.data == b.data && a.info == b.info;
}

std::vector<const TraceEvent*> outputs(const std::vector<TraceEvent>& events) {
    std::vector<const TraceEvent*> out;
    for (const TraceEvent& e : events)
        if (is_trace_output(e.kind)) out.push_back(&e);
    return out;
}

std::string compare(const std::vector<TraceEvent>& recorded, const std::vector<TraceEvent>& replayed) {
    const auto want = outputs(recorded);
    const auto got = outputs(replayed);
    for (std::size_t i = 0; i < want.size() || i < got.size(); ++i) {
        if (i < want.size() && i < got.size() && same_output(*want[i], *got[i])) continue;
        return "output " + std::to_string(i + 1) +
               " differs\n  recorded: " + (i < want.size() ? describe_event(*want[i]) : "(nothing)") +
               "\n  replayed: " + (i < got.size() ? describe_event(*got[i]) : "(nothing)");
    }
    return {};
}

/// The World a trace was recorded in, its servers passive and deciding as they did; nullptr with
/// error when the header cannot be replayed.
std::unique_ptr<World> recorded_world(const std::vector<TraceEvent>& recorded, std::string& error) {
    if (recorded.empty() || recorded.front().kind != TraceKind::Scenario) {
        error = "the trace does not start with its scenario header";
        return nullptr;
    }
    const WorldSetup setup = setup_from_json(recorded.front().info, error);
    if (!error.empty()) return nullptr;
    if (setup.real_time) {
        error = "the trace was recorded with --real-time: its timing came from real peers, so it cannot be "
                "replayed (record it in virtual time to replay it)";
        return nullptr;
    }
    std::unique_ptr<World> world;
    try {
        world = std::make_unique<World>(setup);
    } catch (const std::exception& e) {
        error = e.what();
        return nullptr;
    }
    auto decisions = accept_decisions(recorded);
    for (ScriptedServer* server : world->servers())
        server->make_passive(std::move(decisions[server->spec().name]));
    return world;
}

/// Runs a replay's device time within the bounds a scenario run has: the deadline (device time),
/// the wall-clock limit, and no more outputs than the recording has.
class BoundedRun {
public:
    BoundedRun(World& world, const std::vector<TraceEvent>& recorded, const ReplayOptions& options)
        : world_(world), wall_(options.wall_limit), recorded_outputs_(outputs(recorded).size()),
          deadline_(start_of_time() + std::chrono::microseconds(trace_deadline_us(recorded.front().info))) {
        world.trace().add_sink(produced_);
    }
    /// Run to device time t_us and, for an input, to its scheduler position (task); false when the
    /// wall-clock limit stopped it. Without a task: every task due by then (the end).
    bool run_to(std::uint64_t t_us, std::optional<std::uint64_t> task) {
        auto& scheduler = world_.scheduler();
        const auto when = std::min(start_of_time() + std::chrono::microseconds(t_us), deadline_);
        scheduler.run_until(when, [&] {
            return wall_.exceeded(scheduler) || overrun() ||
                   (task && scheduler.tasks_run() >= *task && scheduler.now() == when);
        });
        return !wall_.exceeded(scheduler);
    }
    bool overrun() const { return produced_.n() > recorded_outputs_; }
    std::size_t recorded_outputs() const { return recorded_outputs_; }
    std::string why_stopped() const {
        return "the replay exceeded its wall-clock limit (--wall-limit " +
               std::to_string(wall_.limit().count()) + " s) at device time " +
               describe_time(world_.trace().now_us());
    }

private:
    World& world_;
    WallLimit wall_;
    OutputCount produced_;
    std::size_t recorded_outputs_;
    hal_sim::Scheduler::TimePoint deadline_;
};

} // namespace

ReplayResult replay_trace(const std::vector<TraceEvent>& recorded, const ReplayOptions& options) {
    ReplayResult r;
    const std::unique_ptr<World> world = recorded_world(recorded, r.error);
    if (!world) return r;
    BoundedRun run(*world, recorded, options);
    for (const TraceEvent& e : recorded) {
        if (run.overrun()) break;
        if (!is_trace_input(e.kind) || e.kind == TraceKind::ServerAccept) continue;
        // toInteger: 0 for anything that is not a whole number (the reader has refused those).
        const auto task = static_cast<std::uint64_t>(std::max<qint64>(0, e.info["task"].toInteger()));
        if (!run.run_to(e.t_us, task)) {
            r.stopped = run.why_stopped();
            return r;
        }
        if (std::string error = apply_input(*world, e); !error.empty()) {
            r.error = "input at " + describe_event(e) + ": " + error;
            return r;
        }
        ++r.inputs;
    }
    if (!run.overrun() && !run.run_to(recorded.back().t_us, std::nullopt)) {
        r.stopped = run.why_stopped();
        return r;
    }
    r.replayed = world->trace().events();
    r.outputs = run.recorded_outputs();
    r.difference = compare(recorded, r.replayed);
    r.reproduced = r.difference.empty();
    return r;
}

} // namespace dtu::sim::scenario
