// dtu_k7_bench: the K7's TCP server (issue 16) next to a reference measured in the same run: a TCP
// client of the device on loopback and the device's serial port (PTY), one-way latency both ways and
// serial -> client throughput, vs `socat PTY,raw,echo=0 TCP-LISTEN:port` (the same path with no
// firmware in it). BENCHMARKS.md explains the rows.
//
//   dtu_k7_bench [--runs N] [--messages N] [--mbytes N]
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.hpp"
#include "k7_process.hpp"
#include "net_fixture.hpp"
#include "net_measure.hpp"
#include "net_util.hpp"

using namespace dtu::bench;
namespace fs = std::filesystem;

namespace {

struct Options {
    int runs = 1;
    int messages = 1000;
    int mbytes = 5;
};

[[noreturn]] void fail(const std::string& why) {
    std::fprintf(stderr, "dtu_k7_bench: %s\n", why.c_str());
    std::exit(1);
}

int free_port() {
    int port = 0;
    Fd probe = tcp_listen(&port); // closed again at once: the port is free for the peer to bind
    return port;
}

/// A TCP client of 127.0.0.1:port (TCP_NODELAY), retried for up to 5 s while the peer starts.
Fd tcp_connect(int port) {
    const auto t0 = Clock::now();
    for (;;) {
        Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0) {
            int one = 1;
            ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) | O_NONBLOCK); // as tcp_accept's
            return fd;
        }
        if (micros_since(t0) > 5e6) fail("cannot connect to 127.0.0.1:" + std::to_string(port));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

/// One side measured: a process whose serial port (PTY) reaches a TCP client of the benchmark.
class Subject {
public:
    ~Subject() {
        port_.reset();
        stop(pid_);
        fs::remove_all(dir_);
    }
    Port& port() { return *port_; }
    int client() const { return client_.get(); }

    /// dtu-sim --profile k7 whose socket A is a TCP server on device port `port` (bound as it is: the
    /// benchmark picked a free one), with one client connected and accepted.
    static std::unique_ptr<Subject> k7(int port) {
        auto s = std::unique_ptr<Subject>(new Subject);
        s->k7_ = std::make_unique<K7Process>(
            std::vector<std::string>{"AT+SOCKA=TCPS,192.168.0.201," + std::to_string(port)}, false);
        s->port_ = std::make_unique<Port>(s->k7_->serial());
        s->client_ = tcp_connect(s->k7_->host_port("tcp/" + std::to_string(port)));
        s->port_->drain(0.2); // accepted meanwhile; nothing comes on the serial port
        return s;
    }
    /// The reference: socat listening on port, relaying to its PTY; one client connected.
    static std::unique_ptr<Subject> socat(int port) {
        auto s = std::unique_ptr<Subject>(new Subject);
        const std::string link = (s->dir_ / "pty").string();
        s->pid_ = spawn(
            {"socat", "PTY,raw,echo=0,link=" + link, "TCP-LISTEN:" + std::to_string(port) + ",reuseaddr"},
            false);
        if (!wait_for_file(link, 10)) fail("socat did not create its PTY");
        s->port_ = std::make_unique<Port>(link);
        s->client_ = tcp_connect(port);
        return s;
    }

private:
    Subject() : dir_(scratch_dir()) {}
    std::unique_ptr<K7Process> k7_; // or, for socat:
    fs::path dir_;
    pid_t pid_ = -1;
    std::unique_ptr<Port> port_;
    Fd client_;
};

void row(const char* what, const std::vector<double>& ms) {
    std::printf("| %-48s | %8.3f | %8.3f | %8.3f |\n", what, percentile(ms, 50), percentile(ms, 99),
                percentile(ms, 100));
}

void run(const Options& o) {
    std::vector<double> dev_up, dev_down, ref_up, ref_down;
    Throughput dev_tp, ref_tp;
    const auto measure = [&](Subject& s, std::vector<double>& up, std::vector<double>& down, Throughput& tp) {
        up = latency_up(s.port(), s.client(), o.messages);
        down = latency_down(s.port(), s.client(), o.messages);
        tp = push_up(s.port(), s.client(), static_cast<std::size_t>(o.mbytes) * 1000000);
    };
    measure(*Subject::k7(free_port()), dev_up, dev_down, dev_tp);
    measure(*Subject::socat(free_port()), ref_up, ref_down, ref_tp);
    std::printf("\n| one-way latency, %d messages of 16 bytes        |      p50 |      p99 |      max |\n"
                "|---|---|---|---|\n",
                o.messages);
    row("K7 TCP server: serial -> client (ms)", dev_up);
    row("reference socat: serial -> client (ms)", ref_up);
    row("K7 TCP server: client -> serial (ms)", dev_down);
    row("reference socat: client -> serial (ms)", ref_down);
    std::printf("\n| serial -> client, %d MB | MB/s | intact |\n|---|---|---|\n", o.mbytes);
    std::printf("| K7 TCP server | %.2f | %s |\n", dev_tp.mb_per_s(), dev_tp.intact ? "yes" : "**no**");
    std::printf("| reference socat | %.2f | %s |\n", ref_tp.mb_per_s(), ref_tp.intact ? "yes" : "**no**");
}

} // namespace

int main(int argc, char** argv) try {
    Options o;
    parse_counts(argc, argv, {{"--runs", &o.runs}, {"--messages", &o.messages}, {"--mbytes", &o.mbytes}},
                 "dtu_k7_bench");
    for (int r = 1; r <= o.runs; ++r) {
        std::printf("\n## run %d\n", r);
        run(o);
    }
} catch (const std::exception& e) { // K7Process's: unwound, so dtu-sim is stopped
    std::fprintf(stderr, "dtu_k7_bench: %s\n", e.what());
    return 1;
}
