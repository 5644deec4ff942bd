#pragma once
// The command line `dtu-sim scenario` and `dtu-sim replay` share: -h/--help, --wall-limit S and
// usage errors, next to each command's own options.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <QCommandLineOption>
#include <QCommandLineParser>

#include "sim/scenario/wall_limit.hpp"

namespace dtu::sim::scenario {

class CommandLine {
public:
    /// command: "scenario" or "replay"; about: the help text, a printf format whose one %s is
    /// where the --wall-limit line goes.
    CommandLine(std::string command, std::string_view about);
    void add(const QCommandLineOption& option) { parser_.addOption(option); }
    /// nullopt to go on; otherwise the exit code (the help printed, or a usage error).
    std::optional<int> parse(const std::vector<std::string>& args);

    const QCommandLineParser& parser() const { return parser_; }
    std::vector<std::string> positional() const;
    std::chrono::seconds wall_limit() const { return wall_limit_; }
    /// Print "dtu-sim COMMAND: message" and the --help hint; the usage exit code.
    int usage(const std::string& message) const;

private:
    std::string command_;
    std::string_view about_;
    QCommandLineParser parser_;
    QCommandLineOption help_{{"h", "help"}, "help"};
    QCommandLineOption wall_limit_option_{"wall-limit", "wall limit", "S"};
    std::chrono::seconds wall_limit_ = kDefaultWallLimit;
};

} // namespace dtu::sim::scenario
