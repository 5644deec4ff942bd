// `dtu-sim scenario` and `dtu-sim replay` as a user runs them: exit codes, reports, JUnit, traces
// (deterministic, replayable, rejected when cut).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scenario_cli_fixture.hpp"

namespace dtu::itest {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kDir = fs::path(DTU_SOURCE_DIR) / "tests/scenarios/runner";

class ScenarioCli : public ScenarioCliFixture {
protected:
    std::string file(const char* name) const { return (kDir / name).string(); }
};

TEST_F(ScenarioCli, PassingScenarioExitsZeroWithProgressSummaryAndJUnit) {
    const CliRun r = dtu_sim({"scenario", file("echo_pass.yaml"), "--junit", (dir_ / "j.xml").string()});
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("[1/1] runner echo"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1 scenario(s): 1 passed"), std::string::npos) << r.out;
    const std::string junit = slurp(dir_ / "j.xml");
    EXPECT_NE(junit.find("testcase"), std::string::npos) << junit;
    EXPECT_NE(junit.find("runner echo"), std::string::npos) << junit;
    EXPECT_EQ(junit.find("<failure"), std::string::npos) << junit;
}

TEST_F(ScenarioCli, MismatchExitsOneAndShowsExpectedActualLineAndEvents) {
    const CliRun r = dtu_sim({"scenario", file("at_mismatch.yaml"), "--junit", (dir_ / "j.xml").string()});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("at_mismatch.yaml:5: step 2 (at)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("expected: text \"+WKMOD:SMS\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("+WKMOD:NET"), std::string::npos) << "the actual answer is shown: " << r.out;
    EXPECT_NE(r.out.find("last events:"), std::string::npos) << r.out;
    EXPECT_NE(slurp(dir_ / "j.xml").find("<failure"), std::string::npos);
}

TEST_F(ScenarioCli, TimeoutExitsThreeWithWhatArrivedInstead) {
    const CliRun r = dtu_sim({"scenario", file("serial_timeout.yaml")});
    EXPECT_EQ(r.code, 3) << r.out << r.err;
    EXPECT_NE(r.out.find("timed out after 2 s"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("USR-G771"), std::string::npos) << "the start message is what arrived: " << r.out;
}

TEST_F(ScenarioCli, InvalidFileExitsFourWithItsLineAndNothingRuns) {
    const CliRun r = dtu_sim({"scenario", file("echo_pass.yaml"), file("unknown_step.yaml")});
    EXPECT_EQ(r.code, 4) << r.out << r.err;
    EXPECT_NE(r.err.find("unknown_step.yaml:5:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("serial_expct"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("[1/"), std::string::npos) << "nothing may run: " << r.out;
}

TEST_F(ScenarioCli, SameSeedGivesByteIdenticalTraces) {
    for (const char* sub : {"a", "b"})
        ASSERT_EQ(dtu_sim({"scenario", file("echo_pass.yaml"), "--trace", (dir_ / sub).string()}).code, 0);
    const std::string jsonl = slurp(dir_ / "a/echo_pass.jsonl");
    EXPECT_GT(jsonl.size(), 1000u);
    EXPECT_EQ(jsonl, slurp(dir_ / "b/echo_pass.jsonl"));
    const std::string pcap = slurp(dir_ / "a/echo_pass.pcapng");
    EXPECT_GT(pcap.size(), 200u);
    EXPECT_EQ(pcap, slurp(dir_ / "b/echo_pass.pcapng"));
}

TEST_F(ScenarioCli, ReplayReproducesTheRecordedOutputs) {
    ASSERT_EQ(dtu_sim({"scenario", file("echo_pass.yaml"), "--trace", dir_.string()}).code, 0);
    const CliRun r = dtu_sim({"replay", (dir_ / "echo_pass.jsonl").string()});
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("reproduced"), std::string::npos) << r.out;
}

TEST_F(ScenarioCli, ReplayReportsAnOutputThatDiffers) {
    ASSERT_EQ(dtu_sim({"scenario", file("echo_pass.yaml"), "--trace", dir_.string()}).code, 0);
    // The recorded server saw "hello" (68656c6c6f); claim it saw "hellO": the device cannot reproduce that.
    std::string trace = slurp(dir_ / "echo_pass.jsonl");
    std::size_t at = std::string::npos;
    for (std::size_t line = 0; line < trace.size(); line = trace.find('\n', line) + 1) {
        const std::string text = trace.substr(line, trace.find('\n', line) - line);
        if (text.find("\"kind\":\"to_server\"") != std::string::npos &&
            text.find("68656c6c6f") != std::string::npos) {
            at = line;
            break;
        }
    }
    ASSERT_NE(at, std::string::npos) << "no to_server event with hello";
    // hex is what counts, and the reader insists text agrees with it: edit both.
    const std::size_t hex = trace.find("68656c6c6f", at), text = trace.find("\"text\":\"hello\"", at);
    ASSERT_NE(text, std::string::npos);
    trace.replace(hex, 10, "68656c6c4f");
    trace.replace(text, 14, "\"text\":\"hellO\"");
    std::ofstream(dir_ / "edited.jsonl", std::ios::binary) << trace;
    const CliRun r = dtu_sim({"replay", (dir_ / "edited.jsonl").string()});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("differs"), std::string::npos) << r.out;
}

TEST_F(ScenarioCli, ACutTraceIsRejectedWithItsLine) {
    ASSERT_EQ(dtu_sim({"scenario", file("echo_pass.yaml"), "--trace", dir_.string()}).code, 0);
    const std::string trace = slurp(dir_ / "echo_pass.jsonl");
    std::ofstream(dir_ / "cut.jsonl", std::ios::binary) << trace.substr(0, trace.size() / 2);
    const CliRun r = dtu_sim({"replay", (dir_ / "cut.jsonl").string()});
    EXPECT_EQ(r.code, 4) << r.out << r.err;
    EXPECT_NE(r.err.find("cut.jsonl:"), std::string::npos) << r.err;
}

} // namespace
} // namespace dtu::itest
