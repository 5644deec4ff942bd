#pragma once
// The errors of a scenario file as "line:col: message" (the file name is checked once, in
// ScenarioErrors.FileNameLineAndColumn): what the scenario error tests compare.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/scenario/scenario_parser.hpp"

namespace dtu::sim::scenario {

inline std::vector<std::string> error_lines(const std::string& text) {
    const ParseResult r = parse_scenario_text(text, "bad.yaml");
    EXPECT_EQ(r.scenario.has_value(), r.errors.empty());
    std::vector<std::string> out;
    for (const ScenarioError& e : r.errors)
        out.push_back(std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message);
    return out;
}

} // namespace dtu::sim::scenario
