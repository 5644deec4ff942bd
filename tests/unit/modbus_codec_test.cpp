// The Modbus TCP/RTU codec (spec k7-ethernet §8): CRC vectors, MBAP stream reading, RTU replies.
#include <gtest/gtest.h>

#include <string>

#include "dtu/proto/modbus.hpp"

namespace mb = dtu::proto::modbus;

namespace {

std::string hex(std::string_view h) {
    std::string out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2)
        out.push_back(static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
    return out;
}

} // namespace

TEST(ModbusCrc, KnownVectors) {
    // Read 10 holding registers of unit 1: the classic frame 01 03 00 00 00 0A C5 CD.
    EXPECT_EQ(mb::crc16(hex("01030000000A")), 0xCDC5);
    EXPECT_EQ(mb::encode_rtu(1, hex("030000000A")), hex("01030000000AC5CD"));
    EXPECT_EQ(mb::encode_rtu(1, hex("0300000001")), hex("010300000001840A"));
    // Modbus over serial line spec's example request: unit 0x11, 03, 006B, 0003 -> 76 87.
    EXPECT_EQ(mb::encode_rtu(0x11, hex("03006B0003")), hex("1103006B00037687"));
    EXPECT_EQ(mb::crc16(""), 0xFFFF);
}

TEST(ModbusMbap, EncodeCarriesTransactionAndLength) {
    EXPECT_EQ(mb::encode_mbap({0x1234, 0x11, hex("0302002A")}), hex("12340000000511"
                                                                    "0302002A"));
}

TEST(ModbusMbap, SeveralAdusInOneChunk) {
    mb::MbapReader r;
    const std::string a = mb::encode_mbap({1, 1, hex("030000000A")});
    const std::string b = mb::encode_mbap({2, 7, hex("0600010003")});
    const auto got = r.feed(a + b);
    ASSERT_EQ(got.adus.size(), 2u);
    EXPECT_EQ(got.adus[0], (mb::Adu{1, 1, hex("030000000A")}));
    EXPECT_EQ(got.adus[1], (mb::Adu{2, 7, hex("0600010003")}));
    EXPECT_FALSE(got.broken);
    EXPECT_EQ(r.buffered(), 0u);
}

TEST(ModbusMbap, OneAduSplitOverChunksByteByByte) {
    mb::MbapReader r;
    const std::string a = mb::encode_mbap({0xBEEF, 3, hex("0400100002")});
    for (std::size_t i = 0; i + 1 < a.size(); ++i)
        EXPECT_TRUE(r.feed(a.substr(i, 1)).adus.empty());
    const auto got = r.feed(a.substr(a.size() - 1));
    ASSERT_EQ(got.adus.size(), 1u);
    EXPECT_EQ(got.adus[0].transaction, 0xBEEF);
}

TEST(ModbusMbap, NonZeroProtocolIsSkippedAndTheStreamGoesOn) {
    mb::MbapReader r;
    std::string bad = mb::encode_mbap({9, 1, hex("0300000001")});
    bad[3] = 1; // protocol id 1
    const auto got = r.feed(bad + mb::encode_mbap({10, 1, hex("0300000001")}));
    EXPECT_EQ(got.skipped, 1u);
    ASSERT_EQ(got.adus.size(), 1u);
    EXPECT_EQ(got.adus[0].transaction, 10);
    EXPECT_FALSE(got.broken);
}

TEST(ModbusMbap, LyingLengthsRefuseTheStream) {
    for (const char* header : {"000100000000", "000100000001", "0001000000FF", "00010000FFFF"}) {
        mb::MbapReader r;
        const auto got = r.feed(hex(header) + hex("0103"));
        EXPECT_TRUE(got.broken) << header;
        EXPECT_TRUE(got.adus.empty());
        // Refused for good: a valid ADU after it is not read (the owner closes the connection).
        EXPECT_TRUE(r.feed(mb::encode_mbap({1, 1, hex("0300000001")})).broken);
        r.reset();
        EXPECT_EQ(r.feed(mb::encode_mbap({1, 1, hex("0300000001")})).adus.size(), 1u);
    }
}

TEST(ModbusMbap, MaximumLengthIsAccepted) {
    mb::MbapReader r;
    const auto got = r.feed(mb::encode_mbap({1, 1, std::string(mb::kMaxPdu, '\x10')}));
    ASSERT_EQ(got.adus.size(), 1u);
    EXPECT_EQ(got.adus[0].pdu.size(), mb::kMaxPdu);
}

TEST(ModbusRtu, ParseChecksCrc) {
    const auto ok = mb::parse_rtu(mb::encode_rtu(1, hex("0302002A")));
    EXPECT_EQ(ok.verdict, mb::RtuVerdict::Ok);
    EXPECT_EQ(ok.unit, 1);
    EXPECT_EQ(ok.pdu, hex("0302002A"));
    std::string bad = mb::encode_rtu(1, hex("0302002A"));
    bad.back() ^= 1;
    EXPECT_EQ(mb::parse_rtu(bad).verdict, mb::RtuVerdict::BadCrc);
    EXPECT_EQ(mb::parse_rtu(hex("0103")).verdict, mb::RtuVerdict::TooShort);
    EXPECT_EQ(mb::parse_rtu(std::string(300, '\0')).verdict, mb::RtuVerdict::TooLong);
}

TEST(ModbusRtu, ReplyLengthFromFunctionCode) {
    EXPECT_EQ(mb::rtu_reply_length(hex("0103")), 0u);    // byte count not yet there
    EXPECT_EQ(mb::rtu_reply_length(hex("010314")), 25u); // 20 data bytes
    EXPECT_EQ(mb::rtu_reply_length(hex("0183")), 5u);    // exception
    EXPECT_EQ(mb::rtu_reply_length(hex("0106")), 8u);
    EXPECT_EQ(mb::rtu_reply_length(hex("0110")), 8u);
    EXPECT_EQ(mb::rtu_reply_length(hex("012B")), 0u); // unknown: by CRC
}

TEST(ModbusRtu, AssemblerJoinsPiecesAndReportsExtra) {
    mb::RtuReplyAssembler a;
    const std::string reply = mb::encode_rtu(1, hex("03040102A0B0"));
    for (std::size_t i = 0; i + 1 < reply.size(); ++i)
        EXPECT_FALSE(a.feed(reply.substr(i, 1)).complete);
    auto got = a.feed(reply.substr(reply.size() - 1) + "xy");
    ASSERT_TRUE(got.complete);
    EXPECT_EQ(got.frame.verdict, mb::RtuVerdict::Ok);
    EXPECT_EQ(got.frame.pdu, hex("03040102A0B0"));
    EXPECT_EQ(got.extra, 2u);
    EXPECT_EQ(a.buffered(), 0u);
}

TEST(ModbusRtu, AssemblerBadCrcAndUnknownFunction) {
    mb::RtuReplyAssembler a;
    std::string bad = mb::encode_rtu(1, hex("0600010003"));
    bad[3] ^= 0x40;
    auto got = a.feed(bad);
    ASSERT_TRUE(got.complete);
    EXPECT_EQ(got.frame.verdict, mb::RtuVerdict::BadCrc);
    // Function 0x2B (unknown reply length): complete where the CRC first matches.
    const std::string odd = mb::encode_rtu(1, hex("2B0E01"));
    got = a.feed(odd);
    ASSERT_TRUE(got.complete);
    EXPECT_EQ(got.frame.verdict, mb::RtuVerdict::Ok);
    EXPECT_EQ(got.frame.pdu, hex("2B0E01"));
}
