#include "sim/scenario/trace_names.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace dtu::sim::scenario {
namespace {

namespace fs = std::filesystem;

fs::path absolute_path(const std::string& file) {
    std::error_code ec;
    const fs::path p = fs::absolute(file, ec);
    return (ec ? fs::path(file) : p).lexically_normal();
}

/// The folder every file is in (component by component).
fs::path common_folder(const std::vector<fs::path>& paths) {
    if (paths.empty()) return {};
    fs::path common = paths.front().parent_path();
    for (const fs::path& p : paths) {
        const fs::path folder = p.parent_path();
        fs::path shared;
        for (auto a = common.begin(), b = folder.begin(); a != common.end() && b != folder.end() && *a == *b;
             ++a, ++b)
            shared /= *a;
        common = shared;
    }
    return common;
}

std::string unique(std::string name, std::set<std::string>& taken) {
    if (name.empty()) name = "scenario";
    std::string candidate = name;
    for (int n = 2; taken.count(candidate) != 0; ++n)
        candidate = name + "-" + std::to_string(n);
    taken.insert(candidate);
    return candidate;
}

} // namespace

std::vector<std::string> trace_names(const std::vector<std::string>& files) {
    std::vector<fs::path> paths;
    std::transform(files.begin(), files.end(), std::back_inserter(paths), absolute_path);
    const fs::path root = common_folder(paths);
    std::set<std::string> taken;
    std::vector<std::string> names;
    for (const fs::path& p : paths)
        names.push_back(unique(p.lexically_relative(root).replace_extension().generic_string(), taken));
    return names;
}

std::string trace_path(const std::string& dir, const std::string& name, std::string_view extension) {
    return (fs::path(dir) / name).string() + "." + std::string(extension);
}

} // namespace dtu::sim::scenario
