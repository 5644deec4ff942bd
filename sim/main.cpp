// dtu-sim: a virtual USR-IoT DTU whose serial port is a host PTY. See `dtu-sim --help`.
#include <cstdio>
#include <string>
#include <vector>

#include "sim/app.hpp"
#include "sim/cli.hpp"

int main(int argc, char** argv) {
    const dtu::sim::CliResult cli = dtu::sim::parse_cli(std::vector<std::string>(argv, argv + argc));
    std::fputs(cli.out.c_str(), stdout);
    std::fputs(cli.err.c_str(), stderr);
    if (!cli.options) return cli.exit_code;
    return dtu::sim::run(*cli.options);
}
