#pragma once
// Where each scenario's trace files go under `--trace DIR`: names that are predictable (from the
// file's path) and never shared, so one run's trace never overwrites another's.
#include <string>
#include <string_view>
#include <vector>

namespace dtu::sim::scenario {

/// Each file's trace name, without extension: its path relative to the folder all the files share,
/// without its extension ("x" for x.yaml alone or next to others in one folder; "a/x" and "b/x"
/// for a/x.yaml and b/x.yaml). A name already taken (the same file twice, x.yaml and x.yml) gets
/// "-2", "-3", ... in the order the files are given.
std::vector<std::string> trace_names(const std::vector<std::string>& files);

/// DIR/NAME.EXTENSION (extension without the dot).
std::string trace_path(const std::string& dir, const std::string& name, std::string_view extension);

} // namespace dtu::sim::scenario
