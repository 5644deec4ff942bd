#pragma once
// The dtu-sim command line: options, defaults, validation and --help text.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dtu/hal/log.hpp"
#include "dtu/hal/modem.hpp"

namespace dtu::sim {

/// Exit status for a bad command line (usage error).
inline constexpr int kExitUsage = 2;

/// A validated command line.
struct Options {
    std::string profile = "g771";
    std::filesystem::path state_dir;   ///< always set (defaulted from profile and IMEI)
    std::filesystem::path serial_link; ///< empty: no link
    std::filesystem::path ready_file;  ///< empty: none
    hal::Identity identity;
    hal::LogLevel log_level = hal::LogLevel::Info;
    bool wait_serial = false;
};

/// Either options to run with, or an exit code with the text to print.
struct CliResult {
    std::optional<Options> options; ///< set: run the simulator
    int exit_code = 0;              ///< when options is empty
    std::string out;                ///< for stdout (--help, --version)
    std::string err;                ///< for stderr (errors, warnings)
};

/// Parse argv (args[0] is the program name). Never exits and never prints.
CliResult parse_cli(const std::vector<std::string>& args);

/// $XDG_STATE_HOME/dtu-sim/<profile>-<imei>, or ~/.local/state/dtu-sim/...; empty if neither is known.
std::filesystem::path default_state_dir(const std::string& profile, const std::string& imei);

} // namespace dtu::sim
