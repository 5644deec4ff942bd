// The single-SMS commands' alphabets and limits (732 AT+SMSEND §3.1.7.63: types 1/2/3, 160 / 140 /
// 70; 7S4 AT+SMSEND / AT+CISMSSEND §3.1.7.66-67; spec sms.md §3.4).
#include <gtest/gtest.h>

#include <string>

#include "dtu/sms/one_message.hpp"

using dtu::hal::SmsEncoding;
using namespace dtu::sms;

TEST(SmsOneMessage, The732TypesSelectTheirAlphabets) {
    EXPECT_EQ(smsend_type(1), SmsEncoding::Gsm7);
    EXPECT_EQ(smsend_type(2), SmsEncoding::Data8);
    EXPECT_EQ(smsend_type(3), SmsEncoding::Ucs2);
    EXPECT_FALSE(smsend_type(0));
    EXPECT_FALSE(smsend_type(4));
}

TEST(SmsOneMessage, Type1TakesUpTo160AsciiCharacters) {
    EXPECT_TRUE(fits_one_sms(SmsEncoding::Gsm7, "ww.usr.cn")); // 732 §3.1.7.63 example
    EXPECT_TRUE(fits_one_sms(SmsEncoding::Gsm7, std::string(160, 'a')));
    EXPECT_FALSE(fits_one_sms(SmsEncoding::Gsm7, std::string(161, 'a')));
    EXPECT_TRUE(fits_one_sms(SmsEncoding::Gsm7, "line\r\nnext"));
}

TEST(SmsOneMessage, Type1CountsAnExtensionCharacterAsTwoSeptets) {
    EXPECT_TRUE(fits_one_sms(SmsEncoding::Gsm7, std::string(158, 'a') + "["));
    EXPECT_FALSE(fits_one_sms(SmsEncoding::Gsm7, std::string(159, 'a') + "["));
}

TEST(SmsOneMessage, Type1RefusesWhatIsNotAsciiOrNotInTheGsmAlphabet) {
    EXPECT_FALSE(fits_one_sms(SmsEncoding::Gsm7, "caf\xC3\xA9")); // é: GSM has it, ASCII does not
    EXPECT_FALSE(fits_one_sms(SmsEncoding::Gsm7, "a`b"));         // backtick: ASCII, not GSM
    EXPECT_FALSE(fits_one_sms(SmsEncoding::Gsm7, "\x01"));
}

TEST(SmsOneMessage, Type2TakesUpTo140BytesOfAnything) {
    EXPECT_TRUE(fits_one_sms(SmsEncoding::Data8, std::string(140, '\xFF')));
    EXPECT_FALSE(fits_one_sms(SmsEncoding::Data8, std::string(141, 'a')));
    EXPECT_TRUE(fits_one_sms(SmsEncoding::Data8, std::string("\x00\x80", 2)));
}

TEST(SmsOneMessage, Type3TakesUpTo70Ucs2Characters) {
    std::string seventy;
    for (int i = 0; i < 70; ++i)
        seventy += "\xE4\xBD\xA0"; // 你
    EXPECT_TRUE(fits_one_sms(SmsEncoding::Ucs2, seventy));
    EXPECT_FALSE(fits_one_sms(SmsEncoding::Ucs2, seventy + "a"));
    EXPECT_TRUE(fits_one_sms(SmsEncoding::Ucs2, std::string(70, 'a')));
    EXPECT_FALSE(fits_one_sms(SmsEncoding::Ucs2, "\xFF\xFE")); // not UTF-8
}

TEST(SmsOneMessage, FreeTextPicksGsmOrUcs2AndMustFitOneSms) {
    EXPECT_EQ(one_sms_encoding("hello"), SmsEncoding::Gsm7);
    EXPECT_EQ(one_sms_encoding("caf\xC3\xA9"), SmsEncoding::Gsm7);
    EXPECT_EQ(one_sms_encoding("\xE4\xBD\xA0\xE5\xA5\xBD\xE5\x95\x8A"),
              SmsEncoding::Ucs2); // 你好啊, 7S4 example
    EXPECT_FALSE(one_sms_encoding(std::string(161, 'a')));
    std::string long_chinese;
    for (int i = 0; i < 71; ++i)
        long_chinese += "\xE4\xBD\xA0";
    EXPECT_FALSE(one_sms_encoding(long_chinese));
}
