#include "net_fixture.hpp"

#include <cstdlib>
#include <iostream>
#include <stdlib.h>
#include <thread>

#include "net_util.hpp"

namespace fs = std::filesystem;

namespace dtu::bench {

namespace {

[[noreturn]] void fail(const std::string& why) {
    std::cerr << "dtu_net_bench: " << why << "\n";
    std::exit(1);
}

} // namespace

fs::path scratch_dir() {
    char tmpl[] = "/tmp/dtu-net-bench-XXXXXX";
    return fs::path(mkdtemp(tmpl));
}

Device::Device(const std::vector<std::string>& at, std::uint64_t seed, bool paced) : dir_(scratch_dir()) {
    const std::string ready = (dir_ / "ready.json").string();
    pid_ = spawn({DTU_SIM_PATH, "--state-dir", (dir_ / "state").string(), "--ready-file", ready, "--control",
                  "127.0.0.1:0", "--seed", std::to_string(seed), "--log-level", "error", "--baud-pacing",
                  paced ? "on" : "off"},
                 true); // its start line would interleave with the tables
    if (!wait_for_file(ready, 10)) fail("dtu-sim did not become ready");
    const std::string json = slurp(ready); // written atomically
    control_ = json_string(json, "control");
    port_ = std::make_unique<Port>(json_string(json, "serial"));

    port_->drain(0.2); // >= 100 ms of quiet before +++
    port_->write("+++");
    if (!port_->read_until("a", 2)) fail("no 'a' after +++");
    port_->write("a");
    if (!port_->read_until("+ok\r\n", 2)) fail("no +ok");
    for (const auto& cmd : at) {
        std::string got;
        port_->write(cmd + "\r");
        if (!port_->read_until("OK\r\n", 2, &got)) fail(cmd + " answered: " + got);
    }
    port_->write("AT+S\r");
    if (!port_->read_until("\r\nUSR-G771 V1.3.25\r\n", 5)) fail("no start message after AT+S");
}

Device::~Device() {
    port_.reset();
    stop(pid_);
    fs::remove_all(dir_);
}

std::string Device::status() const { return api(control_, "GET", "/api/v1/status"); }

void Device::put_link(const std::string& json) const { api(control_, "PUT", "/api/v1/link", json); }

void Device::wait_socket_a_connected() const {
    const auto t0 = Clock::now();
    for (;;) {
        const std::string s = status();
        const auto a = s.find("\"name\":\"A\"");
        if (a != std::string::npos && json_string(s.substr(a), "state") == "connected") return;
        if (micros_since(t0) > 5e6) fail("socket A did not connect: " + s);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

SocatRelay::SocatRelay(int port) : dir_(scratch_dir()) {
    const std::string link = (dir_ / "pty").string();
    pid_ = spawn({"socat", "PTY,raw,echo=0,link=" + link, "TCP:127.0.0.1:" + std::to_string(port)}, false);
    if (!wait_for_file(link, 10)) fail("socat did not create its PTY");
    port_ = std::make_unique<Port>(link);
}

SocatRelay::~SocatRelay() {
    port_.reset();
    stop(pid_);
    fs::remove_all(dir_);
}

} // namespace dtu::bench
