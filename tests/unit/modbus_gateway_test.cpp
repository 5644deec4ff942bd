// The Modbus TCP <-> RTU gateway engine (K7 §4.4.2, spec k7-ethernet §8) on the fake clock: routing
// by transaction id and connection, MODPOLL queueing, MODTO timeouts, counted drops.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "device/modbus_gateway.hpp"
#include "dtu/proto/modbus.hpp"
#include "fake_hal.hpp"

namespace mb = dtu::proto::modbus;
using dtu::device::ModbusGateway;

namespace {

std::string pdu_read(std::uint16_t reg) {
    return std::string{'\x03', static_cast<char>(reg >> 8), static_cast<char>(reg & 0xFF), '\x00', '\x01'};
}
std::string reply_pdu(std::uint16_t value) {
    return std::string{'\x03', '\x02', static_cast<char>(value >> 8), static_cast<char>(value & 0xFF)};
}

struct Rig {
    explicit Rig(ModbusGateway::Settings s)
        : gw(
              clock, s, [this](std::string_view b) { serial.emplace_back(b); },
              [this](dtu::hal::LinkId c, std::string_view b) { sent.emplace_back(c, std::string(b)); },
              [this](dtu::hal::LinkId c) { closed.push_back(c); }) {}
    dtu::test::FakeClock clock;
    std::vector<std::string> serial;
    std::vector<std::pair<dtu::hal::LinkId, std::string>> sent;
    std::vector<dtu::hal::LinkId> closed;
    ModbusGateway gw;
};

ModbusGateway::Settings polling(bool on, std::uint32_t timeout = 200) {
    ModbusGateway::Settings s;
    s.polling = on;
    s.timeout_ms = timeout;
    return s;
}

} // namespace

TEST(ModbusGateway, RequestBecomesRtuAndReplyGoesBackWithTheTransactionId) {
    Rig r(polling(false));
    r.gw.from_network(16, mb::encode_mbap({0x0102, 1, std::string("\x03\x00\x00\x00\x0A", 5)}));
    ASSERT_EQ(r.serial.size(), 1u);
    EXPECT_EQ(r.serial[0], std::string("\x01\x03\x00\x00\x00\x0A\xC5\xCD", 8));
    // The reply arrives in two pieces from the UART.
    const std::string rtu = mb::encode_rtu(1, reply_pdu(0x2A));
    r.gw.from_serial(rtu.substr(0, 3));
    EXPECT_TRUE(r.sent.empty());
    r.gw.from_serial(rtu.substr(3));
    ASSERT_EQ(r.sent.size(), 1u);
    EXPECT_EQ(r.sent[0].first, 16);
    EXPECT_EQ(r.sent[0].second, mb::encode_mbap({0x0102, 1, reply_pdu(0x2A)}));
    EXPECT_EQ(r.gw.counters().replies, 1u);
    EXPECT_FALSE(r.gw.outstanding());
}

TEST(ModbusGateway, PollingQueuesConnectionsAndRoutesEachReply) {
    Rig r(polling(true));
    r.gw.from_network(16, mb::encode_mbap({7, 1, pdu_read(1)}));
    r.gw.from_network(17, mb::encode_mbap({9, 2, pdu_read(2)}) + mb::encode_mbap({10, 2, pdu_read(3)}));
    ASSERT_EQ(r.serial.size(), 1u); // one at a time
    EXPECT_EQ(r.gw.waiting(), 2u);
    r.gw.from_serial(mb::encode_rtu(1, reply_pdu(100)));
    ASSERT_EQ(r.serial.size(), 2u);
    EXPECT_EQ(r.serial[1], mb::encode_rtu(2, pdu_read(2)));
    r.gw.from_serial(mb::encode_rtu(2, reply_pdu(200)));
    r.gw.from_serial(mb::encode_rtu(2, reply_pdu(300)));
    ASSERT_EQ(r.sent.size(), 3u);
    EXPECT_EQ(r.sent[0],
              (std::pair<dtu::hal::LinkId, std::string>{16, mb::encode_mbap({7, 1, reply_pdu(100)})}));
    EXPECT_EQ(r.sent[1],
              (std::pair<dtu::hal::LinkId, std::string>{17, mb::encode_mbap({9, 2, reply_pdu(200)})}));
    EXPECT_EQ(r.sent[2],
              (std::pair<dtu::hal::LinkId, std::string>{17, mb::encode_mbap({10, 2, reply_pdu(300)})}));
    EXPECT_EQ(r.gw.counters().requests, 3u);
}

TEST(ModbusGateway, TimeoutDropsTheRequestAndTheNextGoes) {
    Rig r(polling(true, 500));
    r.gw.from_network(16, mb::encode_mbap({1, 1, pdu_read(1)}));
    r.gw.from_network(17, mb::encode_mbap({2, 1, pdu_read(2)}));
    r.clock.advance(499);
    EXPECT_EQ(r.serial.size(), 1u);
    r.clock.advance(1);
    EXPECT_EQ(r.gw.counters().timeouts, 1u);
    ASSERT_EQ(r.serial.size(), 2u);
    // A late reply to the first would now be taken for the second only if its unit matched; it does,
    // which is why MODTO must exceed the slave's answer time. Here the second is answered in time.
    r.clock.advance(100);
    r.gw.from_serial(mb::encode_rtu(1, reply_pdu(5)));
    ASSERT_EQ(r.sent.size(), 1u);
    EXPECT_EQ(r.sent[0].first, 17);
    r.clock.advance(1000);
    EXPECT_EQ(r.gw.counters().timeouts, 1u); // the answered one does not time out
}

TEST(ModbusGateway, BadCrcReplyIsDroppedAndCounted) {
    Rig r(polling(true));
    r.gw.from_network(16, mb::encode_mbap({1, 1, pdu_read(1)}));
    r.gw.from_network(16, mb::encode_mbap({2, 1, pdu_read(2)}));
    std::string bad = mb::encode_rtu(1, reply_pdu(5));
    bad.back() ^= 0xFF;
    r.gw.from_serial(bad);
    EXPECT_TRUE(r.sent.empty());
    EXPECT_EQ(r.gw.counters().bad_crc, 1u);
    EXPECT_EQ(r.serial.size(), 2u); // the line is free again: the next request went
}

TEST(ModbusGateway, NoPollingNewRequestReplacesTheOutstandingOne) {
    Rig r(polling(false));
    r.gw.from_network(16, mb::encode_mbap({1, 1, pdu_read(1)}));
    r.gw.from_network(17, mb::encode_mbap({2, 1, pdu_read(2)}));
    EXPECT_EQ(r.serial.size(), 2u); // both forwarded at once
    EXPECT_EQ(r.gw.counters().superseded, 1u);
    r.gw.from_serial(mb::encode_rtu(1, reply_pdu(5)));
    ASSERT_EQ(r.sent.size(), 1u);
    EXPECT_EQ(r.sent[0].first, 17);
    EXPECT_EQ(r.sent[0].second, mb::encode_mbap({2, 1, reply_pdu(5)}));
}

TEST(ModbusGateway, BadMbapCountedAndLyingLengthClosesTheConnection) {
    Rig r(polling(true));
    std::string other = mb::encode_mbap({1, 1, pdu_read(1)});
    other[2] = 0x12; // protocol id 0x1200
    r.gw.from_network(16, other);
    EXPECT_EQ(r.gw.counters().bad_mbap, 1u);
    EXPECT_TRUE(r.closed.empty());
    EXPECT_TRUE(r.serial.empty());
    r.gw.from_network(18, std::string("\x00\x01\x00\x00\x00\x00\x01", 7)); // length 0
    EXPECT_EQ(r.gw.counters().bad_mbap, 2u);
    EXPECT_EQ(r.closed, std::vector<dtu::hal::LinkId>{18});
    // Connection 16 is unaffected.
    r.gw.from_network(16, mb::encode_mbap({3, 1, pdu_read(1)}));
    EXPECT_EQ(r.serial.size(), 1u);
}

TEST(ModbusGateway, UnsolicitedAndWrongUnitAndOrphanedRepliesAreDropped) {
    Rig r(polling(true));
    r.gw.from_serial("noise");
    EXPECT_EQ(r.gw.counters().unsolicited, 5u);
    r.gw.from_network(16, mb::encode_mbap({1, 4, pdu_read(1)}));
    r.gw.from_serial(mb::encode_rtu(5, reply_pdu(1))); // another slave
    EXPECT_EQ(r.gw.counters().unit_mismatch, 1u);
    EXPECT_TRUE(r.gw.outstanding());
    r.gw.connection_closed(16);
    r.gw.from_serial(mb::encode_rtu(4, reply_pdu(1)));
    EXPECT_EQ(r.gw.counters().orphaned, 1u);
    EXPECT_TRUE(r.sent.empty());
    EXPECT_FALSE(r.gw.outstanding());
}

TEST(ModbusGateway, ClosedConnectionsQueuedRequestsAreForgotten) {
    Rig r(polling(true));
    r.gw.from_network(16, mb::encode_mbap({1, 1, pdu_read(1)}));
    r.gw.from_network(17, mb::encode_mbap({2, 1, pdu_read(2)}));
    r.gw.from_network(18, mb::encode_mbap({3, 1, pdu_read(3)}));
    r.gw.connection_closed(17);
    EXPECT_EQ(r.gw.waiting(), 1u);
    r.gw.from_serial(mb::encode_rtu(1, reply_pdu(1)));
    ASSERT_EQ(r.serial.size(), 2u);
    EXPECT_EQ(r.serial[1], mb::encode_rtu(1, pdu_read(3)));
}

TEST(ModbusGateway, QueueLimitAndBroadcast) {
    ModbusGateway::Settings s = polling(true);
    s.queue_limit = 2;
    Rig r(s);
    for (std::uint16_t t = 1; t <= 4; ++t)
        r.gw.from_network(16, mb::encode_mbap({t, 1, pdu_read(t)}));
    EXPECT_EQ(r.gw.waiting(), 2u);
    EXPECT_EQ(r.gw.counters().queue_full, 1u);
    // Unit 0 is an RTU broadcast: written, no reply awaited, the next request follows at once.
    Rig b(polling(true));
    b.gw.from_network(16, mb::encode_mbap({1, 0, std::string("\x06\x00\x01\x00\x03", 5)}));
    b.gw.from_network(16, mb::encode_mbap({2, 1, pdu_read(1)}));
    EXPECT_EQ(b.serial.size(), 2u);
    EXPECT_TRUE(b.gw.outstanding());
}
