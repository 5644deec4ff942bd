#include "sim/scenario/command_line.hpp"

#include <cstdio>

#include <QStringList>

#include "sim/scenario/scenario_cli.hpp"

namespace dtu::sim::scenario {
namespace {

constexpr const char* kWallLimitHelp =
    "  --wall-limit S    give up after S seconds of real time (default 120): the run is an error\n";

} // namespace

CommandLine::CommandLine(std::string command, std::string_view about)
    : command_(std::move(command)), about_(about) {
    parser_.addOptions({help_, wall_limit_option_});
}

std::optional<int> CommandLine::parse(const std::vector<std::string>& args) {
    QStringList list{QString::fromStdString("dtu-sim " + command_)};
    for (const std::string& a : args)
        list << QString::fromStdString(a);
    if (!parser_.parse(list)) return usage(parser_.errorText().toStdString());
    if (parser_.isSet(help_)) {
        std::printf(about_.data(), kWallLimitHelp);
        return 0;
    }
    if (parser_.isSet(wall_limit_option_)) {
        std::string error;
        const auto limit = parse_wall_limit(parser_.value(wall_limit_option_).toStdString(), error);
        if (!limit) return usage(error);
        wall_limit_ = *limit;
    }
    return std::nullopt;
}

std::vector<std::string> CommandLine::positional() const {
    std::vector<std::string> out;
    for (const QString& a : parser_.positionalArguments())
        out.push_back(a.toStdString());
    return out;
}

int CommandLine::usage(const std::string& message) const {
    std::fprintf(stderr, "dtu-sim %s: %s\nTry 'dtu-sim %s --help'.\n", command_.c_str(), message.c_str(),
                 command_.c_str());
    return kExitScenarioUsage;
}

} // namespace dtu::sim::scenario
