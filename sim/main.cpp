// dtu-sim: a virtual USR-IoT DTU whose serial port is a host PTY. See `dtu-sim --help`.
#include <cstdio>
#include <string>
#include <vector>

#include "sim/app.hpp"
#include "sim/cli.hpp"
#include "sim/scenario/scenario_cli.hpp"

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv, argv + argc);
    // Subcommands: `dtu-sim scenario ...` and `dtu-sim replay ...` (scenarios/README.md).
    if (args.size() > 1 && args[1] == "scenario")
        return dtu::sim::scenario::scenario_main({args.begin() + 2, args.end()});
    if (args.size() > 1 && args[1] == "replay")
        return dtu::sim::scenario::replay_main({args.begin() + 2, args.end()});
    const dtu::sim::CliResult cli = dtu::sim::parse_cli(args);
    std::fputs(cli.out.c_str(), stdout);
    std::fputs(cli.err.c_str(), stderr);
    if (!cli.options) return cli.exit_code;
    return dtu::sim::run(*cli.options);
}
