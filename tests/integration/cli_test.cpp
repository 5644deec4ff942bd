// dtu-sim as a process: command line, ready file, serial link, signals, PTY delivery.
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "serial_client.hpp"
#include "sim_process.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr std::string_view kStartMessage = "\r\nUSR-G771 V1.3.25\r\n";

TEST(Cli, HelpExplainsEveryOptionAndExitsZero) {
    const RunResult r = run_sim({"--help"});
    EXPECT_TRUE(r.status.exited() && r.status.code == 0) << r.status.describe();
    for (const char* option : {"--profile", "--state-dir", "--serial-link", "--ready-file", "--imei",
                               "--iccid", "--sn", "--log-level", "--wait-serial", "--help", "--version"})
        EXPECT_NE(r.out.find(option), std::string::npos) << option << " missing from --help:\n" << r.out;
    EXPECT_NE(r.out.find("g771"), std::string::npos) << "profiles are listed";
    EXPECT_NE(r.out.find("picocom -b 115200"), std::string::npos) << "quick start is shown";
    EXPECT_NE(r.out.find("+++"), std::string::npos);
}

TEST(Cli, VersionExitsZero) {
    const RunResult r = run_sim({"--version"});
    EXPECT_TRUE(r.status.exited() && r.status.code == 0) << r.status.describe();
    EXPECT_EQ(r.out.rfind("dtu-sim ", 0), 0u) << r.out;
}

struct BadArgs {
    std::string name; ///< test name suffix
    std::vector<std::string> args;
    std::string mentions; ///< the error message must name the problem
};

void PrintTo(const BadArgs& bad, std::ostream* os) { *os << bad.name; }

class CliRejects : public ::testing::TestWithParam<BadArgs> {};

TEST_P(CliRejects, WithMessageAndExitTwo) {
    TempDir dir;
    std::vector<std::string> args = {"--state-dir", (dir.path() / "state").string()};
    args.insert(args.end(), GetParam().args.begin(), GetParam().args.end());
    const RunResult r = run_sim(args);
    EXPECT_TRUE(r.status.exited() && r.status.code == 2) << r.status.describe() << "\n" << r.err;
    EXPECT_NE(r.err.find(GetParam().mentions), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_FALSE(fs::exists(dir.path() / "state")) << "nothing is created for a bad command line";
}

INSTANTIATE_TEST_SUITE_P(
    BadOptions, CliRejects,
    ::testing::Values(BadArgs{"ShortImei", {"--imei", "12345"}, "--imei"},
                      BadArgs{"ImeiLetter", {"--imei", "86800000000000x"}, "15 decimal digits"},
                      BadArgs{"ShortIccid", {"--iccid", "8986"}, "--iccid"},
                      BadArgs{"LongSn", {"--sn", "123456789012345678901"}, "--sn"},
                      BadArgs{"LogLevel", {"--log-level", "loud"}, "--log-level"},
                      BadArgs{"Profile", {"--profile", "nope"}, "unknown profile"},
                      BadArgs{"UnknownOption", {"--no-such-option"}, "no-such-option"},
                      BadArgs{"Positional", {"stray"}, "unexpected argument"}),
    [](const ::testing::TestParamInfo<BadArgs>& info) { return info.param.name; });

TEST(Sim, ReadyFileNamesThePtyAndPid) {
    SimProcess sim;
    ASSERT_TRUE(sim.start());
    EXPECT_EQ(sim.ready_pid(), sim.pid());
    EXPECT_EQ(sim.serial().rfind("/dev/pts/", 0), 0u) << sim.serial();
    struct stat st {};
    ASSERT_EQ(::stat(sim.serial().c_str(), &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode));
    EXPECT_NE(sim.out().find("serial port " + sim.serial()), std::string::npos) << "banner: " << sim.out();
    EXPECT_TRUE(fs::is_directory(sim.state_dir()));
}

TEST(Sim, SerialLinkPointsToThePtyAndReplacesAStaleOne) {
    TempDir links;
    const fs::path link = links.path() / "ttyDTU0";
    fs::create_symlink("/dev/pts/stale-from-a-crashed-run", link);
    SimProcess sim({"--serial-link", link.string()});
    ASSERT_TRUE(sim.start());
    EXPECT_EQ(fs::read_symlink(link), sim.serial());
    EXPECT_NE(sim.out().find("(link " + link.string() + ")"), std::string::npos) << sim.out();
    SerialClient client(link.string()); // the link is usable as the port itself
    EXPECT_EQ(client.read_until(kStartMessage, 3s), kStartMessage);
}

TEST(Sim, SigtermExitsZeroAndCleansUp) {
    TempDir links;
    const fs::path link = links.path() / "ttyDTU0";
    SimProcess sim({"--serial-link", link.string()});
    ASSERT_TRUE(sim.start());
    ASSERT_TRUE(fs::is_symlink(link));
    sim.signal(SIGTERM);
    const auto status = sim.wait_exit(5s);
    ASSERT_TRUE(status.has_value()) << "still running 5 s after SIGTERM";
    EXPECT_TRUE(status->exited() && status->code == 0) << status->describe() << "\n" << sim.err();
    EXPECT_FALSE(fs::exists(fs::symlink_status(link))) << "link removed";
    EXPECT_FALSE(fs::exists(sim.ready_file())) << "ready file removed";
}

TEST(Sim, SigintExitsZero) {
    SimProcess sim;
    ASSERT_TRUE(sim.start());
    sim.signal(SIGINT);
    const auto status = sim.wait_exit(5s);
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(status->exited() && status->code == 0) << status->describe();
}

TEST(Sim, WaitSerialBootsWhenTheClientOpensThePort) {
    SimProcess sim({"--wait-serial"});
    ASSERT_TRUE(sim.start()); // with --wait-serial the ready file comes before the boot
    SerialClient client(sim.serial());
    EXPECT_EQ(client.read_until(kStartMessage, 3s), kStartMessage);
    EXPECT_TRUE(client.expect_silence(100ms)) << "booted once: " << client.buffered();
}

TEST(Sim, OutputWrittenWithoutAClientIsDeliveredToTheNextClient) {
    SimProcess sim;
    ASSERT_TRUE(sim.start()); // booted: the start message went out while nobody had the port open
    SerialClient client(sim.serial());
    EXPECT_EQ(client.read_until(kStartMessage, 3s), kStartMessage);
}

TEST(Sim, ClientCanLeaveAndComeBack) {
    SimProcess sim;
    ASSERT_TRUE(sim.start());
    {
        SerialClient first(sim.serial());
        EXPECT_EQ(first.read_until(kStartMessage, 3s), kStartMessage);
    }
    SerialClient second(sim.serial());
    ASSERT_TRUE(second.expect_silence(100ms)); // T1: idle line before +++
    second.write("+++");
    // Real AT engine: the module answers "a" to "+++" in transparent mode.
    EXPECT_EQ(second.read_until("a", 2s), "a");
}

TEST(Sim, RestartKeepsTheStateDir) {
    SimProcess sim;
    ASSERT_TRUE(sim.start());
    const std::string first_serial = sim.serial();
    ASSERT_TRUE(sim.restart());
    EXPECT_TRUE(fs::is_directory(sim.state_dir()));
    SerialClient client(sim.serial());
    EXPECT_EQ(client.read_until(kStartMessage, 3s), kStartMessage);
}

} // namespace
} // namespace dtu::itest
