// dtu_bench: start-to-ready time and the AT round trip over the PTY of every profile, each side by
// side with a reference measured in the same run (BENCHMARKS.md explains the numbers).
//
//   dtu_bench [--runs N] [--round-trips N]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include "bench_util.hpp"
#include "dtu/profile/profile.hpp"

namespace fs = std::filesystem;
using namespace dtu::bench;

namespace {

struct Stats {
    double p50, p99, max;
};

Stats stats(const std::vector<double>& v) {
    return {percentile(v, 50), percentile(v, 99), percentile(v, 100)};
}

void row(const std::string& what, const Stats& s, const char* unit) {
    std::printf("| %-50s | %9.1f | %9.1f | %9.1f | %s |\n", what.c_str(), s.p50, s.p99, s.max, unit);
}

fs::path scratch() {
    char tmpl[] = "/tmp/dtu-bench-XXXXXX";
    return fs::path(mkdtemp(tmpl));
}

/// Process start until the ready file exists.
std::vector<double> start_to_ready(int runs) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const fs::path dir = scratch();
        const std::string ready = (dir / "ready.json").string();
        const auto t0 = Clock::now();
        const pid_t pid = spawn({DTU_SIM_PATH, "--state-dir", (dir / "state").string(), "--ready-file", ready,
                                 "--log-level", "error"},
                                true);
        if (!wait_for_file(ready, 10)) {
            std::cerr << "dtu-sim did not become ready\n";
            std::exit(1);
        }
        ms.push_back(micros_since(t0) / 1000);
        stop(pid);
        fs::remove_all(dir);
    }
    return ms;
}

/// Reference: socat start until its PTY symlink exists.
std::vector<double> socat_start(int runs) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const fs::path dir = scratch();
        const std::string link = (dir / "pty").string();
        const auto t0 = Clock::now();
        const pid_t pid = spawn({"socat", "PTY,raw,echo=0,link=" + link, "PIPE"}, true);
        if (!wait_for_file(link, 10)) std::exit(1);
        ms.push_back(micros_since(t0) / 1000);
        stop(pid);
        fs::remove_all(dir);
    }
    return ms;
}

std::vector<double> round_trips(Port& port, std::string_view request, std::string_view reply, int n) {
    std::vector<double> us;
    for (int i = 0; i < n + n / 10; ++i) {
        const auto t0 = Clock::now();
        port.write(request);
        if (!port.read_until(reply, 5)) {
            std::cerr << "no reply\n";
            std::exit(1);
        }
        if (i >= n / 10) us.push_back(micros_since(t0)); // the first 10 % warm up
    }
    return us;
}

/// The device's answer to `AT\r` in command mode, echo included, as it arrives within 0.3 s.
std::string at_reply(Port& port) {
    std::string reply;
    port.write("AT\r");
    port.read_until("\x01\x02\x03-never", 0.3, &reply);
    return reply;
}

/// `dtu-sim --profile NAME` in command mode (after `+++` / `a`, as its own profile answers them):
/// n round trips of `AT\r` until the whole answer it gave the first time. Empty, with a note on
/// stderr, if the profile does not answer `AT\r` with OK.
std::vector<double> device_at(const dtu::profile::Profile& profile, int n) {
    const fs::path dir = scratch();
    const std::string ready = (dir / "ready.json").string();
    // Unpaced: the goal compares the simulator's own cost with a raw PTY echo (at 115200 baud the
    // line alone would add 0.5 ms for the 6 bytes each way).
    const pid_t pid =
        spawn({DTU_SIM_PATH, "--profile", std::string(profile.name), "--state-dir", (dir / "state").string(),
               "--ready-file", ready, "--log-level", "error", "--baud-pacing", "off"},
              true);
    if (!wait_for_file(ready, 10)) std::exit(1);
    std::string json;
    while ((json = slurp(ready)).find('}') == std::string::npos) {
    }
    Port port(json_string(json, "serial"));
    port.drain(std::max(0.2, profile.serial.factory_plus_guard_ms() / 1e3)); // the start message; T1

    port.write("+++");
    if (!port.read_until(profile.answers.plus_a, 2)) std::exit(2);
    port.write("a");
    if (!port.read_until(profile.answers.plus_ok, 2)) std::exit(2);
    const std::string reply = at_reply(port);
    std::vector<double> us;
    if (reply.find("OK") == std::string::npos)
        std::cerr << profile.name << ": AT\\r answered " << reply << ", not measured\n";
    else
        us = round_trips(port, "AT\r", reply, n);
    stop(pid);
    fs::remove_all(dir);
    return us;
}

std::vector<double> socat_echo(int n) {
    const fs::path dir = scratch();
    const std::string link = (dir / "pty").string();
    const pid_t pid = spawn({"socat", "PTY,raw,echo=0,link=" + link, "PIPE"}, true);
    if (!wait_for_file(link, 10)) std::exit(1);
    Port port(link);
    auto us = round_trips(port, "AT\r", "AT\r", n);
    stop(pid);
    fs::remove_all(dir);
    return us;
}

} // namespace

int main(int argc, char** argv) {
    int runs = 30, trips = 2000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--runs")
            runs = std::atoi(argv[i + 1]);
        else if (a == "--round-trips")
            trips = std::atoi(argv[i + 1]);
    }
    std::printf("| measurement | p50 | p99 | max | unit |\n|---|---|---|---|---|\n");
    std::fflush(stdout);
    row("dtu-sim: process start -> ready file", stats(start_to_ready(runs)), "ms");
    row("reference: socat start -> PTY link", stats(socat_start(runs)), "ms");
    std::fflush(stdout);
    for (std::string_view name : dtu::profile::names()) {
        const std::vector<double> us = device_at(*dtu::profile::find(name), trips);
        if (!us.empty())
            row("dtu-sim --profile " + std::string(name) + ": AT\\r -> OK over the PTY", stats(us), "us");
        std::fflush(stdout);
    }
    row("reference: raw PTY echo (socat PTY <-> PIPE)", stats(socat_echo(trips)), "us");
    return 0;
}
