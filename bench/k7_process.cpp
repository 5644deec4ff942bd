#include "k7_process.hpp"

#include <cstdlib>
#include <stdexcept>

#include "bench_util.hpp"
#include "net_fixture.hpp"

namespace fs = std::filesystem;

namespace dtu::bench {

K7Process::K7Process(const std::vector<std::string>& at, bool paced) : dir_(scratch_dir()) {
    const std::string ready = (dir_ / "ready.json").string();
    std::vector<std::string> argv{
        DTU_SIM_PATH, "--profile",   "k7",    "--state-dir",   (dir_ / "state").string(), "--ready-file",
        ready,        "--log-level", "error", "--baud-pacing", paced ? "on" : "off"};
    for (const auto& cmd : at) {
        argv.push_back("--at");
        argv.push_back(cmd);
    }
    pid_ = spawn(argv, true); // its start line would interleave with the tables
    if (!wait_for_file(ready, 10)) {
        stop(pid_); // no destructor for a constructor that throws
        fs::remove_all(dir_);
        throw std::runtime_error("dtu-sim --profile k7 did not become ready");
    }
    ready_json_ = slurp(ready); // written atomically
    serial_ = json_string(ready_json_, "serial");
}

K7Process::~K7Process() {
    stop(pid_);
    fs::remove_all(dir_);
}

int K7Process::host_port(const std::string& device_port) const {
    const std::string key = "\"" + device_port + "\":\"127.0.0.1:";
    const auto at = ready_json_.find(key);
    if (at == std::string::npos) throw std::runtime_error("no " + key + " in the ready file: " + ready_json_);
    return std::atoi(ready_json_.c_str() + at + key.size());
}

} // namespace dtu::bench
