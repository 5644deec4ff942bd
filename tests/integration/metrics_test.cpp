// GET /metrics on a running dtu-sim (--control): the Prometheus text format, read back by the
// reference parser (python3-prometheus-client, tests/integration/prom_parse.py), with counters
// that move as the device works (docs/control-api.md "Metrics").
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

#include "at_session.hpp"
#include "control_client.hpp"
#include "net_client.hpp"
#include "serial_client.hpp"
#include "sim/process/child_process.hpp"
#include "sim_process.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;

/// Samples as prom_parse.py prints them: "TYPE NAME{labels}" -> value; "error" when refused.
std::map<std::string, double> parsed(const std::string& exposition) {
    const std::filesystem::path file =
        std::filesystem::temp_directory_path() / ("dtu-metrics-" + std::to_string(::getpid()) + ".txt");
    std::ofstream(file) << exposition;
    sim::process::ChildProcess child(sim::process::SpawnOptions{
        {"/usr/bin/python3", DTU_SOURCE_DIR "/tests/integration/prom_parse.py", file.string()},
        {},
        {},
        false,
        true});
    ByteStream out(child.stdout_fd(), -1);
    const std::string text = out.read_until(
        [](std::string_view s) { return s.find("end\n") != s.npos || s.find("error: ") != s.npos; }, 15s);
    std::filesystem::remove(file);
    std::map<std::string, double> samples;
    if (text.find("error: ") != std::string::npos) {
        ADD_FAILURE() << "the Prometheus parser refused /metrics: " << text << "\n" << exposition;
        return samples;
    }
    std::size_t at = 0;
    for (std::size_t nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) {
        const std::string line = text.substr(at, nl - at);
        const std::size_t space = line.rfind(' ');
        if (line == "end" || space == std::string::npos) continue;
        samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return samples;
}

struct Scraped {
    std::string content_type;
    std::map<std::string, double> samples;
};

Scraped scrape(const SimProcess& sim) {
    const Answer a = Control(sim.control()).get("/metrics");
    EXPECT_EQ(a.status, 200) << a.raw;
    return {a.content_type, parsed(a.raw)};
}

} // namespace

TEST(Metrics, TheTextFormatParsesAndCountsTheDevice) {
    SimProcess sim({"--control", "127.0.0.1:0"});
    ASSERT_TRUE(sim.start());
    SerialClient port(sim.serial());
    ASSERT_EQ(port.read_until(kStartMessage, 3s), kStartMessage);

    const Scraped first = scrape(sim);
    EXPECT_EQ(first.content_type.rfind("text/plain; version=0.0.4", 0), 0u) << first.content_type;
    EXPECT_EQ(first.samples.at("gauge dtu_devices{profile=g771,state=running}"), 1);
    EXPECT_EQ(first.samples.at("counter dtu_boots_total{}"), 1);
    EXPECT_EQ(first.samples.at("counter dtu_resets_total{cause=AT+Z}"), 0) << "booted, never reset";
    EXPECT_EQ(first.samples.count("gauge dtu_sockets{state=connecting}"), 1u);
    const double out_before = first.samples.at("counter dtu_serial_bytes_total{direction=out}");
    EXPECT_GE(out_before, kStartMessage.size()) << "the start message went out";

    port.write("0123456789"); // transparent mode: ten bytes in from the serial device
    EXPECT_TRUE(wait_until(
        [&] { return scrape(sim).samples["counter dtu_serial_bytes_total{direction=in}"] >= 10; }, 5s));
}

TEST(Metrics, AK7CountsItsAcceptedClients) {
    SimProcess sim({"--profile", "k7", "--control", "127.0.0.1:0"});
    ASSERT_TRUE(sim.start());
    EXPECT_EQ(scrape(sim).samples.at("gauge dtu_devices{profile=k7,state=running}"), 1);
    TcpClient client(sim.port("tcp/23")); // K7 §4.2.2: the factory TCP server
    EXPECT_TRUE(wait_until([&] { return scrape(sim).samples["counter dtu_net_accepts_total{}"] == 1; }, 5s));
}

} // namespace dtu::itest
