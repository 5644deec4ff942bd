#pragma once
// One step of a scenario file (scenarios/README.md "Steps") and fail patterns.
#include <optional>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_fields.hpp"

namespace dtu::sim::scenario {

/// What steps are checked against: the declared servers and brokers and the run's deadline.
struct StepEnv {
    const std::vector<ServerSpec>* servers = nullptr;
    const std::vector<BrokerSpec>* brokers = nullptr;
    Duration deadline = kDefaultDeadline;
};

/// A step: a one-key map {kind: options} (or a bare kind that takes no options). ctx says "step N: ".
std::optional<Step> parse_step(const Context& ctx, const YAML::Node& node, const StepEnv& env);

/// A fail pattern: a string (text in the serial output) or {in: serial|SERVER, text|regex|hex}
/// (and `name` when it is a step's options).
std::optional<FailPattern> parse_fail_pattern(const Context& ctx, const YAML::Node& node, SourcePos pos,
                                              const StepEnv& env, bool is_step);

/// Every step kind, in the order of scenarios/README.md "Steps".
const std::vector<std::string_view>& step_kinds();

} // namespace dtu::sim::scenario
