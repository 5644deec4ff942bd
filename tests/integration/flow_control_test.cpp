// Serial -> network flow control end to end, dtu-sim's PTY on one side and a real TCP server on
// 127.0.0.1 on the other: with baud pacing a writer that waits for its writes loses nothing however
// slowly the server reads; without it (or with nowhere to go) what the device cannot take is
// counted and logged once per burst, never lost silently.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonObject>

#include "at_session.hpp"
#include "control_client.hpp"
#include "net_peer.hpp"
#include "serial_client.hpp"
#include "sim_process.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

/// n bytes of a pattern in which a lost or reordered piece shows (not one repeated byte).
std::string pattern(std::size_t n) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i)
        s[i] = static_cast<char>('0' + (i % 10 + i / 1000) % 64);
    return s;
}

QJsonObject status_of(const SimProcess& sim) { return Control(sim.control()).get("/api/v1/status").json; }

/// A TCP server that reads slowly: a small receive buffer (so the kernel cannot hide the backlog),
/// nothing at all for the first `stall`, then at most `rate` bytes a second. Runs on its own thread.
class SlowServer {
public:
    SlowServer(std::chrono::milliseconds stall, std::size_t rate) : stall_(stall), rate_(rate) {
        listen_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const int small = 4096; // inherited by the accepted socket: a small receive window
        ::setsockopt(listen_, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (::bind(listen_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listen_, 1) != 0 ||
            ::getsockname(listen_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
            throw std::runtime_error("slow server: cannot listen");
        port_ = ntohs(a.sin_port);
        thread_ = std::thread([this] { run(); });
    }
    ~SlowServer() {
        stop_ = true;
        thread_.join();
        ::close(listen_);
    }
    std::uint16_t port() const { return port_; }
    std::size_t received() const { return size_.load(); }
    /// Only after received() reached what the test waits for (the thread appends to it).
    const std::string& data() const { return data_; }

private:
    bool wait_readable(int fd) {
        pollfd p{fd, POLLIN, 0};
        return ::poll(&p, 1, 50) > 0;
    }
    void run() {
        int conn = -1;
        while (!stop_ && conn < 0)
            if (wait_readable(listen_)) conn = ::accept4(listen_, nullptr, nullptr, SOCK_CLOEXEC);
        if (conn < 0) return;
        const auto start = Clock::now();
        std::uint64_t taken = 0;
        char buf[1024];
        while (!stop_) {
            // The peer's own pace (its behaviour, not a wait in the test): a byte budget by time.
            const auto reading_for = Clock::now() - start - stall_;
            const auto budget =
                reading_for <= 0s
                    ? 0
                    : static_cast<std::uint64_t>(std::chrono::duration<double>(reading_for).count() * rate_);
            if (taken >= budget) {
                // Until the time the pace allows the next byte (a deadline of the peer's rate).
                const auto next = std::chrono::duration<double>(static_cast<double>(taken + 1) / rate_);
                std::this_thread::sleep_until(start + stall_ +
                                              std::chrono::duration_cast<Clock::duration>(next));
                continue;
            }
            if (!wait_readable(conn)) continue;
            const ssize_t n = ::read(conn, buf, std::min<std::uint64_t>(sizeof buf, budget - taken));
            if (n <= 0) break;
            taken += static_cast<std::uint64_t>(n);
            data_.append(buf, static_cast<std::size_t>(n));
            size_ = data_.size();
        }
        ::close(conn);
    }

    std::chrono::milliseconds stall_;
    std::size_t rate_;
    int listen_ = -1;
    std::uint16_t port_ = 0;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<std::size_t> size_{0};
    std::string data_;
};

TEST(FlowControl, OneMegabyteAt115200ThroughASlowServerArrivesWholeAndInOrder) {
    // The server reads nothing for 20 s (by then ~230 KB are waiting: more than the kernel's buffers
    // (the module's 64 KiB socket, the server's 4 KiB) and the module's 64 KiB flow-control limit),
    // then 16 KiB/s. The writer writes as fast as the
    // PTY takes it (blocking writes): it is held back, first by the line, then by the server.
    SlowServer server(20s, 16 * 1024);
    SimProcess sim({"--baud-pacing", "on", "--control", "127.0.0.1:0"});
    ASSERT_TRUE(sim.start());
    SerialClient port(sim.serial());
    ASSERT_EQ(port.read_until(kStartMessage, 3s), kStartMessage);
    configure_and_restart(port,
                          {"AT+SOCKA=TCP,127.0.0.1," + std::to_string(server.port()), "AT+HEARTEN=OFF"});
    ASSERT_TRUE(wait_until(
        [&] { return status_of(sim)["sockets"].toArray()[0].toObject()["state"].toString() == "connected"; },
        10s));

    const std::string all = pattern(1'000'000);
    std::thread writer([&] {
        // Held back by the line and then the server: go on from the last byte the PTY took (a
        // retried whole chunk would send its first part twice).
        const auto give_up = std::chrono::steady_clock::now() + 150s; // the wait below fails first
        for (std::size_t at = 0; at < all.size() && std::chrono::steady_clock::now() < give_up;)
            at += port.write_within(std::string_view(all).substr(at, 4096), 1s);
    });
    const bool arrived = wait_until([&] { return server.received() >= all.size(); }, 140s, 50ms);
    writer.join();
    ASSERT_TRUE(arrived) << server.received() << " of " << all.size() << " bytes";
    EXPECT_TRUE(server.data() == all) << "every byte, in order";

    const QJsonObject st = status_of(sim);
    const QJsonObject a = st["sockets"].toArray()[0].toObject();
    EXPECT_EQ(a["cache_dropped_bytes"].toInteger(), 0);
    EXPECT_EQ(st["counters"].toObject()["data_bytes_dropped"].toInteger(), 0);
    EXPECT_GE(st["counters"].toObject()["flow_holds"].toInteger(), 1) << "the device held its port";
    EXPECT_GE(st["serial"].toObject()["rx_holds"].toInteger(), 1);
    EXPECT_TRUE(st["serial"].toObject()["baud_pacing"].toBool());
}

TEST(FlowControl, UnpacedWhatTheCacheCannotHoldIsCountedAndLoggedOncePerBurst) {
    // Pacing off: the writer is never held back. The server is not there, so frames go to the
    // 4096-byte cache (AT+CACHEN=ON, factory) and what does not fit is dropped and counted.
    SimProcess sim({"--control", "127.0.0.1:0"});
    ASSERT_TRUE(sim.start());
    SerialClient port(sim.serial());
    ASSERT_EQ(port.read_until(kStartMessage, 3s), kStartMessage);
    configure_and_restart(port, {"AT+SOCKA=TCP,127.0.0.1," + std::to_string(unused_tcp_port()),
                                 "AT+HEARTEN=OFF", "AT+SOCKRSTIM=60", "AT+UARTFL=1024"});
    constexpr int kFrames = 10;
    port.write(pattern(kFrames * 1024)); // ten frames closed by length, one write
    ASSERT_TRUE(wait_until(
        [&] { return status_of(sim)["counters"].toObject()["data_bytes"].toInteger() >= kFrames * 1024; },
        5s));
    const QJsonObject st = status_of(sim);
    const QJsonObject a = st["sockets"].toArray()[0].toObject();
    EXPECT_EQ(a["cached_bytes"].toInteger(), 4096);
    EXPECT_EQ(a["cache_dropped_bytes"].toInteger(), kFrames * 1024 - 4096) << "every lost byte counted";
    EXPECT_EQ(st["counters"].toObject()["flow_holds"].toInteger(), 0) << "unpaced: nothing is held";
    const std::string log = sim.err();
    const auto first = log.find("dropping serial data: cache full");
    ASSERT_NE(first, std::string::npos) << log;
    EXPECT_EQ(log.find("dropping serial data", first + 1), std::string::npos) << "one line per burst:\n"
                                                                              << log;
}

} // namespace
} // namespace dtu::itest
