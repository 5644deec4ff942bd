#include <gtest/gtest.h>

#include "dtu/at/request.hpp"

using namespace dtu::at;

TEST(Request, FourForms) {
    EXPECT_EQ(parse_request("at+wkmod")->op, kExec);
    EXPECT_EQ(parse_request("AT+WKMOD?")->op, kQuery);
    EXPECT_EQ(parse_request("AT+WKMOD=?")->op, kTest);
    const auto set = parse_request("At+wkmod=NET");
    EXPECT_EQ(set->op, kSet);
    EXPECT_EQ(set->name, "WKMOD");
    EXPECT_EQ(set->para, "NET");
}

TEST(Request, QuestionMarkInsideParameter) {
    const auto r = parse_request("AT+HTPURL=/1.php?");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->op, kSet);
    EXPECT_EQ(r->para, "/1.php?");
}

TEST(Request, BareAt) {
    const auto r = parse_request("AT");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->name, "");
}

TEST(Request, Malformed) {
    for (const char* bad :
         {"", "A", "XT+VER", "AT+", "AT+ VER", "AT+VER?x", "AT+VER??", "ATE", "AT++VER", "AT+VER =1"})
        EXPECT_FALSE(parse_request(bad)) << bad;
}

TEST(Request, NamesNoCommand) {
    for (const char* line : {"AT+ VER", "AT++VER", "AT+VER =1", "at+v-r?"})
        EXPECT_TRUE(dtu::at::names_no_command(line)) << line;
    for (const char* line : {"", "AT", "AT+", "AT+=1", "AT+VER??", "AT+VER?x", "XT+ VER", "ATE"})
        EXPECT_FALSE(dtu::at::names_no_command(line)) << line;
}
