// The broker model checked against the real thing: each MQTT scenario runs twice, in virtual time
// with the in-process broker model and --real-time against a mosquitto process
// (sim/scenario/mosquitto_broker.hpp), and both runs must give the same verdict and the same serial
// bytes (what the device wrote to its serial port, from the JSONL traces). The scenarios have no
// `clock:`, so one file serves both runs; each is its own ctest test.
#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scenario_cli_fixture.hpp"
#include "sim/scenario/trace_jsonl.hpp"

namespace dtu::itest {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

/// Each covers a part of the model: publish (QoS, retain), subscribe, distribution, the will, a
/// refused login, a broker restart, a refusing broker, retained messages, the CONNECT's fields,
/// MQTT over TLS.
const char* const kScenarios[] = {
    "mqtt_bad_password",
    "mqtt_broker_refusing_reconnect",
    "mqtt_publish_subscribe",
    "mqtt_session_fields",
    "mqtt_will_on_link_down",
    "mqtt_transparent_publish",
    "mqtt_subscribe_to_serial",
    "mqtt_distribution_both_ways",
    "mqtt_will_then_reconnect",
    "mqtt_credentials_refused",
    "mqtt_reconnect_after_broker_restart",
    "mqtt_retained_on_subscribe",
    "mqtt_tls_publish_subscribe",
};

/// The run's summary line ("1 scenario(s): 1 passed, 0 failed, ..."): the verdict without timings.
std::string verdict(const CliRun& run) {
    std::istringstream in(run.out);
    std::string summary;
    for (std::string line; std::getline(in, line);)
        if (line.find(" scenario(s): ") != std::string::npos) summary = line;
    return summary;
}

/// Every byte the device wrote to its serial port, in order, from a JSONL trace.
std::string serial_out(const fs::path& trace) {
    const sim::scenario::TraceReadResult read = sim::scenario::read_jsonl_trace(trace.string());
    EXPECT_TRUE(read.errors.empty()) << trace << ": " << (read.errors.empty() ? "" : read.errors.front());
    EXPECT_FALSE(read.events.empty()) << trace << " is empty or missing";
    std::string bytes;
    for (const sim::scenario::TraceEvent& e : read.events)
        if (e.kind == sim::scenario::TraceKind::SerialOut) bytes += e.data;
    return bytes;
}

/// Where two byte strings first differ, for the failure message.
std::string first_difference(const std::string& a, const std::string& b) {
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i])
        ++i;
    const auto around = [i](const std::string& s) { return s.substr(i < 20 ? 0 : i - 20, 60); };
    return "first difference at byte " + std::to_string(i) + ":\n  virtual: \"" + around(a) +
           "\"\n  real:    \"" + around(b) + "\"";
}

class ScenarioRealVsVirtual : public ScenarioCliFixture, public ::testing::WithParamInterface<const char*> {};

TEST_P(ScenarioRealVsVirtual, SameVerdictAndSerialBytes) {
    const std::string name = GetParam();
    const std::string file = (fs::path(DTU_SOURCE_DIR) / "scenarios" / (name + ".yaml")).string();
    const fs::path virtual_dir = dir_ / "virtual", real_dir = dir_ / "real";
    const CliRun virt = dtu_sim({"scenario", file, "--trace", virtual_dir.string()}, 30s);
    const CliRun real = dtu_sim({"scenario", "--real-time", file, "--trace", real_dir.string()}, 120s);

    EXPECT_EQ(virt.code, 0) << "the scenario passes in virtual time:\n" << virt.out << virt.err;
    EXPECT_EQ(real.code, virt.code) << "real time:\n" << real.out << real.err;
    EXPECT_EQ(verdict(real), verdict(virt)) << "virtual:\n" << virt.out << "\nreal:\n" << real.out;
    const std::string v = serial_out(virtual_dir / (name + ".jsonl"));
    const std::string r = serial_out(real_dir / (name + ".jsonl"));
    EXPECT_FALSE(v.empty()) << "the device wrote something (its start message at least)";
    EXPECT_EQ(r, v) << first_difference(v, r);
}

INSTANTIATE_TEST_SUITE_P(Mqtt, ScenarioRealVsVirtual, ::testing::ValuesIn(kScenarios),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                             return std::string(info.param);
                         });

} // namespace
} // namespace dtu::itest
