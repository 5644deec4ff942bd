#pragma once
// A hal::Log that keeps every line, for tests that assert what was logged.
#include <string>
#include <string_view>
#include <vector>

#include "dtu/hal/log.hpp"

namespace dtu::test {

struct RecordingLog final : hal::Log {
    void write(hal::LogLevel, std::string_view line) override { all.emplace_back(line); }
    bool has(std::string_view part) const {
        for (const auto& l : all)
            if (l.find(part) != std::string::npos) return true;
        return false;
    }
    std::vector<std::string> all;
};

} // namespace dtu::test
