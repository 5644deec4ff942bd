// Issue 15: how fast MQTT runs in virtual time. A device in MQTT mode (factory keep-alive 60 s)
// connects to the in-process broker model and publishes a serial frame every 10 s for 24 hours of
// device time (VirtualMqtt over the VirtualNet, the broker model as its server), next to the
// reference measured in the same run: issue 6's 24-hour NET scenario through the scenario runner.
//
//   build/bench/dtu_mqtt_bench [--runs N] [--profile NAME]   (default: gm5 if built in, else g771)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench_util.hpp"
#include "dtu/profile/profile.hpp"
#include "hal_sim/mqtt_broker.hpp"
#include "hal_sim/virtual_scheduler.hpp"
#include "sim/identity.hpp"
#include "sim/scenario/board.hpp"
#include "sim/scenario/scenario_parser.hpp"
#include "sim/scenario/scenario_runner.hpp"

namespace {

using namespace std::chrono_literals;
using dtu::bench::Clock;
using namespace dtu::sim::scenario;
namespace hal_sim = dtu::hal_sim;

struct Quiet final : BoardObserver, dtu::hal::Log {
    void on_serial_out(std::string_view bytes) override { serial += bytes; }
    void on_reboot(dtu::hal::ResetCause) override {}
    void on_log(dtu::hal::LogLevel, std::string_view) override {}
    void on_sms_sent(const hal_sim::SentMessage&) override {}
    void write(dtu::hal::LogLevel, std::string_view) override {}
    std::string serial;
};

struct Counting final : hal_sim::MqttBrokerObserver {
    void on_broker_connect(const hal_sim::MqttBrokerSession&, std::uint8_t code) override {
        if (code == 0) ++sessions;
    }
    void on_broker_session_end(const hal_sim::MqttBrokerSession&, hal_sim::MqttSessionEnd) override {
        ++ends;
    }
    void on_broker_message(const hal_sim::MqttBrokerMessage&) override { ++messages; }
    void on_broker_error(hal_sim::ConnId, std::string_view) override { ++errors; }
    std::uint64_t sessions = 0, ends = 0, messages = 0, errors = 0;
};

struct DayResult {
    double device_seconds = 0;
    std::uint64_t tasks = 0, frames = 0, broker_messages = 0, sessions = 0, lost = 0;
    std::string error;
};

DayResult failed(std::string why) {
    DayResult r;
    r.error = std::move(why);
    return r;
}

/// Runs the scheduler in steps of 10 ms until the serial output ends with text (at most limit).
bool serial_until(hal_sim::VirtualScheduler& sched, Quiet& q, std::string_view text,
                  std::chrono::milliseconds limit = 5s) {
    const auto end = sched.now() + limit;
    while (sched.now() < end) {
        if (q.serial.size() >= text.size() &&
            q.serial.compare(q.serial.size() - text.size(), text.size(), text) == 0)
            return true;
        sched.advance_to(sched.now() + 10ms);
    }
    return false;
}

/// Boot, command mode (G771 §3.4: "+++", 'a', "+ok"), MQTT mode towards broker.example, AT+S; then a
/// frame every 10 s for 24 h.
DayResult mqtt_day(const dtu::profile::Profile& profile) {
    DayResult r;
    hal_sim::VirtualScheduler sched;
    Quiet quiet;
    BoardConfig config;
    config.identity = dtu::sim::default_identity();
    config.link.upstream.latency_ms = 40;
    config.link.downstream.latency_ms = 40;
    Board board(sched, profile, config, quiet);
    hal_sim::VirtualNet& net = *board.net().in_process();
    hal_sim::MqttBroker broker(sched, net, quiet);
    Counting counting;
    broker.set_observer(&counting);
    net.add_server(dtu::hal::Proto::Tcp, "broker.example", 1883, broker);

    board.boot();
    sched.advance_to(sched.now() + 1s);
    board.serial_write("+++");
    if (!serial_until(sched, quiet, "a")) return failed("no 'a' after +++");
    board.serial_write("a");
    if (!serial_until(sched, quiet, "+ok\r\n")) return failed("no +ok");
    for (const char* c : {"AT+WKMOD=MQTT,NOR", "AT+MQTTSVR=broker.example,1883", "AT+MQTTCID=bench-1"}) {
        quiet.serial.clear();
        board.serial_write(std::string(c) + "\r");
        if (!serial_until(sched, quiet, "OK\r\n")) return failed(std::string(c) + " not OK");
    }
    board.serial_write("AT+S\r");
    sched.advance_to(sched.now() + 5s);
    if (counting.sessions != 1) return failed("no MQTT session after the restart");

    const auto start = sched.now();
    const auto end = start + 24h;
    const std::uint64_t tasks0 = sched.tasks_run();
    while (sched.now() + 10s <= end) {
        board.serial_write("frame " + std::to_string(r.frames++));
        sched.advance_to(sched.now() + 10s);
    }
    sched.advance_to(end);
    r.device_seconds = std::chrono::duration<double>(end - start).count();
    r.tasks = sched.tasks_run() - tasks0;
    r.broker_messages = counting.messages;
    const hal_sim::MqttServiceSnapshot m = board.net().mqtt_snapshot();
    r.sessions = m.counters.sessions;
    r.lost = m.counters.sessions_lost + counting.ends;
    if (r.broker_messages < r.frames || r.lost != 0)
        r.error = "the day did not go as planned: " + std::to_string(r.broker_messages) + " messages for " +
                  std::to_string(r.frames) + " frames, " + std::to_string(r.lost) + " sessions ended";
    return r;
}

struct Row {
    std::string name;
    std::vector<double> ms;
    double device_seconds = 0;
};

void print(const Row& r) {
    const double p50 = dtu::bench::percentile(r.ms, 50);
    std::printf("| %-46s | %8.1f | %8.1f | %8.1f | %9.0fx |\n", r.name.c_str(), p50,
                dtu::bench::percentile(r.ms, 90), dtu::bench::percentile(r.ms, 100),
                r.device_seconds * 1000 / p50);
}

} // namespace

int main(int argc, char** argv) {
    int runs = 5;
    std::string profile_name = dtu::profile::find("gm5") ? "gm5" : "g771";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--runs" && i + 1 < argc) {
            runs = std::atoi(argv[++i]);
        } else if (a == "--profile" && i + 1 < argc) {
            profile_name = argv[++i];
        } else {
            std::puts("usage: dtu_mqtt_bench [--runs N] [--profile NAME]");
            return a == "-h" || a == "--help" ? 0 : 2;
        }
    }
    const dtu::profile::Profile* profile = dtu::profile::find(profile_name);
    if (!profile) {
        std::fprintf(stderr, "no profile %s\n", profile_name.c_str());
        return 2;
    }
    const std::string file = std::string(DTU_SOURCE_DIR) + "/scenarios/24h_heartbeat_rstim.yaml";
    const ParseResult parsed = parse_scenario_file(file);
    if (!parsed.scenario) {
        for (const auto& e : parsed.errors)
            std::fprintf(stderr, "%s\n", e.to_string().c_str());
        return 1;
    }

    Row mqtt{"MQTT mode, 24 h (--profile " + profile_name + ")", {}};
    Row net{"reference: NET scenario, 24 h (issue 6)", {}};
    DayResult last;
    RunResult last_net;
    for (int i = 0; i < runs; ++i) {
        auto t0 = Clock::now();
        last = mqtt_day(*profile);
        mqtt.ms.push_back(dtu::bench::micros_since(t0) / 1000);
        if (!last.error.empty()) {
            std::fprintf(stderr, "MQTT run: %s\n", last.error.c_str());
            return 1;
        }
        mqtt.device_seconds = last.device_seconds;
        t0 = Clock::now();
        last_net = run_scenario(*parsed.scenario, RunOptions{});
        net.ms.push_back(dtu::bench::micros_since(t0) / 1000);
        if (last_net.outcome != Outcome::Passed) {
            std::fprintf(stderr, "the NET scenario did not pass: %s\n", last_net.message.c_str());
            return 1;
        }
        net.device_seconds = last_net.device_seconds;
    }
    std::printf("MQTT: %llu frames published, %llu broker messages, %llu session(s), %llu scheduler tasks "
                "in the 24 h; NET: %s, %llu tasks; %d runs\n\n",
                static_cast<unsigned long long>(last.frames),
                static_cast<unsigned long long>(last.broker_messages),
                static_cast<unsigned long long>(last.sessions), static_cast<unsigned long long>(last.tasks),
                file.c_str(), static_cast<unsigned long long>(last_net.tasks), runs);
    std::printf("| %-46s | %8s | %8s | %8s | %10s |\n|---|---|---|---|---|\n", "wall time per run (ms)",
                "p50", "p90", "max", "speed-up");
    print(mqtt);
    print(net);
    return 0;
}
