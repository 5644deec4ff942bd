// SMS alphabets, lengths, splitting and reassembly (TS 23.038 / 23.040; spec sms.md §1.2, §3).
#include <gtest/gtest.h>

#include "dtu/sms/codec.hpp"

using dtu::hal::SmsEncoding;
using dtu::hal::SmsSegment;
namespace sms = dtu::sms;

namespace {

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i)
        out += s;
    return out;
}

SmsSegment part(std::string number, std::uint8_t ref, std::uint8_t total, std::uint8_t seq,
                std::string text) {
    return SmsSegment{std::move(number), SmsEncoding::Ucs2, std::move(text), ref, total, seq};
}

} // namespace

TEST(SmsCodec, PicksGsmForTheDefaultAlphabetUcs2ForChineseAnd8BitForNonUtf8) {
    EXPECT_EQ(sms::choose_encoding("usr.cn#AT+CSQ\r\n@£$¥èé"), SmsEncoding::Gsm7);
    EXPECT_EQ(sms::choose_encoding("price [10] {EUR} €"), SmsEncoding::Gsm7) << "extension table";
    EXPECT_EQ(sms::choose_encoding("你好"), SmsEncoding::Ucs2);
    EXPECT_EQ(sms::choose_encoding("back`tick"), SmsEncoding::Ucs2) << "` is not in the GSM alphabet";
    EXPECT_EQ(sms::choose_encoding(std::string("\x01\xff\xfe", 3)), SmsEncoding::Data8);
}

TEST(SmsCodec, RejectsMalformedUtf8) {
    EXPECT_TRUE(sms::valid_utf8("abc 你好 😀"));
    EXPECT_FALSE(sms::valid_utf8("\xc0\xaf")) << "overlong";
    EXPECT_FALSE(sms::valid_utf8("\xed\xa0\x80")) << "surrogate";
    EXPECT_FALSE(sms::valid_utf8("\xe4\xbd")) << "truncated";
    EXPECT_FALSE(sms::valid_utf8("\xf4\x90\x80\x80")) << "above U+10FFFF";
}

TEST(SmsCodec, CountsExtensionCharactersTwiceAndAstralCharactersAsSurrogatePairs) {
    EXPECT_EQ(sms::length_in(SmsEncoding::Gsm7, "a{b}€"), 8u);
    EXPECT_EQ(sms::length_in(SmsEncoding::Ucs2, "你好😀"), 4u);
    EXPECT_EQ(sms::length_in(SmsEncoding::Data8, "你"), 3u);
}

TEST(SmsCodec, FitsInOneSmsUpToTheSingleLimits) {
    EXPECT_EQ(sms::split(SmsEncoding::Gsm7, repeat("a", 160)).size(), 1u);
    EXPECT_EQ(sms::split(SmsEncoding::Ucs2, repeat("你", 70)).size(), 1u);
    EXPECT_EQ(sms::split(SmsEncoding::Data8, repeat("x", 140)).size(), 1u);
    EXPECT_EQ(sms::split(SmsEncoding::Gsm7, "").size(), 1u);
}

TEST(SmsCodec, SplitsLongTextIntoConcatenatedPartsOf153And67) {
    const auto gsm = sms::split(SmsEncoding::Gsm7, repeat("a", 161));
    ASSERT_EQ(gsm.size(), 2u);
    EXPECT_EQ(gsm[0].size(), 153u);
    EXPECT_EQ(gsm[1].size(), 8u);
    const auto ucs = sms::split(SmsEncoding::Ucs2, repeat("你", 71));
    ASSERT_EQ(ucs.size(), 2u);
    EXPECT_EQ(sms::length_in(SmsEncoding::Ucs2, ucs[0]), 67u);
    EXPECT_EQ(sms::length_in(SmsEncoding::Ucs2, ucs[1]), 4u);
}

TEST(SmsCodec, SplitsLongTextIntoSeparateSmsOf160And70) {
    const auto gsm = sms::split(SmsEncoding::Gsm7, repeat("a", 200), sms::LongMessage::Separate);
    ASSERT_EQ(gsm.size(), 2u);
    EXPECT_EQ(gsm[0], repeat("a", 160));
    EXPECT_EQ(gsm[1], repeat("a", 40));
    const auto ucs = sms::split(SmsEncoding::Ucs2, repeat("你", 141), sms::LongMessage::Separate);
    ASSERT_EQ(ucs.size(), 3u);
    EXPECT_EQ(ucs[0], repeat("你", 70));
    EXPECT_EQ(ucs[1], repeat("你", 70));
    EXPECT_EQ(ucs[2], "你");
    // 159 septets, then '€' (2 septets) cannot end the first SMS.
    const auto escape = sms::split(SmsEncoding::Gsm7, repeat("a", 159) + "€", sms::LongMessage::Separate);
    ASSERT_EQ(escape.size(), 2u);
    EXPECT_EQ(escape[0], repeat("a", 159));
    EXPECT_EQ(escape[1], "€");
}

TEST(SmsCodec, NeverSplitsAnEscapePairOrASurrogatePair) {
    // 152 septets, then '€' (2 septets) cannot end part 1.
    const auto gsm = sms::split(SmsEncoding::Gsm7, repeat("a", 152) + "€" + repeat("b", 10));
    ASSERT_EQ(gsm.size(), 2u);
    EXPECT_EQ(gsm[0], repeat("a", 152));
    EXPECT_EQ(gsm[1].substr(0, 3), "€");
    const auto ucs = sms::split(SmsEncoding::Ucs2, repeat("你", 66) + "😀" + repeat("好", 10));
    ASSERT_EQ(ucs.size(), 2u);
    EXPECT_EQ(sms::length_in(SmsEncoding::Ucs2, ucs[0]), 66u);
    EXPECT_EQ(ucs[1].substr(0, 4), "😀");
}

TEST(SmsCodec, ReassemblesPartsInAnyOrderPerSenderAndReference) {
    sms::Reassembler r;
    EXPECT_FALSE(r.add(part("10086", 7, 3, 2, "B"), 0));
    EXPECT_FALSE(r.add(part("10010", 7, 2, 1, "x"), 0)) << "another sender, same reference";
    EXPECT_FALSE(r.add(part("10086", 7, 3, 3, "C"), 0));
    const auto m = r.add(part("10086", 7, 3, 1, "A"), 0);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->text, "ABC");
    EXPECT_EQ(m->number, "10086");
    EXPECT_EQ(m->parts, 3u);
    EXPECT_EQ(r.pending(), 1u);
    EXPECT_EQ(r.dropped(), 0u);
}

TEST(SmsCodec, GivesUpIncompleteMessagesAfterTheTimeoutAndBoundsThePending) {
    sms::Reassembler r;
    EXPECT_FALSE(r.add(part("10086", 1, 2, 1, "A"), 0));
    EXPECT_EQ(r.expire(sms::Reassembler::kTimeoutMs - 1), 0u);
    EXPECT_EQ(r.expire(sms::Reassembler::kTimeoutMs), 1u);
    EXPECT_FALSE(r.add(part("10086", 1, 2, 2, "B"), sms::Reassembler::kTimeoutMs))
        << "its first part is gone";
    for (std::uint8_t ref = 10; ref < 10 + sms::Reassembler::kMaxPending; ++ref)
        r.add(part("10010", ref, 2, 1, "x"), sms::Reassembler::kTimeoutMs);
    EXPECT_EQ(r.pending(), sms::Reassembler::kMaxPending);
    EXPECT_EQ(r.dropped(), 2u) << "the timed-out one and the oldest pushed out";
    EXPECT_FALSE(r.add(part("10086", 2, 3, 4, "?"), 0)) << "part 4 of 3";
    EXPECT_EQ(r.dropped(), 3u);
}
