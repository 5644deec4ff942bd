// Baud pacing of hal_sim::PtyUart against the host kernel's PTYs: bytes take their line time both
// ways (lower bounds only: a slow machine may take longer, never shorter), a held receive holds the
// writer back through the kernel without losing a byte, and unpaced the port behaves as before.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <system_error>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "hal_sim/pty_uart.hpp"
#include "run_io.hpp"
#include "serial_client.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;
using hal_sim::PtyUart;
using Clock = std::chrono::steady_clock;

struct QuietLog : hal::Log {
    void write(hal::LogLevel, std::string_view) override {}
};

/// n bytes of a pattern whose every position is checkable (a counter, not one repeated byte).
std::string pattern(std::size_t n) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i)
        s[i] = static_cast<char>('a' + (i * 7 + i / 26) % 26);
    return s;
}

/// Line time of n bytes, in nanoseconds, for a given number of bits per byte and baud.
std::chrono::nanoseconds line_time(std::size_t n, unsigned bits, unsigned baud) {
    return std::chrono::nanoseconds(static_cast<std::int64_t>(n) * bits * 1'000'000'000 / baud);
}

/// The slave side opened non-blocking, so a held-back writer sees EAGAIN instead of blocking.
class RawSlave {
public:
    explicit RawSlave(const std::string& path) : fd_(::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK)) {
        if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "open " + path);
    }
    ~RawSlave() { ::close(fd_); }
    RawSlave(const RawSlave&) = delete;
    RawSlave& operator=(const RawSlave&) = delete;
    /// Bytes the kernel took (0 when it refused with EAGAIN).
    std::size_t write(std::string_view bytes) {
        const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
        if (n < 0 && errno != EAGAIN) throw std::system_error(errno, std::generic_category(), "write");
        return n < 0 ? 0 : static_cast<std::size_t>(n);
    }

private:
    int fd_;
};

class PtyPacing : public ::testing::Test {
protected:
    void start(bool paced, hal::LineSettings line) {
        uart = std::make_unique<PtyUart>(io, log, PtyUart::kDefaultQueueLimit, paced);
        uart->configure(line);
        uart->on_rx([this](std::string_view bytes) { received.append(bytes); });
        uart->start();
    }
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
        return itest::run_until(io, done, timeout);
    }

    boost::asio::io_context io;
    QuietLog log;
    std::unique_ptr<PtyUart> uart;
    std::string received;
};

TEST_F(PtyPacing, OutputTakesAtLeastItsLineTimeAt9600) {
    start(true, {9600, 8, hal::Parity::None, 1, hal::Flow::None});
    SerialClient client(uart->slave_path());
    ASSERT_TRUE(run_until([&] { return uart->counters().client_connected; }, 2s));
    const std::string bytes = pattern(2048);
    const auto t0 = Clock::now();
    uart->write(bytes);
    std::string got;
    ASSERT_TRUE(run_until(
        [&] {
            got += client.read_until([](std::string_view b) { return !b.empty(); }, 1ms);
            return got.size() >= bytes.size();
        },
        20s));
    const auto took = Clock::now() - t0;
    EXPECT_EQ(got, bytes);
    // 2048 bytes * 10 bits (8N1) / 9600 baud = 2.133 s; an unpaced PTY takes microseconds.
    EXPECT_GE(took, line_time(bytes.size(), 10, 9600));
    EXPECT_TRUE(uart->counters().paced);
    EXPECT_EQ(uart->counters().line.baud, 9600u);
}

TEST_F(PtyPacing, InputIsDeliveredAtTheLineRateWithParityAndStopBitsCounted) {
    start(true, {9600, 8, hal::Parity::Even, 2, hal::Flow::None}); // 12 bits a byte
    SerialClient client(uart->slave_path());
    ASSERT_TRUE(run_until([&] { return uart->counters().client_connected; }, 2s));
    const std::string bytes = pattern(1024);
    const auto t0 = Clock::now();
    client.write(bytes);
    ASSERT_TRUE(run_until([&] { return received.size() >= bytes.size(); }, 20s));
    const auto took = Clock::now() - t0;
    EXPECT_EQ(received, bytes);
    // 1024 * 12 / 9600 = 1.28 s (8N1 would be 1.07 s).
    EXPECT_GE(took, line_time(bytes.size(), 12, 9600));
}

TEST_F(PtyPacing, AHeldReceiveHoldsTheWriterBackThroughTheKernelAndLosesNothing) {
    start(true, {230400, 8, hal::Parity::None, 1, hal::Flow::None});
    RawSlave writer(uart->slave_path());
    ASSERT_TRUE(run_until([&] { return uart->counters().client_connected; }, 2s));
    uart->hold_rx(true);
    const std::string all = pattern(4 << 20); // far more than any kernel buffer
    std::size_t written = 0;
    // Write until the kernel refuses and keeps refusing while dtu-sim's loop runs: held back.
    int refusals = 0;
    while (refusals < 5 && written < all.size()) {
        const std::size_t n = writer.write(std::string_view(all).substr(written, 4096));
        written += n;
        refusals = n == 0 ? refusals + 1 : 0;
        io.restart();
        io.run_for(n == 0 ? 20ms : 0ms);
    }
    ASSERT_EQ(refusals, 5) << "the writer was never held back: " << written << " bytes taken";
    EXPECT_TRUE(received.empty()) << "a held receive delivers nothing";
    const auto c = uart->counters();
    EXPECT_TRUE(c.rx_held);
    EXPECT_EQ(c.rx_holds, 1u);
    EXPECT_LE(c.rx_fifo_bytes, PtyUart::kRxFifoBytes);
    EXPECT_LE(c.rx_bytes, PtyUart::kRxFifoBytes) << "dtu-sim read no more than its FIFO holds";

    uart->hold_rx(false);
    ASSERT_TRUE(run_until([&] { return received.size() >= written; }, 60s))
        << received.size() << " of " << written;
    EXPECT_EQ(received.size(), written);
    EXPECT_TRUE(received == all.substr(0, written)) << "every byte, in order";
    EXPECT_FALSE(uart->counters().rx_held);
}

TEST_F(PtyPacing, UnpacedTheBytesPassAtOnceAndHoldIsIgnored) {
    start(false, {9600, 8, hal::Parity::None, 1, hal::Flow::None});
    SerialClient client(uart->slave_path());
    ASSERT_TRUE(run_until([&] { return uart->counters().client_connected; }, 2s));
    uart->hold_rx(true);                     // no line model: nothing to hold
    const std::string bytes = pattern(2048); // within the kernel's buffer: write() returns at once
    client.write(bytes);
    ASSERT_TRUE(run_until([&] { return received.size() >= bytes.size(); }, 10s));
    EXPECT_EQ(received, bytes);
    const auto c = uart->counters();
    EXPECT_FALSE(c.paced);
    EXPECT_FALSE(c.rx_held);
    EXPECT_EQ(c.rx_holds, 0u);
}

} // namespace
} // namespace dtu::itest
