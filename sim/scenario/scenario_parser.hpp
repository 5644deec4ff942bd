#pragma once
// Reading a scenario file (scenarios/README.md "The file") into a Scenario: every problem found is
// reported with the file, line and column and what was expected, before anything runs.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace dtu::sim::scenario {

/// One problem in a scenario file.
struct ScenarioError {
    std::string file;
    int line = 0;   ///< 1-based; 0 = the file as a whole (it could not be read)
    int column = 0; ///< 1-based
    std::string message;
    /// "file:line:col: message" (or "file: message" without a position), as compilers print them.
    std::string to_string() const;
};

/// A valid scenario, or every error found (scenario is set only when errors is empty).
struct ParseResult {
    std::optional<Scenario> scenario;
    std::vector<ScenarioError> errors;
};

/// Read and check the file at path (Scenario::file = path).
ParseResult parse_scenario_file(const std::string& path);
/// Check text as the contents of a file called file_name (used in messages and Scenario::file).
ParseResult parse_scenario_text(std::string_view text, const std::string& file_name);

} // namespace dtu::sim::scenario
