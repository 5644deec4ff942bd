// dtu-sim never destroys a file it did not make: the serial link, the ready file and nvram.bin
// refuse what is not theirs; one process per state directory; interrupted NVRAM commits are
// cleaned up at boot.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim_process.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr std::string_view kPrecious = "the user's own content\n";

void write_text(const fs::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

/// dtu-sim with a state dir in dir and more args: it must refuse to start, quickly.
RunResult refused_run(const TempDir& dir, std::vector<std::string> args) {
    args.insert(args.begin(), {"--state-dir", (dir.path() / "state").string()});
    return run_sim(args, 5s);
}

::testing::AssertionResult exited_two_saying(const RunResult& r, std::string_view what) {
    if (!r.status.exited() || r.status.code != 2)
        return ::testing::AssertionFailure() << r.status.describe() << ", expected exit 2; stderr:\n"
                                             << r.err;
    if (r.err.find(what) == std::string::npos)
        return ::testing::AssertionFailure() << "stderr does not mention \"" << what << "\":\n" << r.err;
    if (r.err.find("remove it") == std::string::npos && r.err.find("--state-dir") == std::string::npos)
        return ::testing::AssertionFailure() << "stderr does not say what to do:\n" << r.err;
    return ::testing::AssertionSuccess();
}

/// A pid that no process has (a child that has exited and been reaped).
pid_t dead_pid() {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    ::waitpid(child, nullptr, 0);
    return child;
}

/// A user's file where an option points dtu-sim: a regular file, or a symlink to one.
struct Planted {
    std::string name;   ///< test name suffix
    std::string option; ///< --serial-link, --ready-file, --sms-outbox
    bool symlink;       ///< the path is a symlink to the user's file (else the file itself)
    std::string says;   ///< the refusal names the problem
};

void PrintTo(const Planted& p, std::ostream* os) { *os << p.name; }

class FilesRefuse : public ::testing::TestWithParam<Planted> {};

TEST_P(FilesRefuse, AUsersFileWithExitTwoAndKeepIt) {
    TempDir dir;
    const fs::path users = dir.path() / "users-file";
    write_text(users, kPrecious);
    const fs::path path = GetParam().symlink ? dir.path() / "pointed-at" : users;
    if (GetParam().symlink) fs::create_symlink(users, path);
    const RunResult r = refused_run(dir, {GetParam().option, path.string()});
    EXPECT_TRUE(exited_two_saying(r, GetParam().option + " " + path.string() + ": " + GetParam().says));
    EXPECT_EQ(read_text(users), kPrecious);
    if (GetParam().symlink) EXPECT_EQ(fs::read_symlink(path), users) << "the link itself is kept too";
    EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(users)));
}

INSTANTIATE_TEST_SUITE_P(
    Paths, FilesRefuse,
    ::testing::Values(Planted{"SerialLinkAtARegularFile", "--serial-link", false, "a regular file"},
                      Planted{"SerialLinkAtALinkToAFile", "--serial-link", true, "a symlink"},
                      Planted{"ReadyFileAtARegularFile", "--ready-file", false, "a file that is not"},
                      Planted{"ReadyFileAtASymlink", "--ready-file", true, "is a symlink"},
                      Planted{"SmsOutboxAtASymlink", "--sms-outbox", true, "is a symlink"}),
    [](const ::testing::TestParamInfo<Planted>& info) { return info.param.name; });

TEST(Files, AReadyFileLeftByADeadDtuSimIsReplacedAndRemovedAtExit) {
    TempDir dir;
    const fs::path ready = dir.path() / "ready.json";
    write_text(ready, "{\"serial\":\"/dev/pts/99\",\"pid\":" + std::to_string(dead_pid()) + "}\n");
    SpawnOptions spawn;
    spawn.argv = {sim_path(), "--state-dir", (dir.path() / "state").string(), "--ready-file", ready.string()};
    spawn.stderr_file = dir.path() / "stderr";
    ChildProcess sim(spawn);
    const std::string mine = "\"pid\":" + std::to_string(sim.pid()) + ","; // keys in order: pid, serial
    EXPECT_TRUE(
        wait_until([&] { return read_text(ready).find(mine) != std::string::npos || sim.poll(); }, 10s));
    EXPECT_NE(read_text(ready).find(mine), std::string::npos) << read_text(dir.path() / "stderr");
    const ExitStatus s = sim.terminate();
    EXPECT_TRUE(s.exited() && s.code == 0) << s.describe();
    EXPECT_FALSE(fs::exists(fs::symlink_status(ready)));
}

TEST(Files, NvramAsASymlinkIsRefusedAndItsTargetUntouched) {
    TempDir dir;
    fs::create_directories(dir.path() / "state");
    const fs::path target = dir.path() / "precious.bin";
    write_text(target, kPrecious);
    fs::create_symlink(target, dir.path() / "state" / "nvram.bin");
    const RunResult r = refused_run(dir, {});
    EXPECT_TRUE(exited_two_saying(r, "nvram.bin is a symlink"));
    EXPECT_EQ(read_text(target), kPrecious);
    EXPECT_TRUE(fs::is_symlink(dir.path() / "state" / "nvram.bin"));
}

TEST(Files, ASecondDtuSimOnTheSameStateDirExitsTwoNamingTheFirst) {
    SimProcess first;
    ASSERT_TRUE(first.start());
    // An NVRAM commit of the first one in progress: the second must not take it for a stale one.
    const fs::path in_progress = first.state_dir() / "nvram.bin.Ab12Cd";
    write_text(in_progress, "half");
    const RunResult second = run_sim({"--state-dir", first.state_dir().string()}, 5s);
    EXPECT_TRUE(exited_two_saying(second, "PID " + std::to_string(first.pid())));
    EXPECT_NE(second.err.find("--state-dir"), std::string::npos) << second.err;
    EXPECT_TRUE(fs::exists(in_progress)) << "only the lock holder cleans up";
    const ExitStatus s = first.stop();
    EXPECT_TRUE(s.exited() && s.code == 0) << s.describe() << "\n" << first.err();
}

TEST(Files, StaleNvramTemporariesAreRemovedAtBootAndLogged) {
    SimProcess sim;
    fs::create_directories(sim.state_dir());
    const fs::path stale = sim.state_dir() / "nvram.bin.Xy7Q2z"; // a commit killed before its rename
    write_text(stale, "torn");
    const std::vector<fs::path> others = {sim.state_dir() / "nvram.bin.notes",
                                          sim.state_dir() / "nvram.bin.tmp",
                                          sim.state_dir() / "other.Xy7Q2z"};
    for (const auto& p : others)
        write_text(p, kPrecious);
    ASSERT_TRUE(sim.start());
    EXPECT_FALSE(fs::exists(stale));
    EXPECT_NE(sim.err().find("removed " + stale.string()), std::string::npos) << sim.err();
    for (const auto& p : others)
        EXPECT_EQ(read_text(p), kPrecious) << p << " is not dtu-sim's temporary";
}

} // namespace
} // namespace dtu::itest
