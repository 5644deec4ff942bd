// `dtu-sim scenario` and `dtu-sim replay` as a user runs them: exit codes, reports, JUnit, traces
// (deterministic, replayable, rejected when cut).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "child_process.hpp"
#include "scenario_cli_fixture.hpp"
#include "serial_client.hpp"
#include "xml_elements.hpp"

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

TEST_F(ScenarioCli, InvalidFileExitsFourWithItsLineAndTheOthersStillRun) {
    const CliRun r = dtu_sim({"scenario", file("echo_pass.yaml"), file("unknown_step.yaml")});
    EXPECT_EQ(r.code, 4) << r.out << r.err;
    EXPECT_NE(r.err.find("unknown_step.yaml:5:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("serial_expct"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("[1/1] runner echo: passed"), std::string::npos) << "the valid file runs: " << r.out;
    EXPECT_NE(r.out.find("1 invalid file(s) not run"), std::string::npos) << r.out;
    EXPECT_EQ(dtu_sim({"scenario", file("unknown_step.yaml")}).code, 4);
}

// A suite with an invalid file still writes its report (CI shows the file as an error instead of
// no report at all); classnames carry no ".yaml" (Jenkins would put every test in class "yaml").
TEST_F(ScenarioCli, ASuiteWithAnInvalidFileStillWritesItsJUnitWithThatFileAsAnError) {
    const std::string junit = (dir_ / "j.xml").string();
    const CliRun r =
        dtu_sim({"scenario", file("echo_pass.yaml"), file("unknown_step.yaml"), "--junit", junit});
    EXPECT_EQ(r.code, 4) << r.out << r.err;
    const auto all = read_back(junit);
    const auto suites = only(all, "testsuite");
    ASSERT_EQ(suites.size(), 1u);
    EXPECT_EQ(suites[0].attributes.at("tests"), "2");
    EXPECT_EQ(suites[0].attributes.at("errors"), "1");
    const auto cases = only(all, "testcase");
    ASSERT_EQ(cases.size(), 2u);
    EXPECT_EQ(cases[0].attributes.at("name"), "runner echo");
    EXPECT_EQ(cases[1].attributes.at("name"), "unknown_step.yaml");
    for (const Element& c : cases) {
        EXPECT_EQ(c.attributes.at("classname").find(".yaml"), std::string::npos)
            << c.attributes.at("classname");
        EXPECT_EQ(c.attributes.at("classname").find('.'), std::string::npos) << c.attributes.at("classname");
    }
    EXPECT_NE(cases[1].attributes.at("classname").find("runner/unknown_step"), std::string::npos);
    const auto errors = only(all, "error");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].attributes.at("message").find("invalid scenario file"), std::string::npos);
    EXPECT_NE(errors[0].text.find("unknown_step.yaml:5:"), std::string::npos) << errors[0].text;
    EXPECT_TRUE(only(all, "failure").empty());
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

// Two files of one name in two folders: two traces, named for their paths, each one said in the log.
TEST_F(ScenarioCli, SameNamedScenariosInTwoFoldersGiveTwoTraces) {
    const std::string echo = slurp(kDir / "echo_pass.yaml");
    fs::create_directories(dir_ / "a");
    fs::create_directories(dir_ / "b");
    const std::string a = write_file("a/x.yaml", echo);
    const std::string b = write_file("b/x.yaml", "seed: 2\n" + echo);
    const fs::path traces = dir_ / "traces";
    const CliRun r = dtu_sim({"scenario", a, b, a, "--trace", traces.string()});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    for (const char* name : {"a/x", "b/x", "a/x-2"}) {
        SCOPED_TRACE(name);
        const fs::path jsonl = traces / (std::string(name) + ".jsonl");
        EXPECT_TRUE(fs::is_regular_file(jsonl));
        EXPECT_TRUE(fs::is_regular_file(traces / (std::string(name) + ".pcapng")));
        EXPECT_NE(r.out.find("trace: " + jsonl.string()), std::string::npos) << r.out;
    }
    EXPECT_NE(slurp(traces / "a/x.jsonl").find("\"file\":\"" + a + "\""), std::string::npos);
    EXPECT_NE(slurp(traces / "b/x.jsonl").find("\"file\":\"" + b + "\""), std::string::npos);
    EXPECT_NE(slurp(traces / "a/x.jsonl"), slurp(traces / "b/x.jsonl"));
}

// A trace whose last event is 2^53 us away (285 years) once ran the device up to it for as long
// as it was let (1.45 GB in 30 s). Past the scenario's deadline, it is refused before anything runs.
TEST_F(ScenarioCli, ReplayRefusesAnEventPastTheDeadlineAtOnce) {
    ASSERT_EQ(dtu_sim({"scenario", file("echo_pass.yaml"), "--trace", dir_.string()}).code, 0);
    std::string trace = slurp(dir_ / "echo_pass.jsonl");
    const auto lines = std::count(trace.begin(), trace.end(), '\n');
    trace += R"({"kind":"log","level":1,"t_us":9007199254740992,"text":"the end"})"
             "\n";
    std::ofstream(dir_ / "far.jsonl", std::ios::binary) << trace;
    const CliRun r = dtu_sim({"replay", (dir_ / "far.jsonl").string()}, 20s);
    EXPECT_EQ(r.code, 4) << r.out << r.err;
    EXPECT_NE(r.err.find("far.jsonl:" + std::to_string(lines + 1) + ": t_us: 9007199254740992"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("past the scenario's deadline (3600.000000 s"), std::string::npos) << r.err;
}

// Even with a deadline of centuries in its header, a replay ends: here the device's first output
// that the recording does not have stops it; otherwise the wall-clock limit, as for scenarios.
TEST_F(ScenarioCli, ReplayWithACenturiesLongDeadlineStillEnds) {
    ASSERT_EQ(dtu_sim({"scenario", file("echo_pass.yaml"), "--trace", dir_.string()}).code, 0);
    std::string trace = slurp(dir_ / "echo_pass.jsonl");
    const std::size_t at = trace.find("\"deadline_us\":3600000000");
    ASSERT_NE(at, std::string::npos) << "the header carries the scenario's deadline";
    trace.replace(at, 24, "\"deadline_us\":9007199254740992");
    trace += R"({"kind":"log","level":1,"t_us":9007199254740992,"text":"the end"})"
             "\n";
    std::ofstream(dir_ / "far.jsonl", std::ios::binary) << trace;
    const CliRun r = dtu_sim({"replay", "--wall-limit", "5", (dir_ / "far.jsonl").string()}, 30s);
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_TRUE(r.out.find("NOT reproduced") != std::string::npos ||
                r.out.find("exceeded its wall-clock limit (--wall-limit 5 s)") != std::string::npos)
        << r.out;
}

// A scenario waiting for most of a year of device time (heartbeats all along) ends at its wall limit.
TEST_F(ScenarioCli, AScenarioPastItsWallLimitIsAnError) {
    const std::string year = write_file("year.yaml", R"(name: a year of heartbeats
deadline: 300d
servers:
  e: {protocol: tcp, address: "s.example:9"}
params:
  - AT+SOCKA=TCP,s.example,9
steps:
  - wait: 299d
)");
    const CliRun r = dtu_sim({"scenario", "--wall-limit", "1", year}, 30s);
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("[1/1] a year of heartbeats: ERROR"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("exceeded its wall-clock limit"), std::string::npos) << r.out;
}

TEST_F(ScenarioCli, ReplayTakesTheWallLimitAsScenarioDoes) {
    ASSERT_EQ(dtu_sim({"scenario", file("echo_pass.yaml"), "--trace", dir_.string()}).code, 0);
    const std::string trace = (dir_ / "echo_pass.jsonl").string();
    EXPECT_EQ(dtu_sim({"replay", "--wall-limit", "30", trace}).code, 0);
    for (const char* bad : {"0", "x", "-1"}) {
        const CliRun r = dtu_sim({"replay", "--wall-limit", bad, trace});
        EXPECT_EQ(r.code, 2) << bad;
        EXPECT_NE(r.err.find("--wall-limit needs a whole number of seconds"), std::string::npos) << r.err;
        EXPECT_EQ(dtu_sim({"scenario", "--wall-limit", bad, file("echo_pass.yaml")}).code, 2) << bad;
    }
    EXPECT_NE(dtu_sim({"replay", "--help"}).out.find("--wall-limit S"), std::string::npos);
}

// On a pipe (as in CI) a log shows a line once it ends. A scenario's start line is a whole line
// written when it starts, so a slow real-time scenario is not silent until it ends.
TEST_F(ScenarioCli, TheStartLineIsOnThePipeWhileTheScenarioRuns) {
    const std::string slow = write_file("slow.yaml", "name: slow one\nclock: real\nsteps:\n  - wait: 60s\n");
    SpawnOptions spawn;
    spawn.argv = {DTU_SIM_PATH, "scenario", "--real-time", slow};
    spawn.pipe_stdout = true;
    spawn.stderr_file = dir_ / "err.txt";
    ChildProcess child(spawn);
    ByteStream out(child.stdout_fd(), -1);
    const std::string start = "[1/1] slow one (" + slow + ") ...\n";
    const std::string got = out.read_until(start, 20s);
    EXPECT_EQ(got, start) << slurp(dir_ / "err.txt");
    EXPECT_FALSE(child.poll().has_value()) << "the scenario is still waiting";
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
