// hal_sim::PtyUart against the host kernel's PTYs: delivery with and without a client, the
// bounded output queue, client presence, the stable link.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "hal_sim/pty_uart.hpp"
#include "run_io.hpp"
#include "serial_client.hpp"
#include "sim_process.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;
using hal_sim::PtyUart;

struct RecordingLog : hal::Log {
    void write(hal::LogLevel level, std::string_view line) override {
        if (level >= hal::LogLevel::Warn) warnings.emplace_back(line);
    }
    std::vector<std::string> warnings;
};

class PtyUartTest : public ::testing::Test {
protected:
    void SetUp() override {
        uart.on_rx([this](std::string_view bytes) { received.append(bytes); });
        uart.start();
    }
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = 2s) {
        return itest::run_until(io, done, timeout);
    }

    boost::asio::io_context io;
    RecordingLog log;
    PtyUart uart{io, log};
    std::string received;
};

TEST_F(PtyUartTest, OutputWithoutAClientWaitsForTheNextClient) {
    uart.write("early bytes\r\n");
    ASSERT_TRUE(run_until([&] { return uart.counters().queued_bytes == 0; }));
    EXPECT_FALSE(uart.counters().client_connected);
    SerialClient client(uart.slave_path());
    EXPECT_EQ(client.read_until("\r\n", 2s), "early bytes\r\n");
}

TEST_F(PtyUartTest, ClientBytesReachTheHandlerAndPresenceIsTracked) {
    {
        SerialClient client(uart.slave_path());
        ASSERT_TRUE(run_until([&] { return uart.counters().client_connected; }));
        client.write(std::string("AT\r\0\xff", 5));
        ASSERT_TRUE(run_until([&] { return received.size() == 5; }));
        EXPECT_EQ(received, std::string("AT\r\0\xff", 5)) << "raw: no translation, NUL and 0xFF pass";
    }
    ASSERT_TRUE(run_until([&] { return !uart.counters().client_connected; }));
    SerialClient again(uart.slave_path());
    ASSERT_TRUE(run_until([&] { return uart.counters().client_connected; }));
    EXPECT_EQ(uart.counters().connects, 2u);
    EXPECT_EQ(uart.counters().rx_bytes, 5u);
    EXPECT_TRUE(log.warnings.empty())
        << "a client leaving is normal (EIO), not a warning: " << log.warnings.front();
}

TEST_F(PtyUartTest, BytesFromAClientThatAlreadyLeftAreStillDelivered) {
    {
        SerialClient client(uart.slave_path());
        client.write("gone");
    } // e.g. echo AT > /dev/pts/N
    ASSERT_TRUE(run_until([&] { return received == "gone"; })) << received;
}

TEST_F(PtyUartTest, WaitForClientFiresWhenThePortIsOpened) {
    bool fired = false;
    uart.wait_for_client([&] { fired = true; });
    EXPECT_FALSE(run_until([&] { return fired; }, 60ms));
    SerialClient client(uart.slave_path());
    EXPECT_TRUE(run_until([&] { return fired; }));
}

TEST(PtyUartQueue, OverflowIsCountedAndLoggedNeverSilent) {
    boost::asio::io_context io;
    RecordingLog log;
    PtyUart uart(io, log, /*queue_limit=*/1000);
    uart.start();
    const std::string chunk(10000, 'x');
    std::size_t written = 0;
    for (int i = 0; i < 20; ++i, written += chunk.size())
        uart.write(chunk); // no client: the kernel fills up
    ASSERT_TRUE(run_until(
        io, [&] { return uart.counters().tx_bytes > 0; }, 2s));
    const auto c = uart.counters();
    EXPECT_GT(c.overflow_bytes, 0u);
    EXPECT_LE(c.queued_bytes, 1000u);
    EXPECT_EQ(c.tx_bytes + c.queued_bytes + c.overflow_bytes, written) << "every byte is accounted for";
    ASSERT_FALSE(log.warnings.empty());
    EXPECT_NE(log.warnings.front().find("queue full"), std::string::npos) << log.warnings.front();
    EXPECT_LE(log.warnings.size(), 2u) << "rate-limited";

    // A client drains the kernel's buffer, then the queue, in order.
    SerialClient client(uart.slave_path());
    const std::size_t expected = c.tx_bytes + c.queued_bytes;
    std::string got;
    EXPECT_TRUE(run_until(
        io,
        [&] {
            got += client.read_until([](std::string_view b) { return !b.empty(); }, 1ms);
            return got.size() >= expected;
        },
        3s));
    EXPECT_EQ(got.size(), expected);
    EXPECT_EQ(got.find_first_not_of('x'), std::string::npos);
    EXPECT_EQ(uart.counters().queued_bytes, 0u);
}

TEST(PtyUartQueue, RepliesAreNeverDroppedForDataAndOvertakeIt) {
    boost::asio::io_context io;
    RecordingLog log;
    PtyUart uart(io, log); // the default 1 MiB bound for each queue
    uart.start();
    const std::string flood(2 * PtyUart::kDefaultQueueLimit, 'x'); // no client: kernel and data queue full
    uart.write(flood);
    ASSERT_TRUE(run_until(
        io, [&] { return uart.counters().tx_bytes > 0; }, 2s));
    uart.write_reply("+ok\r\n");
    uart.write(std::string(1000, 'x')); // more data: dropped, the reply is not
    const auto c = uart.counters();
    EXPECT_GT(c.overflow_bytes, 0u);
    EXPECT_EQ(c.reply_overflow_bytes, 0u);

    SerialClient client(uart.slave_path());
    std::string got;
    ASSERT_TRUE(run_until(
        io,
        [&] {
            got += client.read_until([](std::string_view b) { return !b.empty(); }, 1ms);
            return got.size() >= c.tx_bytes + c.queued_bytes;
        },
        10s));
    EXPECT_EQ(got.size(), c.tx_bytes + c.queued_bytes);
    const std::size_t at = got.find("+ok\r\n");
    ASSERT_NE(at, std::string::npos) << "the reply arrives";
    EXPECT_LT(at, got.size() / 4) << "after what the kernel already held, ahead of the queued data";
    EXPECT_EQ(got.find_first_not_of('x', at + 5), std::string::npos) << "one reply, whole";
}

TEST(PtyUartLink, RefusesToReplaceAFileThatIsNotALinkToAPty) {
    boost::asio::io_context io;
    RecordingLog log;
    TempDir dir;
    const auto file = dir.path() / "ttyDTU";
    { std::ofstream(file) << "user data"; }
    const auto link = dir.path() / "ttyUSB";
    std::filesystem::create_symlink(file, link);
    PtyUart uart(io, log);
    EXPECT_NE(PtyUart::link_refusal(file), "");
    EXPECT_NE(PtyUart::link_refusal(link), "");
    EXPECT_EQ(PtyUart::link_refusal(dir.path() / "free"), "");
    EXPECT_THROW(uart.create_link(file), std::filesystem::filesystem_error);
    EXPECT_THROW(uart.create_link(link), std::filesystem::filesystem_error);
    uart.stop();
    EXPECT_EQ(read_text(file), "user data");
    EXPECT_EQ(std::filesystem::read_symlink(link), file);
}

TEST(PtyUartLink, ReplacesAStaleLinkAndRemovesItsOwnOnly) {
    boost::asio::io_context io;
    RecordingLog log;
    TempDir dir;
    const auto link = dir.path() / "ttyDTU";
    std::filesystem::create_symlink("/dev/pts/stale-from-a-crashed-run", link);
    {
        PtyUart uart(io, log);
        uart.create_link(link);
        EXPECT_EQ(std::filesystem::read_symlink(link), uart.slave_path());
        uart.stop();
        EXPECT_FALSE(std::filesystem::exists(std::filesystem::symlink_status(link)));
    }
    {
        PtyUart uart(io, log);
        uart.create_link(link);
        std::filesystem::remove(link);
        std::filesystem::create_symlink("/dev/pts/someone-else", link); // another instance took it over
    }
    EXPECT_EQ(std::filesystem::read_symlink(link), "/dev/pts/someone-else");
}

} // namespace
} // namespace dtu::itest
