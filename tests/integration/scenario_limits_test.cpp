// `dtu-sim scenario` on files at and past its limits (issue 13): long regexes and long streams
// searched by them, a deadline that every step respects, a quote left open. Each ends in a clean
// result and exit code, never a signal or a pass by mistake.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "scenario_cli_fixture.hpp"

namespace dtu::itest {
namespace {

namespace fs = std::filesystem;

const fs::path kDir = fs::path(DTU_SOURCE_DIR) / "tests/scenarios/runner";

/// A device in NET mode with one server, connected before the steps that follow.
std::string connected(const std::string& name, const std::string& steps) {
    return "name: " + name +
           "\nservers:\n  echo: {protocol: tcp, address: server.example:9000}\n"
           "params:\n  - AT+SOCKA=TCP,server.example,9000\n"
           "steps:\n  - expect_connect: {server: echo, timeout: 10s}\n" +
           steps;
}

class ScenarioLimits : public ScenarioCliFixture {};

TEST_F(ScenarioLimits, AHundredKilobyteRegexIsAFileErrorNotACrash) {
    // std::regex overflowed the stack compiling it (SIGSEGV).
    const std::string file = write_file("long.yaml", "name: long\nsteps:\n  - serial_expect: {regex: \"" +
                                                         std::string(100'000, 'a') + "\"}\n");
    const CliRun r = dtu_sim({"scenario", file});
    EXPECT_EQ(r.code, 4) << r.out << r.err;
    EXPECT_NE(r.err.find("long.yaml:3:28: step 1: regex: the regex"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("is 100000 bytes; a regex may have at most 4096"), std::string::npos) << r.err;
}

TEST_F(ScenarioLimits, AlternationOnAHundredKilobytesOfServerDataTimesOut) {
    // (a|b)*c over 100 KB of "a" from the server: std::regex recursed once per byte (SIGSEGV).
    const std::string file =
        write_file("flood.yaml",
                   connected("flood", "  - server_send: {server: echo, text: " + std::string(100'000, 'a') +
                                          "}\n  - serial_expect: {regex: \"(a|b)*c\", timeout: 2s}\n"));
    const CliRun r = dtu_sim({"scenario", file});
    EXPECT_EQ(r.code, 3) << r.out << r.err;
    EXPECT_NE(r.out.find("timed out after 2 s"), std::string::npos) << r.out;
}

TEST_F(ScenarioLimits, AnythingClassOverThirtyTwoKilobytesMatches) {
    // The suite's own [\s\S]* style (scenario 17) over 32 KB the device sent: std::regex crashed.
    const std::string file =
        write_file("span.yaml", connected("span", "  - serial_write: \"one," + std::string(32 * 1024, 'x') +
                                                      "one,\"\n  - server_expect: {server: echo, regex: "
                                                      "\"one,[\\\\s\\\\S]*one,\", timeout: 10s}\n"));
    const CliRun r = dtu_sim({"scenario", file});
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("1 passed"), std::string::npos) << r.out;
}

TEST_F(ScenarioLimits, PowerCyclesRunIntoTheDeadline) {
    // 100 power cycles of 1 s with a deadline of 5 s passed: power_cycle ignored the deadline.
    const CliRun r = dtu_sim({"scenario", (kDir / "deadline_power_cycles.yaml").string()});
    EXPECT_EQ(r.code, 3) << r.out << r.err;
    EXPECT_NE(r.out.find("deadline_power_cycles.yaml:10: step 6 (power_cycle)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("the scenario's deadline (5 s) passed"), std::string::npos) << r.out;
}

TEST_F(ScenarioLimits, AQuoteLeftOpenIsAFileError) {
    // The open string took in the steps after it, and the scenario passed without running them.
    const CliRun r = dtu_sim({"scenario", (kDir / "unclosed_quote.yaml").string()});
    EXPECT_EQ(r.code, 4) << r.out << r.err;
    EXPECT_NE(r.err.find("unclosed_quote.yaml:4:19: not valid YAML: this quoted string is never closed"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.out.find("passed"), std::string::npos) << r.out;
}

TEST_F(ScenarioLimits, ASendTheConnectionCannotTakeSaysWhy) {
    // Two sends of 1 MiB at the same instant: the second does not fit the connection's queue. It
    // failed with "server has no open connection" although one was open.
    const std::string mib(1 << 20, 'a');
    const std::string file = write_file(
        "big.yaml", connected("big", "  - server_send: {server: echo, text: " + mib +
                                         "}\n  - server_send: {server: echo, text: " + mib + "}\n"));
    const CliRun r = dtu_sim({"scenario", file});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("server 'echo' could not send 1048576 bytes: a connection queues at most 1048576"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("no open connection"), std::string::npos) << r.out;
}

} // namespace
} // namespace dtu::itest
