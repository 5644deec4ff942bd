// hal_sim::NvramFile on the host file system, and SimSystem's posted resets.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "hal_sim/asio_scheduler.hpp"
#include "hal_sim/nvram_file.hpp"
#include "hal_sim/sim_system.hpp"
#include "sim_process.hpp"

namespace dtu::itest {
namespace {

struct NullLog : hal::Log {
    void write(hal::LogLevel, std::string_view) override { ++lines; }
    int lines = 0;
};

TEST(NvramFile, LoadsWhatWasCommittedAndLeavesNoTemporaries) {
    TempDir dir;
    NullLog log;
    hal_sim::NvramFile nvram(dir.path(), log);
    std::string blob;
    EXPECT_FALSE(nvram.load(blob)) << "nothing committed yet";
    ASSERT_TRUE(nvram.commit(std::string("v1\0\xff", 4)));
    ASSERT_TRUE(nvram.commit("second version"));
    ASSERT_TRUE(nvram.load(blob));
    EXPECT_EQ(blob, "second version");
    EXPECT_EQ(nvram.commits(), 2u);
    hal_sim::NvramFile reopened(dir.path(), log); // a new process on the same state dir
    ASSERT_TRUE(reopened.load(blob));
    EXPECT_EQ(blob, "second version");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1) << "only nvram.bin";
}

TEST(NvramFile, AFailedCommitIsReportedAndKeepsNothingHalfWritten) {
    TempDir dir;
    NullLog log;
    hal_sim::NvramFile nvram(dir.path() / "missing-dir", log);
    EXPECT_FALSE(nvram.commit("data"));
    EXPECT_EQ(nvram.failed_commits(), 1u);
    EXPECT_GT(log.lines, 0);
    std::string blob;
    EXPECT_FALSE(nvram.load(blob));
}

TEST(NvramFile, ASymlinkAtNvramBinIsNeitherReadNorWrittenThrough) {
    TempDir dir;
    NullLog log;
    const std::filesystem::path target = dir.path() / "someone-elses.bin";
    { std::ofstream(target) << "precious"; }
    std::filesystem::create_symlink(target, dir.path() / "nvram.bin");
    hal_sim::NvramFile nvram(dir.path(), log);
    std::string blob;
    EXPECT_FALSE(nvram.load(blob)) << "not read through the link";
    EXPECT_FALSE(nvram.commit("new parameters"));
    EXPECT_EQ(nvram.failed_commits(), 1u);
    EXPECT_EQ(read_text(target), "precious");
    EXPECT_TRUE(std::filesystem::is_symlink(dir.path() / "nvram.bin")) << "the link itself is kept too";
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 2) << "no temporary left";
}

TEST(NvramFile, StaleTemporariesAreRemovedOnlyWhenTheyMatchThePattern) {
    TempDir dir;
    NullLog log;
    for (const char* name : {"nvram.bin.aB3dE9", "nvram.bin.notes", "nvram.bin.aB3dE9x", "nvram.bin"})
        std::ofstream(dir.path() / name) << "x";
    const auto removed = hal_sim::NvramFile::remove_stale_temporaries(dir.path(), log);
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_EQ(removed[0].filename(), "nvram.bin.aB3dE9");
    EXPECT_EQ(log.lines, 1) << "each removal is logged";
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 3);
}

/// Kills and reaps a forked child if an assertion leaves the test early.
struct ReapOnExit {
    pid_t pid;
    ~ReapOnExit() {
        if (pid > 0 && ::kill(pid, SIGKILL) == 0) ::waitpid(pid, nullptr, 0);
    }
};

TEST(NvramFile, KillNineDuringCommitsLeavesTheOldOrTheNewBlob) {
    const std::string a(100000, 'a'); // sizes differ: a torn file would show as a wrong size or a mix
    const std::string b(60000, 'b');
    for (int round = 0; round < 10; ++round) {
        TempDir dir;
        NullLog log;
        const pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) { // commit A, B, A, B, ... until killed
            hal_sim::NvramFile writer(dir.path(), log);
            for (int i = 0;; ++i)
                if (!writer.commit(i % 2 == 0 ? a : b)) std::_Exit(1);
        }
        ReapOnExit guard{child};
        // Let it reach a different number of commits each round, then kill it mid-stream.
        hal_sim::NvramFile reader(dir.path(), log);
        std::string blob;
        int changes = 0;
        char last = 0;
        int status = 0;
        while (changes < round % 4 + 1) {
            ASSERT_EQ(::waitpid(child, &status, WNOHANG), 0) << "the writer stopped on its own";
            if (reader.load(blob) && !blob.empty() && blob[0] != last) {
                last = blob[0];
                ++changes;
            }
        }
        ::kill(child, SIGKILL);
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        guard.pid = 0;
        ASSERT_TRUE(WIFSIGNALED(status)) << "the writer failed a commit";
        ASSERT_TRUE(reader.load(blob));
        EXPECT_TRUE(blob == a || blob == b) << "round " << round << ": " << blob.size() << " bytes";
    }
}

TEST(SimSystem, ResetIsPostedCountedAndFolded) {
    boost::asio::io_context io;
    hal_sim::AsioScheduler scheduler(io);
    int rebuilds = 0;
    hal_sim::SimSystem system(scheduler, [&](hal::ResetCause) { ++rebuilds; });
    system.set_led(hal::Led::Work, true);
    system.reset(hal::ResetCause::AtRestart);
    system.reset(hal::ResetCause::AtSave);
    EXPECT_EQ(rebuilds, 0) << "never inside reset()";
    io.run();
    EXPECT_EQ(rebuilds, 1) << "two requests before the rebuild make one reset";
    EXPECT_EQ(system.resets(hal::ResetCause::AtRestart), 1u);
    EXPECT_EQ(system.resets(hal::ResetCause::AtSave), 1u);
    EXPECT_EQ(system.total_resets(), 2u);
    EXPECT_FALSE(system.led(hal::Led::Work)) << "a reset MCU starts with LEDs off";
}

} // namespace
} // namespace dtu::itest
