#pragma once
// Runs `dtu-sim scenario` / `dtu-sim replay` as a user does, in a scratch directory per test, and
// keeps what it printed and its exit status.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "child_process.hpp"

namespace dtu::itest {

struct CliRun {
    int code = -1;
    std::string out, err;
};

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

class ScenarioCliFixture : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* test = ::testing::UnitTest::GetInstance();
        dir_ =
            std::filesystem::temp_directory_path() /
            ("dtu-scenario-" + std::to_string(test->random_seed()) + "-" + test->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    /// dtu-sim with args; it must finish within limit.
    CliRun dtu_sim(std::vector<std::string> args, std::chrono::seconds limit = std::chrono::seconds(60)) {
        args.insert(args.begin(), DTU_SIM_PATH);
        ChildProcess child(SpawnOptions{args, dir_ / "out.txt", dir_ / "err.txt"});
        const auto status = child.wait(limit);
        EXPECT_TRUE(status) << "dtu-sim did not finish within " << limit.count() << " s";
        CliRun r;
        if (status && status->exited()) r.code = status->code;
        r.out = slurp(dir_ / "out.txt");
        r.err = slurp(dir_ / "err.txt");
        return r;
    }
    /// Write a scenario file into the scratch directory; its path.
    std::string write_file(const std::string& name, const std::string& text) const {
        const auto path = dir_ / name;
        std::ofstream(path, std::ios::binary) << text;
        return path.string();
    }

    std::filesystem::path dir_;
};

} // namespace dtu::itest
