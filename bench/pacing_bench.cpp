// dtu_pacing_bench: with baud pacing on, a 64 KiB transfer serial -> server at 9600 and 115200 baud
// against the line's theoretical time (65536 bytes * 10 bits (8N1) / baud). Goal: within 2 %.
//
//   dtu_pacing_bench [--runs N] [--bauds 9600,115200]
//
// One dtu-sim per run: AT+UART=<baud>,8,1,NONE,NFC, AT+UARTFL=1024 (64 frames closed by length, so
// no packing interval is waited at the end), AT+HEARTEN=OFF, socket A to a server in this process.
// Clock: before the first write() to the PTY until the server has read the last byte. A writer
// thread writes as fast as the PTY takes the bytes, so the line is the only limit.
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.hpp"
#include "net_fixture.hpp"
#include "net_util.hpp"

using namespace dtu::bench;

namespace {

constexpr std::size_t kBytes = 64 * 1024;

/// Seconds for one transfer at baud.
double transfer(int baud) {
    int port = 0;
    const Fd listener = tcp_listen(&port);
    Device dut({"AT+SOCKA=TCP,127.0.0.1," + std::to_string(port), "AT+HEARTEN=OFF", "AT+UARTFL=1024",
                "AT+UART=" + std::to_string(baud) + ",8,1,NONE,NFC"},
               1, /*paced=*/true);
    const Fd conn = tcp_accept(listener, 10);
    if (conn.get() < 0) {
        std::fprintf(stderr, "the device did not connect\n");
        std::exit(1);
    }
    dut.wait_socket_a_connected();
    const std::string data(kBytes, 'p');
    std::vector<char> sink(kBytes);
    const auto t0 = Clock::now();
    std::thread writer([&] { dut.port().write(data); });
    const bool all = read_exact(conn.get(), sink.data(), kBytes, 600);
    const double seconds = micros_since(t0) / 1e6;
    writer.join();
    if (!all) {
        std::fprintf(stderr, "the server did not get all %zu bytes\n", kBytes);
        std::exit(1);
    }
    return seconds;
}

std::vector<int> parse_bauds(const std::string& text) {
    std::vector<int> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        out.push_back(std::atoi(item.c_str()));
    return out;
}

} // namespace

int main(int argc, char** argv) {
    int runs = 3;
    std::vector<int> bauds{9600, 115200};
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--runs") runs = std::atoi(argv[i + 1]);
        if (a == "--bauds") bauds = parse_bauds(argv[i + 1]);
    }
    std::printf("| baud | run | measured s | theoretical s | excess |\n|---|---|---|---|---|\n");
    std::fflush(stdout);
    for (const int baud : bauds) {
        const double theory = static_cast<double>(kBytes) * 10 / baud; // 8N1: 10 bits a byte
        for (int r = 1; r <= runs; ++r) {
            const double t = transfer(baud);
            std::printf("| %6d | %d | %10.3f | %13.3f | %+6.2f %% |\n", baud, r, t, theory,
                        (t / theory - 1) * 100);
            std::fflush(stdout);
        }
    }
    return 0;
}
