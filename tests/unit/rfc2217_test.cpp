// The RFC2217-like frame (732 §2.2.4 tables 4-5, 7S4 §2.2.3 tables 3-4, K7 §4.3.4; spec
// net-transparent §13): parsing, checksums of the manuals' examples, and recognition across reads.
#include <gtest/gtest.h>

#include <string>

#include "dtu/proto/rfc2217.hpp"

using namespace dtu::proto::rfc2217;

namespace {

std::string bytes(std::initializer_list<int> b) {
    std::string s;
    for (int v : b)
        s.push_back(static_cast<char>(v));
    return s;
}

// 732 §2.2.4 table 4 / 7S4 §2.2.3 table 3, byte for byte.
const std::string k115200 = bytes({0x55, 0xAA, 0x55, 0x01, 0xC2, 0x00, 0x83, 0x46});
const std::string k9600 = bytes({0x55, 0xAA, 0x55, 0x00, 0x25, 0x80, 0x83, 0x28});

} // namespace

TEST(Rfc2217, TheManualsExamplesAre8N1WithTheirBaud) {
    const Parsed a = parse(k115200);
    ASSERT_EQ(a.verdict, Verdict::Frame);
    EXPECT_EQ(a.settings, (Settings{115200, 8, 1, Parity::None}));
    const Parsed b = parse(k9600);
    ASSERT_EQ(b.verdict, Verdict::Frame);
    EXPECT_EQ(b.settings, (Settings{9600, 8, 1, Parity::None}));
}

TEST(Rfc2217, TheK7ExamplesWithBit7ClearMeanTheSame) {
    // K7 §4.3.4 form 4.3.4-1 writes 0x03 where the 732 writes 0x83 (GAP-17): bits 7:6 are ignored.
    const Parsed k7 = parse(bytes({0x55, 0xAA, 0x55, 0x01, 0xC2, 0x00, 0x03, 0xC6}));
    ASSERT_EQ(k7.verdict, Verdict::Frame);
    EXPECT_EQ(k7.settings, (Settings{115200, 8, 1, Parity::None}));
}

TEST(Rfc2217, ParameterBitsDecodeAsTheTableSays) {
    // 7 data bits (10), 2 stop bits (bit 2), parity on (bit 3), even (01 in bits 5:4).
    const std::string f = encode(Settings{19200, 7, 2, Parity::Even});
    EXPECT_EQ(static_cast<unsigned char>(f[6]), 0x1E);
    const Parsed p = parse(f);
    ASSERT_EQ(p.verdict, Verdict::Frame);
    EXPECT_EQ(p.settings, (Settings{19200, 7, 2, Parity::Even}));
    EXPECT_EQ(parse(encode(Settings{2400, 5, 1, Parity::Odd})).settings, (Settings{2400, 5, 1, Parity::Odd}));
    EXPECT_EQ(parse(encode(Settings{2400, 6, 1, Parity::Mark})).settings,
              (Settings{2400, 6, 1, Parity::Mark}));
    EXPECT_EQ(parse(encode(Settings{2400, 8, 1, Parity::Space})).settings,
              (Settings{2400, 8, 1, Parity::Space}));
}

TEST(Rfc2217, ParityTypeWithoutTheEnableBitIsNoParity) {
    EXPECT_EQ(parse(bytes({0x55, 0xAA, 0x55, 0x00, 0x25, 0x80, 0x13, 0xB8})).settings.parity, Parity::None);
}

TEST(Rfc2217, EncodeGivesTheChecksumOfTheManual) {
    EXPECT_EQ(encode(Settings{9600, 8, 1, Parity::None}),
              bytes({0x55, 0xAA, 0x55, 0x00, 0x25, 0x80, 0x03, 0xA8}));
}

TEST(Rfc2217, AWrongChecksumIsNotAFrame) {
    std::string f = k9600;
    f[7] = 0x29;
    EXPECT_EQ(parse(f).verdict, Verdict::BadChecksum);
}

TEST(Rfc2217, HeaderPrefixesArePartialOtherBytesAreNot) {
    EXPECT_EQ(parse(k9600.substr(0, 1)).verdict, Verdict::Partial);
    EXPECT_EQ(parse(k9600.substr(0, 3)).verdict, Verdict::Partial);
    EXPECT_EQ(parse(k9600.substr(0, 7)).verdict, Verdict::Partial);
    EXPECT_EQ(parse(bytes({0x55, 0xAB})).verdict, Verdict::NotFrame);
    EXPECT_EQ(parse("hello").verdict, Verdict::NotFrame);
    EXPECT_EQ(parse("").verdict, Verdict::NotFrame);
}

TEST(Rfc2217, FilterConsumesAFrameThatIsAPacket) {
    Filter f;
    const auto r = f.feed(k115200);
    EXPECT_EQ(r.data, "");
    ASSERT_EQ(r.frames.size(), 1u);
    EXPECT_EQ(r.frames[0].baud, 115200u);
    EXPECT_FALSE(f.holding());
}

TEST(Rfc2217, FilterRecognisesAFrameSplitOverTwoReads) {
    Filter f;
    const auto first = f.feed(k9600.substr(0, 5));
    EXPECT_EQ(first.data, "");
    EXPECT_TRUE(first.frames.empty());
    EXPECT_TRUE(f.holding());
    const auto second = f.feed(k9600.substr(5));
    EXPECT_EQ(second.data, "");
    ASSERT_EQ(second.frames.size(), 1u);
    EXPECT_EQ(second.frames[0].baud, 9600u);
    EXPECT_FALSE(f.holding());
}

TEST(Rfc2217, FilterRecognisesAFrameSplitIntoSingleBytes) {
    Filter f;
    std::size_t frames = 0;
    std::string data;
    for (char c : k9600) {
        const auto r = f.feed(std::string(1, c));
        frames += r.frames.size();
        data += r.data;
    }
    EXPECT_EQ(frames, 1u);
    EXPECT_EQ(data, "");
}

TEST(Rfc2217, DataAfterAFrameInTheSameReadIsData) {
    Filter f;
    const auto r = f.feed(k9600 + "hello");
    ASSERT_EQ(r.frames.size(), 1u);
    EXPECT_EQ(r.data, "hello");
}

TEST(Rfc2217, TwoFramesInOneReadAreBothConsumed) {
    Filter f;
    const auto r = f.feed(k9600 + k115200);
    ASSERT_EQ(r.frames.size(), 2u);
    EXPECT_EQ(r.frames[1].baud, 115200u);
    EXPECT_EQ(r.data, "");
}

TEST(Rfc2217, AFrameInsideDataIsData) {
    Filter f;
    const auto r = f.feed("x" + k9600);
    EXPECT_TRUE(r.frames.empty());
    EXPECT_EQ(r.data, "x" + k9600);
}

TEST(Rfc2217, HeaderLookalikeWithABadChecksumIsPassedOnUnchangedAndCounted) {
    Filter f;
    std::string fake = k9600;
    fake[7] = 0x00;
    const auto r = f.feed(fake + "tail");
    EXPECT_TRUE(r.frames.empty());
    EXPECT_EQ(r.data, fake + "tail");
    EXPECT_EQ(r.bad_checksums, 1u);
}

TEST(Rfc2217, HeldBytesSpoiledByTheNextReadComeOutFirstAndInOrder) {
    Filter f;
    EXPECT_EQ(f.feed(bytes({0x55, 0xAA})).data, "");
    const auto r = f.feed("ok");
    EXPECT_EQ(r.released, bytes({0x55, 0xAA}));
    EXPECT_EQ(r.data, "ok");
    EXPECT_TRUE(r.frames.empty());
    EXPECT_FALSE(f.holding());
}

TEST(Rfc2217, AFrameRightAfterSpoiledHeldBytesIsStillRecognised) {
    Filter f;
    f.feed(bytes({0x55}));
    const auto r = f.feed(k115200 + "after");
    EXPECT_EQ(r.released, bytes({0x55}));
    EXPECT_EQ(r.data, "after");
    ASSERT_EQ(r.frames.size(), 1u);
    EXPECT_EQ(r.frames[0].baud, 115200u);
}

TEST(Rfc2217, HeldBytesCompletedWithABadChecksumAreDataAndCounted) {
    Filter f;
    f.feed(k9600.substr(0, 4));
    const auto r = f.feed(bytes({0x25, 0x80, 0x83, 0x00}));
    EXPECT_TRUE(r.frames.empty());
    EXPECT_EQ(r.released + r.data, k9600.substr(0, 7) + std::string(1, '\0'));
    EXPECT_EQ(r.bad_checksums, 1u);
}

TEST(Rfc2217, ReleaseGivesTheHeldBytesBack) {
    Filter f;
    f.feed(k9600.substr(0, 3));
    EXPECT_EQ(f.release(), k9600.substr(0, 3));
    EXPECT_FALSE(f.holding());
    EXPECT_EQ(f.release(), "");
}

TEST(Rfc2217, DescribeNamesTheSettings) {
    EXPECT_EQ(describe(Settings{9600, 7, 2, Parity::Odd}), "9600,7,2,ODD");
}
