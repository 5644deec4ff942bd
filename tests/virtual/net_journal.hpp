#pragma once
// What the virtual net tests record: log lines, and every event either side of a VirtualNet sees
// ("what@ms", in order), from a plain server and from the firmware's listener.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dtu/hal/log.hpp"
#include "dtu/hal/net.hpp"
#include "hal_sim/link_config.hpp"
#include "hal_sim/link_impairment.hpp"
#include "hal_sim/net_peer.hpp"
#include "hal_sim/net_status.hpp"
#include "hal_sim/virtual_net.hpp"
#include "hal_sim/virtual_scheduler.hpp"
#include "recording_log.hpp"

namespace dtu::vtest {

using dtu::hal::LinkId;
using dtu::hal::NetError;
using dtu::hal_sim::ConnId;
using dtu::hal_sim::VirtualScheduler;
using TimePoint = dtu::hal_sim::Scheduler::TimePoint;

inline std::chrono::milliseconds since0(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t - TimePoint{});
}

using Lines = dtu::test::RecordingLog;

/// "what@ms" for every event either side sees, in order.
struct Journal {
    std::vector<std::string> events;
    VirtualScheduler* sched = nullptr;
    void add(const std::string& e) {
        events.push_back(e + "@" + std::to_string(since0(sched->now()).count()));
    }
};

struct Server final : dtu::hal_sim::VirtualServer {
    explicit Server(Journal& j) : j(j) {}
    bool on_connect(ConnId c) override {
        j.add("srv-connect " + std::to_string(c));
        last = c;
        return accept;
    }
    void on_data(ConnId c, std::string_view b) override {
        j.add("srv-data " + std::to_string(c) + " " + std::string(b));
    }
    void on_closed(ConnId c, bool reset) override {
        j.add(std::string(reset ? "srv-rst " : "srv-fin ") + std::to_string(c));
    }
    Journal& j;
    bool accept = true;
    ConnId last = 0;
};

struct Device : dtu::hal::NetListener {
    explicit Device(Journal& j) : j(j) {}
    void on_connected(LinkId id) override { j.add("connected " + std::to_string(id)); }
    void on_connect_failed(LinkId id, NetError why) override {
        j.add("failed " + std::to_string(id) + " " + dtu::hal_sim::net_error_name(why));
    }
    void on_data(LinkId id, std::string_view b) override {
        j.add("data " + std::to_string(id) + " " + std::string(b));
    }
    void on_closed(LinkId id, NetError why) override {
        j.add("closed " + std::to_string(id) + " " + dtu::hal_sim::net_error_name(why));
    }
    void on_attach_changed(bool up) override { j.add(up ? "attached" : "detached"); }
    void on_send_drained(LinkId id) override { j.add("drained " + std::to_string(id)); }
    Journal& j;
};

/// A link with these latencies (ms) and nothing else.
inline dtu::hal_sim::LinkConfig latency(double up_ms, double down_ms) {
    dtu::hal_sim::LinkConfig c;
    c.upstream.latency_ms = up_ms;
    c.downstream.latency_ms = down_ms;
    return c;
}

/// A VirtualNet on a VirtualScheduler with its journal and the firmware's listener (Device): what
/// the fixtures derive from.
struct NetBench {
    explicit NetBench(const dtu::hal_sim::LinkConfig& config, std::uint64_t seed = 1)
        : link(config, seed), net(sched, link, log) {
        journal.sched = &sched;
        net.set_listener(&device);
    }
    void run_for(std::chrono::milliseconds d) { sched.advance_to(sched.now() + d); }
    using Events = std::vector<std::string>;
    Events take() { return std::exchange(journal.events, {}); }

    VirtualScheduler sched;
    Lines log;
    dtu::hal_sim::LinkImpairment link;
    dtu::hal_sim::VirtualNet net;
    Journal journal;
    Device device{journal};
};

} // namespace dtu::vtest
