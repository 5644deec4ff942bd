#include <gtest/gtest.h>

#include "dtu/params/nvram_codec.hpp"

using namespace dtu::params;

TEST(NvramCodec, RoundTripsEveryByte) {
    Store s;
    std::string all;
    for (int b = 0; b < 256; ++b)
        all.push_back(static_cast<char>(b));
    s.set("A", {"x", "", all});
    s.set("B", {"\\\x1f\n"});
    const auto d = decode_nvram(encode_nvram(s, "g771"), "g771");
    ASSERT_EQ(d.status, DecodeStatus::Ok);
    ASSERT_EQ(d.entries.size(), 2u);
    EXPECT_EQ(d.entries[0].second, (Values{"x", "", all}));
    EXPECT_EQ(d.entries[1].second, (Values{"\\\x1f\n"}));
}

TEST(NvramCodec, RejectsDamage) {
    Store s;
    s.set("UARTFT", {"50"});
    const std::string good = encode_nvram(s, "g771");
    EXPECT_EQ(decode_nvram("", "g771").status, DecodeStatus::Empty);
    EXPECT_EQ(decode_nvram(good, "k7").status, DecodeStatus::WrongProfile);
    for (std::size_t cut = 1; cut < good.size(); ++cut)
        EXPECT_NE(decode_nvram(good.substr(0, cut), "g771").status, DecodeStatus::Ok) << cut;
    std::string flipped = good;
    flipped.back() = 'X';
    EXPECT_EQ(decode_nvram(flipped, "g771").status, DecodeStatus::BadChecksum);
    flipped = good;
    flipped[flipped.size() - 2] = '1';
    EXPECT_EQ(decode_nvram(flipped, "g771").status, DecodeStatus::BadChecksum);
}

TEST(NvramCodec, Crc32MatchesZlib) { EXPECT_EQ(crc32("123456789"), 0xCBF43926u); }
