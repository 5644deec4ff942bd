// dtu_k7_modbus_bench: the K7's Modbus TCP -> RTU gateway (issue 16, AT+MODTCP=ON; K7 §4.4.2) next to
// references measured in the same run: a libmodbus TCP master on the device's TCP server (port 23),
// a libmodbus RTU slave on its PTY; per request the master's round trip, and the slave's own reply
// time (request received -> reply written, in the slave thread). The plain serial round trip with no
// gateway is the same master code in RTU mode on one end of a socat PTY pair, the same slave on the
// other. Every reply's registers are checked: a wrong value or a failed request exits 1.
// BENCHMARKS.md explains the rows.
//
//   dtu_k7_modbus_bench [--runs N] [--requests N]
#include <modbus.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.hpp"
#include "k7_process.hpp"
#include "net_fixture.hpp"

using namespace dtu::bench;
namespace fs = std::filesystem;

namespace {

constexpr int kRegisters = 10;
constexpr int kBaud = 115200; // the K7's default UART (K7 §5.3.5 AT+UART); libmodbus sets it on the PTY

struct Options {
    int runs = 1;
    int requests = 1000;
};

/// Thrown, not exited: unwinding stops the slave thread, dtu-sim and socat.
[[noreturn]] void fail(const std::string& why) { throw std::runtime_error(why); }

struct ModbusDeleter {
    void operator()(modbus_t* ctx) const {
        modbus_close(ctx);
        modbus_free(ctx);
    }
};
using Modbus = std::unique_ptr<modbus_t, ModbusDeleter>;

std::uint16_t register_value(int i) { return static_cast<std::uint16_t>(0x1000 + i); }

/// A libmodbus RTU slave (unit 1, holding registers 0..9) on a PTY, answering until destroyed; each
/// request's reply time (modbus_receive returned -> modbus_reply returned) in ms.
class RtuSlave {
public:
    explicit RtuSlave(const std::string& pty) : ctx_(modbus_new_rtu(pty.c_str(), kBaud, 'N', 8, 1)) {
        if (!ctx_) fail("modbus_new_rtu(" + pty + "): " + modbus_strerror(errno));
        modbus_set_slave(ctx_.get(), 1);
        if (modbus_connect(ctx_.get()) != 0) fail("slave on " + pty + ": " + modbus_strerror(errno));
        map_ = modbus_mapping_new(0, 0, kRegisters, 0);
        for (int i = 0; i < kRegisters; ++i)
            map_->tab_registers[i] = register_value(i);
        modbus_set_indication_timeout(ctx_.get(), 0, 100000); // 100 ms: the loop sees stop_ often
        thread_ = std::thread([this] { serve(); });
    }
    ~RtuSlave() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
        modbus_mapping_free(map_);
    }
    RtuSlave(const RtuSlave&) = delete;
    RtuSlave& operator=(const RtuSlave&) = delete;

    /// Stops answering; the reply times of the last n requests (exits unless exactly `expected` were
    /// answered: a request the slave saw twice or not at all would skew both columns).
    std::vector<double> finish(int expected, int n) {
        stop_ = true;
        thread_.join();
        if (static_cast<int>(reply_ms_.size()) != expected || failed_ != 0)
            fail("the slave answered " + std::to_string(reply_ms_.size()) + " requests (" +
                 std::to_string(failed_) + " replies failed), expected " + std::to_string(expected));
        return {reply_ms_.end() - n, reply_ms_.end()};
    }

private:
    void serve() {
        std::array<std::uint8_t, MODBUS_RTU_MAX_ADU_LENGTH> query{};
        while (!stop_) {
            const int n = modbus_receive(ctx_.get(), query.data());
            if (n <= 0) continue; // the indication timeout, or a frame for another unit
            const auto t0 = Clock::now();
            if (modbus_reply(ctx_.get(), query.data(), n, map_) > 0)
                reply_ms_.push_back(micros_since(t0) / 1000);
            else
                ++failed_;
        }
    }
    Modbus ctx_;
    modbus_mapping_t* map_ = nullptr;
    std::atomic<bool> stop_{false};
    std::vector<double> reply_ms_; // read by finish() after the join
    int failed_ = 0;
    std::thread thread_;
};

/// `warmup` then n reads of registers 0..9, one at a time; each one's round trip in ms. Exits on a
/// failed request or a wrong value.
std::vector<double> round_trips(modbus_t* master, int warmup, int n, const char* what) {
    std::vector<double> ms;
    ms.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < warmup + n; ++i) {
        std::array<std::uint16_t, kRegisters> regs{};
        const auto t0 = Clock::now();
        const int got = modbus_read_registers(master, 0, kRegisters, regs.data());
        const double elapsed = micros_since(t0) / 1000;
        if (got != kRegisters)
            fail(std::string(what) + ": request " + std::to_string(i) + ": " + modbus_strerror(errno));
        for (int r = 0; r < kRegisters; ++r)
            if (regs[static_cast<std::size_t>(r)] != register_value(r))
                fail(std::string(what) + ": request " + std::to_string(i) + ": register " +
                     std::to_string(r) + " is " + std::to_string(regs[static_cast<std::size_t>(r)]));
        if (i >= warmup) ms.push_back(elapsed);
    }
    return ms;
}

struct Measured {
    std::vector<double> round_trip, slave_reply;
};

/// Connects master (unit 1, 2 s response timeout) and measures `requests` round trips after a tenth
/// as many warm-up ones, with the slave's reply times of the same requests.
Measured measure(modbus_t* master, RtuSlave& slave, int requests, const std::string& what) {
    if (!master) fail(what + ": " + modbus_strerror(errno));
    modbus_set_slave(master, 1);
    modbus_set_response_timeout(master, 2, 0);
    if (modbus_connect(master) != 0) fail(what + ": " + modbus_strerror(errno));
    const int warmup = requests / 10;
    Measured m;
    m.round_trip = round_trips(master, warmup, requests, what.c_str());
    m.slave_reply = slave.finish(warmup + requests, requests);
    return m;
}

/// The gateway: dtu-sim --profile k7 --at AT+MODTCP=ON, the slave on its PTY, a TCP master on the
/// host port of device port 23.
Measured gateway(const Options& o, bool paced) {
    const K7Process k7({"AT+MODTCP=ON"}, paced);
    RtuSlave slave(k7.serial());
    const Modbus master(modbus_new_tcp("127.0.0.1", k7.host_port("tcp/23")));
    return measure(master.get(), slave, o.requests, "K7 gateway, TCP master");
}

/// `socat PTY,raw,echo=0,link=A PTY,raw,echo=0,link=B`: two PTYs joined, no gateway between them.
class PtyPair {
public:
    PtyPair() : dir_(scratch_dir()), a_((dir_ / "a").string()), b_((dir_ / "b").string()) {
        pid_ = spawn({"socat", "PTY,raw,echo=0,link=" + a_, "PTY,raw,echo=0,link=" + b_}, false);
        if (!wait_for_file(a_, 10) || !wait_for_file(b_, 10)) {
            stop(pid_); // no destructor for a constructor that throws
            fs::remove_all(dir_);
            fail("socat did not create its PTYs");
        }
    }
    ~PtyPair() {
        stop(pid_);
        fs::remove_all(dir_);
    }
    PtyPair(const PtyPair&) = delete;
    PtyPair& operator=(const PtyPair&) = delete;
    const std::string& a() const { return a_; }
    const std::string& b() const { return b_; }

private:
    fs::path dir_;
    std::string a_, b_;
    pid_t pid_ = -1;
};

/// The reference: the same slave on one end of a socat PTY pair, an RTU master on the other.
Measured serial_only(const Options& o) {
    const PtyPair pair;
    RtuSlave slave(pair.b());
    const Modbus master(modbus_new_rtu(pair.a().c_str(), kBaud, 'N', 8, 1));
    return measure(master.get(), slave, o.requests, "socat PTY pair, RTU master");
}

void row(const std::string& what, const std::vector<double>& ms) {
    std::printf("| %-58s | %8.3f | %8.3f | %8.3f |\n", what.c_str(), percentile(ms, 50), percentile(ms, 99),
                percentile(ms, 100));
}

void run(const Options& o) {
    const Measured unpaced = gateway(o, false);
    const Measured paced = gateway(o, true);
    const Measured reference = serial_only(o);
    const std::string head = "read of 10 holding registers, " + std::to_string(o.requests) + " requests (ms)";
    std::printf("\n| %-58s |      p50 |      p99 |      max |\n|---|---|---|---|\n", head.c_str());
    row("K7 gateway, --baud-pacing off: TCP round trip", unpaced.round_trip);
    row("  its slave's own reply time", unpaced.slave_reply);
    row("K7 gateway, --baud-pacing on: TCP round trip", paced.round_trip);
    row("  its slave's own reply time", paced.slave_reply);
    row("reference socat PTY pair: RTU round trip", reference.round_trip);
    row("  its slave's own reply time", reference.slave_reply);
}

} // namespace

int main(int argc, char** argv) try {
    Options o;
    parse_counts(argc, argv, {{"--runs", &o.runs}, {"--requests", &o.requests}}, "dtu_k7_modbus_bench");
    for (int r = 1; r <= o.runs; ++r) {
        std::printf("\n## run %d\n", r);
        run(o);
    }
} catch (const std::exception& e) {
    std::fprintf(stderr, "dtu_k7_modbus_bench: %s\n", e.what());
    return 1;
}
