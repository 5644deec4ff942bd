// Table-driven: when SMSFLT takes a sender for DSTNUM (spec sms.md §1.2: a leading "+86"/"86"
// country prefix is ignored; G771 §2.4's DSTNUM example is 10086).
#include <gtest/gtest.h>

#include "dtu/sms/number.hpp"

namespace {

struct NumberCase {
    const char* sender;
    const char* dstnum;
    bool same;
};

const NumberCase kNumbers[] = {
    {"10086", "10086", true},
    {"+8610086", "10086", true}, // the report of issue 13: a 7-digit number with "+86"
    {"8610086", "10086", true},
    {"10086", "+8610086", true}, // DSTNUM itself written with the country code
    {"10086", "8610086", true},
    {"+8610086", "8610086", true},
    {"+8613800138000", "13800138000", true},
    {"13800138000", "+8613800138000", true},
    {"+10086", "10086", true},   // only the '+' differs
    {"+8686123", "86123", true}, // a national number that itself begins with 86
    {"86123", "+8686123", true},
    {"8686123", "86123", true},
    {"10010", "10086", false},
    {"+8510086", "10086", false}, // another country code
    {"+861008", "10086", false},
    {"+86", "", false}, // "86" alone is no number behind the prefix
    {"86", "+", false},
    {"+8610086", "+8510086", false},
    {"008610086", "10086", false},  // only "+86"/"86", not the "00" international prefix
    {"+868610086", "10086", false}, // the prefix counts once
};

class SameNumber : public ::testing::TestWithParam<NumberCase> {};

TEST_P(SameNumber, IgnoresOnePlusAndOneCountryCode) {
    const NumberCase& c = GetParam();
    EXPECT_EQ(dtu::sms::same_number(c.sender, c.dstnum, "86"), c.same) << c.sender << " vs " << c.dstnum;
    EXPECT_EQ(dtu::sms::same_number(c.dstnum, c.sender, "86"), c.same) << "symmetric";
}

INSTANTIATE_TEST_SUITE_P(Sms, SameNumber, ::testing::ValuesIn(kNumbers));

TEST(SameNumber, WithoutACountryCodeOnlyThePlusIsIgnored) {
    EXPECT_TRUE(dtu::sms::same_number("+10086", "10086", ""));
    EXPECT_FALSE(dtu::sms::same_number("+8610086", "10086", ""));
}

} // namespace
