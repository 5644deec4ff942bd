#include <gtest/gtest.h>

#include "dtu/at/answer.hpp"
#include "dtu/at/text.hpp"

using namespace dtu::at;

TEST(Escapes, DecodeTwoHexDigitsEitherCase) {
    EXPECT_EQ(decode_escapes("Accept:text/html[0D][0a]"), "Accept:text/html\r\n");
    EXPECT_EQ(decode_escapes("/1.php[3F]"), "/1.php?");
}

TEST(Escapes, MalformedEscapesStayLiteral) {
    EXPECT_EQ(decode_escapes("[0G]"), "[0G]");
    EXPECT_EQ(decode_escapes("[0D"), "[0D");
    EXPECT_EQ(decode_escapes("[[0D]]"), "[\r]");
}

TEST(Escapes, EncodeControlBytesOnly) {
    EXPECT_EQ(encode_escapes("a\r\nb?,="), "a[0D][0A]b?,=");
    EXPECT_EQ(encode_escapes(std::string("\0\x7f", 2)), "[00][7F]");
}

// 7S4 §3.1.6.4: ',', '=' and '?' may not stand in a parameter, so its answers escape them too.
TEST(Escapes, EncodeTheExtraBytesAModelForbids) {
    EXPECT_EQ(encode_escapes("/1.php?a=1,2\r\n", ",=?"), "/1.php[3F]a[3D]1[2C]2[0D][0A]");
}

// 732 §3.1.7.25: "+SOCKA: TCP,"test.usr.cn",2317" — text quoted where the row says so.
TEST(Answers, QuotedParametersAreShownInQuotes) {
    CommandSpec spec;
    spec.params = {{"protocol", Kind::Enum, "TCP|UDP"},
                   {"address", Kind::Text, {}, 1, 100, Omit::Required, false, true},
                   {"port", Kind::Int, {}, 1, 65535}};
    EXPECT_EQ(format_values(spec, {"TCP", "test.usr.cn", "2317"}), "TCP,\"test.usr.cn\",2317");
    EXPECT_EQ(format_values(spec, {"TCP", "a,b", "1"}, ","), "TCP,\"a[2C]b\",1");
}

TEST(Fields, LastFieldKeepsCommas) {
    const auto f = split_fields("TCP,host,80,extra", 3);
    ASSERT_EQ(f.size(), 3u);
    EXPECT_EQ(f[2], "80,extra");
    EXPECT_EQ(split_fields("", 2).size(), 1u);
}

TEST(Fields, UnquoteOnePairOnly) {
    EXPECT_EQ(unquote("\"TCP\""), "TCP");
    EXPECT_EQ(unquote("\""), "\"");
    EXPECT_EQ(unquote("a\"b\""), "a\"b\"");
}

TEST(Decimal, DigitsOnly) {
    EXPECT_EQ(parse_decimal("0065535"), 65535);
    EXPECT_FALSE(parse_decimal("-1"));
    EXPECT_FALSE(parse_decimal("1 "));
    EXPECT_FALSE(parse_decimal(""));
    EXPECT_FALSE(parse_decimal("99999999999999999999"));
}

TEST(PrefixedCommand, PasswordThenAtThenTerminator) {
    EXPECT_EQ(prefixed_command("usr.cn#AT+VER\r\n", "usr.cn#"), "AT+VER");
    EXPECT_EQ(prefixed_command("usr.cn#at+ver\r", "usr.cn#"), "at+ver");
    EXPECT_EQ(prefixed_command("usr.cn#AT+VER\n", "usr.cn#"), "AT+VER");
    EXPECT_FALSE(prefixed_command("usr.cn#AT+VER", "usr.cn#")) << "no terminator";
    EXPECT_FALSE(prefixed_command("USR.CN#AT+VER\r", "usr.cn#")) << "case-sensitive password";
    EXPECT_FALSE(prefixed_command("usr.cn#XT+VER\r", "usr.cn#"));
    EXPECT_FALSE(prefixed_command("AT+VER\r", ""));
}
