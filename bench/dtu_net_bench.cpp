// dtu_net_bench: the network paths of a configured dtu-sim (issue 3), each next to a reference
// measured in the same run (BENCHMARKS.md explains the rows):
//   1. one-way latency serial -> server and server -> serial vs a socat PTY <-> TCP relay;
//   2. serial -> server throughput vs the same relay;
//   3. the link's impairment: added upstream latency, and UDP loss.
//
//   dtu_net_bench [--runs N] [--messages N] [--paced N] [--mbytes N] [--trials N] [--frames N] [--seed N]
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "net_fixture.hpp"
#include "net_measure.hpp"
#include "net_util.hpp"

using namespace dtu::bench;

namespace {

struct Options {
    int runs = 1;
    int messages = 1000;        // latency messages per direction (+10 % warm-up)
    int paced = 200;            // messages for the impairment latency, each phase
    std::size_t mbytes = 20;    // throughput volume, MB (10^6 bytes)
    int trials = 7;             // throughput trials, device and relay alternating
    std::size_t frames = 10000; // UDP frames of 16 bytes
    unsigned long long seed = 1;
};

constexpr int kPackingMs = 10;        // AT+UARTFT=10, the G771 minimum
constexpr double kPacedPeriodMs = 25; // > packing interval: each paced message is its own frame
constexpr double kAddedLatencyMs = 200;
constexpr double kLoss = 0.1;
constexpr int kMessageBytes = 16; // net_measure's latency messages

const char* yes_no(bool b) { return b ? "yes" : "**no**"; }

void row(const char* what, const std::vector<double>& ms, double minus = 0) {
    std::printf("| %-50s | %8.3f | %8.3f | %8.3f |\n", what, percentile(ms, 50) - minus,
                percentile(ms, 99) - minus, percentile(ms, 100) - minus);
}

/// AT commands for socket A to 127.0.0.1:port, heartbeat off, minimum packing interval, then extra.
std::vector<std::string> config(const char* proto, int port, const std::vector<std::string>& extra) {
    std::vector<std::string> at = {std::string("AT+SOCKA=") + proto + ",127.0.0.1," + std::to_string(port),
                                   "AT+HEARTEN=OFF", "AT+UARTFT=" + std::to_string(kPackingMs)};
    at.insert(at.end(), extra.begin(), extra.end());
    return at;
}

Fd accept_or_die(const Fd& listener) {
    Fd conn = tcp_accept(listener, 10);
    if (conn.get() < 0) {
        std::fprintf(stderr, "dtu_net_bench: no connection on the server\n");
        std::exit(1);
    }
    return conn;
}

void latency(const Options& o) {
    std::vector<double> dev_up, dev_down, len_up, ref_up, ref_down;
    {
        int port = 0;
        Fd listener = tcp_listen(&port);
        Device dut(config("TCP", port, {}), o.seed);
        Fd conn = accept_or_die(listener);
        dut.wait_socket_a_connected();
        dev_up = latency_up(dut.port(), conn.get(), o.messages);
        dev_down = latency_down(dut.port(), conn.get(), o.messages);
    }
    {
        // G771 §3.3: a frame also closes when it reaches the packing length. With UARTFL equal to the
        // message size no timer is involved, so this is the device's own relay path.
        int port = 0;
        Fd listener = tcp_listen(&port);
        Device dut(config("TCP", port, {"AT+UARTFL=" + std::to_string(kMessageBytes)}), o.seed);
        Fd conn = accept_or_die(listener);
        dut.wait_socket_a_connected();
        len_up = latency_up(dut.port(), conn.get(), o.messages);
    }
    {
        int port = 0;
        Fd listener = tcp_listen(&port);
        SocatRelay relay(port);
        Fd conn = accept_or_die(listener);
        ref_up = latency_up(relay.port(), conn.get(), o.messages);
        ref_down = latency_down(relay.port(), conn.get(), o.messages);
    }
    const auto timer = sleep_overshoot(o.messages / 5, kPackingMs);
    std::printf("\n1. One-way latency, %d messages of 16 B each way, link none, heartbeat off (ms)\n\n",
                o.messages);
    std::printf("| measurement | p50 | p99 | max |\n|---|---|---|---|\n");
    row("dtu-sim serial -> server (AT+UARTFT=10), raw", dev_up);
    row("dtu-sim serial -> server, minus the 10 ms interval", dev_up, kPackingMs);
    row("dtu-sim serial -> server, closed by length (UARTFL=16)", len_up);
    row("reference: socat relay serial -> server", ref_up);
    row("reference: a 10 ms sleep in the bench, minus 10 ms", timer);
    row("dtu-sim server -> serial", dev_down);
    row("reference: socat relay server -> serial", ref_down);
    const double up50 = (percentile(dev_up, 50) - kPackingMs) / percentile(ref_up, 50);
    const double up99 = (percentile(dev_up, 99) - kPackingMs) / percentile(ref_up, 99);
    const double len50 = percentile(len_up, 50) / percentile(ref_up, 50);
    const double len99 = percentile(len_up, 99) / percentile(ref_up, 99);
    const double dn50 = percentile(dev_down, 50) / percentile(ref_down, 50);
    const double dn99 = percentile(dev_down, 99) / percentile(ref_down, 99);
    std::printf(
        "\nratio to socat (goal <= 1.5x): serial->server minus interval p50 %.2fx p99 %.2fx (met: %s); "
        "raw p50 %.0fx; serial->server closed by length p50 %.2fx p99 %.2fx (met: %s); server->serial p50 "
        "%.2fx p99 %.2fx (met: %s)\n",
        up50, up99, yes_no(up50 <= 1.5 && up99 <= 1.5), percentile(dev_up, 50) / percentile(ref_up, 50),
        len50, len99, yes_no(len50 <= 1.5 && len99 <= 1.5), dn50, dn99, yes_no(dn50 <= 1.5 && dn99 <= 1.5));
}

void throughput(const Options& o) {
    const std::size_t bytes = o.mbytes * 1000000;
    // Both stay up and take turns, so that each pair of trials sees the same machine load; one trial
    // lasts ~0.1 s, so the goal is judged on the median of the per-pair ratios.
    int dev_port = 0, ref_port = 0;
    Fd dev_listener = tcp_listen(&dev_port), ref_listener = tcp_listen(&ref_port);
    Device dut(config("TCP", dev_port, {"AT+UARTFL=4096"}), o.seed);
    Fd dev_conn = accept_or_die(dev_listener);
    dut.wait_socket_a_connected();
    SocatRelay relay(ref_port);
    Fd ref_conn = accept_or_die(ref_listener);
    std::printf(
        "\n2. Throughput serial -> server, %zu MB written to the PTY at once, %d alternating trials\n\n",
        o.mbytes, o.trials);
    std::printf(
        "| trial | dtu-sim MB/s | intact | socat MB/s | intact | ratio |\n|---|---|---|---|---|---|\n");
    std::vector<double> ratios;
    bool intact = true;
    for (int t = 1; t <= o.trials; ++t) {
        const Throughput dev = push_up(dut.port(), dev_conn.get(), bytes);
        const Throughput ref = push_up(relay.port(), ref_conn.get(), bytes);
        intact = intact && dev.intact && ref.intact;
        ratios.push_back(dev.mb_per_s() / ref.mb_per_s());
        std::printf("| %d | %.1f | %s | %.1f | %s | %.2fx |\n", t, dev.mb_per_s(), yes_no(dev.intact),
                    ref.mb_per_s(), yes_no(ref.intact), ratios.back());
    }
    // dropped = bytes the device could not queue on the link (1 MiB bound); socket A comes first.
    const double dropped = json_number(dut.status(), {"sockets", "cache_dropped_bytes"});
    const double median = percentile(ratios, 50);
    std::printf(
        "\nratio to socat (goal >= 0.8x): median %.2fx, min %.2fx, max %.2fx; device dropped %.0f bytes "
        "(met: %s)\n",
        median, percentile(ratios, 0), percentile(ratios, 100), dropped,
        yes_no(median >= 0.8 && intact && dropped == 0));
}

void impaired_latency(const Options& o) {
    int port = 0;
    Fd listener = tcp_listen(&port);
    Device dut(config("TCP", port, {}), o.seed);
    Fd conn = accept_or_die(listener);
    dut.wait_socket_a_connected();
    const auto base = latency_up_paced(dut.port(), conn.get(), o.paced, kPacedPeriodMs);
    dut.put_link("{\"upstream\":{\"latency_ms\":" + std::to_string(kAddedLatencyMs) + "}}");
    const auto slow = latency_up_paced(dut.port(), conn.get(), o.paced, kPacedPeriodMs);
    std::printf("\n3a. Upstream latency_ms 200: serial -> server one-way, %d messages every %.0f ms (ms)\n\n",
                o.paced, kPacedPeriodMs);
    std::printf("| measurement | p50 | p99 | max |\n|---|---|---|---|\n");
    row("baseline (link none), same device", base);
    row("PUT /api/v1/link upstream.latency_ms=200", slow);
    const double err = percentile(slow, 50) - (kAddedLatencyMs + percentile(base, 50));
    std::printf("\np50 - (200 + baseline p50) = %+.3f ms (goal within +-2 ms; met: %s)\n", err,
                yes_no(err >= -2 && err <= 2));
}

void udp_loss(const Options& o) {
    constexpr std::size_t kFrame = 16;
    int port = 0;
    Fd sink = udp_bind(&port, 8 << 20);
    Device dut(config("UDP", port, {"AT+UARTFL=" + std::to_string(kFrame)}), o.seed);
    dut.wait_socket_a_connected();
    dut.put_link("{\"upstream\":{\"loss\":" + std::to_string(kLoss) + "}}");
    std::size_t wrong = 0;
    const std::size_t got = count_datagrams(dut.port(), sink.get(), o.frames * kFrame, kFrame, &wrong);
    const std::string s = dut.status();
    const double offered = json_number(s, {"link_traffic", "upstream", "packets"});
    const double dropped = json_number(s, {"link_traffic", "upstream", "dropped"});
    const double frames = json_number(s, {"counters", "data_frames"});
    const double loss = 100.0 * (1.0 - static_cast<double>(got) / static_cast<double>(o.frames));
    std::printf(
        "\n3b. UDP, upstream loss 0.1, seed %llu: %zu frames of 16 B (AT+UARTFL=16, one %zu-byte write)\n\n",
        o.seed, o.frames, o.frames * kFrame);
    std::printf(
        "| frames cut by the device | datagrams offered to the link | dropped by the link | received by the "
        "server | not 16 B | loss |\n|---|---|---|---|---|---|\n");
    std::printf("| %.0f | %.0f | %.0f | %zu | %zu | %.2f %% |\n", frames, offered, dropped, got, wrong, loss);
    std::printf("\nloss %.2f %% (goal 10 +- 1 %%; met: %s); received == offered - dropped: %s\n", loss,
                yes_no(loss >= 9 && loss <= 11 && wrong == 0), yes_no(got + dropped == offered));
}

} // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        const char* v = argv[i + 1];
        if (a == "--runs")
            o.runs = std::atoi(v);
        else if (a == "--messages")
            o.messages = std::atoi(v);
        else if (a == "--paced")
            o.paced = std::atoi(v);
        else if (a == "--mbytes")
            o.mbytes = std::strtoul(v, nullptr, 10);
        else if (a == "--trials")
            o.trials = std::atoi(v);
        else if (a == "--frames")
            o.frames = std::strtoul(v, nullptr, 10);
        else if (a == "--seed")
            o.seed = std::strtoull(v, nullptr, 10);
        else {
            std::fprintf(stderr, "unknown option %s\n", a.c_str());
            return 2;
        }
    }
    for (int run = 1; run <= o.runs; ++run) {
        const auto t0 = Clock::now();
        std::printf("\n## run %d of %d\n", run, o.runs);
        latency(o);
        throughput(o);
        impaired_latency(o);
        udp_loss(o);
        std::printf("\n(run %d took %.1f s)\n", run, micros_since(t0) / 1e6);
        std::fflush(stdout);
    }
    return 0;
}
