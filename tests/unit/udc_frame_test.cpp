// UDC frames (spec field-evidence §3; 732 §2.1.4).
#include <gtest/gtest.h>

#include "dtu/udc/frame.hpp"

using namespace dtu::udc;

namespace {

std::string bytes(std::initializer_list<int> b) {
    std::string s;
    for (int c : b)
        s.push_back(static_cast<char>(c));
    return s;
}

} // namespace

TEST(UdcFrame, DeviceIdIsElevenAsciiBytes) {
    EXPECT_EQ(device_id("00000000001"), "00000000001") << "732 §2.1.4.1: REGDT 3030303030303030303031";
    EXPECT_EQ(device_id("1"), "00000000001");
    EXPECT_EQ(device_id("123456789012345"), "12345678901");
}

TEST(UdcFrame, HeartbeatIsHeaderIdAndFlags) {
    const std::string f = encode(kHeartbeat, "00000000001");
    EXPECT_EQ(f, bytes({0x7B, 0x01, 0x00, 0x10}) + "00000000001" + "\x7B");
    EXPECT_EQ(f.size(), 16u) << "the length counts the whole frame, both 7B included";
}

TEST(UdcFrame, DataCarriesTheBodyAfterTheId) {
    const std::string f = encode(kDataUp, "7", "hello");
    EXPECT_EQ(f, bytes({0x7B, 0x09, 0x00, 0x15}) + "00000000007hello\x7B");
}

TEST(UdcFrame, LoginCarriesTheModuleAddressAndPort) {
    const std::string f = login("00000000001", "10.64.1.200", 0x1234);
    EXPECT_EQ(f,
              bytes({0x7B, 0x03, 0x00, 0x16}) + "00000000001" + bytes({10, 64, 1, 200, 0x12, 0x34}) + "\x7B");
    EXPECT_EQ(login("1", "not an ip", 0).substr(15, 4), std::string(4, '\0'));
}

TEST(UdcFrame, DecoderReassemblesSplitAndMergedFrames) {
    Decoder d;
    const std::string a = encode(kDataDown, "00000000001", "down");
    const std::string b = encode(kHeartbeatAck, "00000000001");
    const std::string stream = a + b;
    d.feed(stream.substr(0, 7));
    EXPECT_FALSE(d.next());
    d.feed(stream.substr(7));
    auto f = d.next();
    ASSERT_TRUE(f);
    EXPECT_EQ(f->type, kDataDown);
    EXPECT_EQ(f->id, "00000000001");
    EXPECT_EQ(f->body, "down");
    f = d.next();
    ASSERT_TRUE(f);
    EXPECT_EQ(f->type, kHeartbeatAck);
    EXPECT_EQ(f->body, "");
    EXPECT_FALSE(d.next());
    EXPECT_EQ(d.skipped_bytes(), 0u);
}

TEST(UdcFrame, DecoderSkipsGarbageBeforeAFrame) {
    Decoder d;
    d.feed("noise");
    d.feed(bytes({0x7B, 0x00, 0x00, 0x01})); // a 7B whose length cannot be a frame
    d.feed(encode(kLoginAck, "00000000001"));
    const auto f = d.next();
    ASSERT_TRUE(f);
    EXPECT_EQ(f->type, kLoginAck);
    EXPECT_EQ(d.skipped_bytes(), 9u);
    EXPECT_EQ(d.buffered(), 0u);
}

TEST(UdcFrame, DecoderDropsAFrameWithoutItsClosingFlag) {
    Decoder d;
    std::string bad = encode(kDataDown, "00000000001", "x");
    bad.back() = 'Z';
    d.feed(bad + encode(kDataDown, "00000000001", "y"));
    const auto f = d.next();
    ASSERT_TRUE(f);
    EXPECT_EQ(f->body, "y");
    EXPECT_EQ(d.skipped_bytes(), bad.size());
}
