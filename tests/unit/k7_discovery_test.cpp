// The K7 UDP discovery / configuration codec (K7 §5.1.2, spec k7-ethernet §11): every byte example
// of the manual reproduced exactly, and the bad-input verdicts.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "dtu/proto/k7_discovery.hpp"

using namespace dtu::proto::k7_discovery;

namespace {

/// "FF 13 02" -> bytes.
std::string hex(const std::string& text) {
    std::istringstream in(text);
    std::string out, tok;
    while (in >> tok)
        out.push_back(static_cast<char>(std::stoi(tok, nullptr, 16)));
    return out;
}

const Mac kMac{0xD8, 0xB0, 0x4C, 0xC0, 0x0D, 0x65};
const char* kHeader = "D8 B0 4C C0 0D 65 61 64 6D 69 6E 00 61 64 6D 69 6E 00";

// K7 §5.1.2 form 5.1.2-2 example: 89 bytes, length 56, checksum 31.
const char* kBasicFrame = "FF 56 05 D8 B0 4C C0 0D 65 61 64 6D 69 6E 00 61 64 6D 69 6E 00 04 78 03 00 20 19 "
                          "50 00 02 07 00 A8 C0 01 00 A8 C0 "
                          "00 FF FF FF 55 53 52 2D 4B 33 00 00 00 00 00 00 00 00 00 00 61 64 6D 69 6E 00 61 "
                          "64 6D 69 6E 00 02 01 00 00 D8 B0 "
                          "4C C0 0D 65 10 0E 00 00 01 00 00 00 31";
// K7 §5.1.2 form 5.1.2-3 example: 85 bytes, length 52, checksum 85.
const char* kSerialFrame = "FF 52 06 D8 B0 4C C0 0D 65 61 64 6D 69 6E 00 61 64 6D 69 6E 00 00 C2 01 00 08 01 "
                           "01 01 00 00 00 00 17 00 17 "
                           "00 31 39 32 2E 31 36 38 2E 30 2E 32 30 31 00 00 00 00 00 00 00 00 00 00 00 00 00 "
                           "00 00 00 00 00 00 00 00 09 03 00 "
                           "00 00 00 00 00 81 01 01 01 01 85";

TEST(K7Discovery, SearchFrameIsFF010102) {
    Frame f = parse(hex("FF 01 01 02"));
    EXPECT_EQ(f.verdict, Verdict::Search);
    EXPECT_EQ(f.command, 0x01);
    EXPECT_EQ(parse(hex("FF 01 01 03")).verdict, Verdict::BadChecksum);
    EXPECT_EQ(parse(hex("FF 01 01")).verdict, Verdict::CutShort);
}

TEST(K7Discovery, CommandExamplesWithChecksums2D2E2F) {
    const std::pair<std::uint8_t, const char*> examples[] = {{0x02, "2D"}, {0x03, "2E"}, {0x04, "2F"}};
    for (auto [cmd, ck] : examples) {
        std::ostringstream t;
        t << "FF 13 0" << int(cmd) << ' ' << kHeader << ' ' << ck;
        const std::string wire = hex(t.str());
        EXPECT_EQ(build_command(cmd, kMac, "admin", "admin"), wire);
        Frame f = parse(wire);
        ASSERT_EQ(f.verdict, Verdict::Frame);
        EXPECT_EQ(f.command, cmd);
        EXPECT_EQ(f.mac, kMac);
        EXPECT_EQ(f.user, "admin");
        EXPECT_EQ(f.password, "admin");
        EXPECT_TRUE(f.params.empty());
    }
}

TEST(K7Discovery, BasicSettingFrame89BytesChecksum31) {
    const std::string wire = hex(kBasicFrame);
    ASSERT_EQ(wire.size(), 89u);
    Frame f = parse(wire);
    ASSERT_EQ(f.verdict, Verdict::Frame);
    EXPECT_EQ(f.command, 0x05);
    ASSERT_EQ(f.params.size(), kBasicBytes);
    Basic b;
    ASSERT_TRUE(decode_basic(f.params, b));
    EXPECT_EQ(b.sequence, 0x04);
    EXPECT_EQ(b.crc, 0x78);
    EXPECT_EQ(b.version, 0x03);
    EXPECT_EQ(b.flags, 0x00);
    EXPECT_EQ(b.location_port, 0x1920);
    EXPECT_EQ(b.http_port, 80);
    EXPECT_EQ(b.user_flag, 0x02);
    EXPECT_EQ(b.ip, 0xC0A80007u);      // 192.168.0.7
    EXPECT_EQ(b.gateway, 0xC0A80001u); // 192.168.0.1
    EXPECT_EQ(b.mask, 0xFFFFFF00u);
    EXPECT_EQ(b.name, "USR-K3");
    EXPECT_EQ(b.user, "admin");
    EXPECT_EQ(b.password, "admin");
    EXPECT_EQ(b.net_send_time, 0x02);
    EXPECT_EQ(b.id, 1);
    EXPECT_EQ(b.id_type, 0);
    EXPECT_EQ(b.user_mac, kMac);
    EXPECT_EQ(b.reserved[0], 0x10);
    EXPECT_EQ(b.reserved[1], 0x0E);
    EXPECT_EQ(b.reserved[4], 0x01);
    EXPECT_EQ(encode_basic(b), f.params);
    EXPECT_EQ(build_command(0x05, kMac, "admin", "admin", encode_basic(b)), wire);
}

TEST(K7Discovery, SerialFrame85BytesChecksum85) {
    const std::string wire = hex(kSerialFrame);
    ASSERT_EQ(wire.size(), 85u);
    Frame f = parse(wire);
    ASSERT_EQ(f.verdict, Verdict::Frame);
    EXPECT_EQ(f.command, 0x06);
    Serial s;
    ASSERT_TRUE(decode_serial(f.params, s));
    EXPECT_EQ(s.baud, 115200u);
    EXPECT_EQ(s.data_bits, 8);
    EXPECT_EQ(s.parity, 1);
    EXPECT_EQ(s.stop_bits, 1);
    EXPECT_EQ(s.flow, 1);
    EXPECT_EQ(s.reconnect_timeout, 0u);
    EXPECT_EQ(s.local_port, 23);
    EXPECT_EQ(s.remote_port, 23);
    EXPECT_EQ(s.url, "192.168.0.201");
    EXPECT_EQ(s.telnet_ip, 0u);
    EXPECT_EQ(s.flags, 0x09);
    EXPECT_EQ(s.work_mode, 3);
    EXPECT_EQ(s.pack_len, 0u);
    EXPECT_EQ(s.pack_time, 0);
    EXPECT_EQ(s.time_count, 0);
    EXPECT_EQ(s.server_type, 0x81);
    EXPECT_EQ(s.reserved[3], 0x01);
    EXPECT_EQ(encode_serial(s), f.params);
    EXPECT_EQ(build_command(0x06, kMac, "admin", "admin", encode_serial(s)), wire);
}

TEST(K7Discovery, SearchReplyExampleChecksum8E) {
    const std::string expect =
        hex("FF 24 01 00 00 C0 A8 01 6B D8 B0 4C C0 0D 65 C3 0B 01 00 55 53 52 2D 4B 33 00 00 00 "
            "00 00 00 00 00 00 00 8E");
    SearchReply r;
    r.ip = 0xC0A8016B; // 192.168.1.107
    r.mac = kMac;
    r.firmware = 3011;
    r.encryption = 0x0001;
    r.name = "USR-K3";
    const std::string got = build_search_reply(r);
    EXPECT_EQ(got.size(), kSearchReplyBytes);
    EXPECT_EQ(got, expect);
}

TEST(K7Discovery, ShortRepliesAndReadReply) {
    EXPECT_EQ(build_short_reply(0x02, 'K'), hex("FF 01 02 4B"));
    EXPECT_EQ(build_short_reply(0x02, 'E'), hex("FF 01 02 45"));
    EXPECT_EQ(build_short_reply(0x04, 'K'), hex("FF 01 04 4B"));
    EXPECT_EQ(build_short_reply(0x05, 'P'), hex("FF 01 05 50"));
    Basic b;
    Serial s;
    ASSERT_TRUE(decode_basic(parse(hex(kBasicFrame)).params, b));
    ASSERT_TRUE(decode_serial(parse(hex(kSerialFrame)).params, s));
    const std::string read = build_read_reply(b, s);
    ASSERT_EQ(read.size(), kReadReplyBytes);
    EXPECT_EQ(read.substr(0, kBasicBytes), encode_basic(b));
    EXPECT_EQ(read.substr(kBasicBytes, kSerialBytes), encode_serial(s));
    EXPECT_EQ(read.substr(kBasicBytes + kSerialBytes), std::string(50, '\0'));
}

TEST(K7Discovery, BadInputVerdicts) {
    const std::string good = hex(std::string("FF 13 03 ") + kHeader + " 2E");
    EXPECT_EQ(parse("").verdict, Verdict::NotFrame);
    EXPECT_EQ(parse(hex("41 54 2B")).verdict, Verdict::NotFrame);
    EXPECT_EQ(parse(hex("FF")).verdict, Verdict::CutShort);
    for (std::size_t n = 2; n < good.size(); ++n)
        EXPECT_EQ(parse(good.substr(0, n)).verdict, Verdict::CutShort) << n;
    std::string bad = good;
    bad.back() = 0x2F;
    Frame f = parse(bad);
    EXPECT_EQ(f.verdict, Verdict::BadChecksum);
    EXPECT_EQ(f.command, 0x03); // known, for the FF 01 03 45 reply
    EXPECT_EQ(parse(good + "x").verdict, Verdict::BadLength);
    std::string small = good;
    small[1] = 0x05; // below the fixed 19-byte header
    EXPECT_EQ(parse(small).verdict, Verdict::BadLength);
    Basic b;
    Serial s;
    EXPECT_FALSE(decode_basic(std::string(66, '\0'), b));
    EXPECT_FALSE(decode_serial(std::string(64, '\0'), s));
}

} // namespace
