#include "sim/scenario/replay.hpp"

#include <map>
#include <memory>
#include <stdexcept>

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
    case TraceKind::SmsIn: return world.sms_in(info);
    case TraceKind::Link: return world.apply_link(info);
    case TraceKind::LinkReset: world.link_reset(); return {};
    case TraceKind::Radio: return world.apply_radio(info);
    case TraceKind::Power:
        if (info["on"].toBool())
            world.power_on();
        else
            world.power_off();
        return {};
    default: return {}; // ServerAccept: a decision taken when the connection arrives
    }
}

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

} // namespace

ReplayResult replay_trace(const std::vector<TraceEvent>& recorded) {
    ReplayResult r;
    if (recorded.empty() || recorded.front().kind != TraceKind::Scenario) {
        r.error = "the trace does not start with its scenario header";
        return r;
    }
    const WorldSetup setup = setup_from_json(recorded.front().info, r.error);
    if (!r.error.empty()) return r;
    if (setup.real_time) {
        r.error = "the trace was recorded with --real-time: its timing came from real peers, so it cannot be "
                  "replayed (record it in virtual time to replay it)";
        return r;
    }
    std::unique_ptr<World> world;
    try {
        world = std::make_unique<World>(setup);
    } catch (const std::exception& e) {
        r.error = e.what();
        return r;
    }
    // Every server is passive; those that took connections in the recording decide as they did.
    auto decisions = accept_decisions(recorded);
    for (ScriptedServer* server : world->servers())
        server->make_passive(std::move(decisions[server->spec().name]));

    auto& scheduler = world->scheduler();
    for (const TraceEvent& e : recorded) {
        if (!is_trace_input(e.kind) || e.kind == TraceKind::ServerAccept) continue;
        const auto when = hal_sim::Scheduler::TimePoint{} + std::chrono::microseconds(e.t_us);
        const auto task = static_cast<std::uint64_t>(e.info["task"].toDouble());
        scheduler.run_until(when, [&] { return scheduler.tasks_run() >= task && scheduler.now() == when; });
        if (std::string error = apply_input(*world, e); !error.empty()) {
            r.error = "input at " + describe_event(e) + ": " + error;
            return r;
        }
        ++r.inputs;
    }
    const std::uint64_t end_us = recorded.back().t_us;
    scheduler.run_until(hal_sim::Scheduler::TimePoint{} + std::chrono::microseconds(end_us), {});
    r.replayed = world->trace().events();
    r.outputs = outputs(recorded).size();
    r.difference = compare(recorded, r.replayed);
    r.reproduced = r.difference.empty();
    return r;
}

} // namespace dtu::sim::scenario
