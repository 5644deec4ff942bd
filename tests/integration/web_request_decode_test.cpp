// What the board's web server decodes for the firmware (hal_sim/web_request_decode.hpp): Basic
// credentials (RFC 7617) and form fields (application/x-www-form-urlencoded).
#include <gtest/gtest.h>

#include "hal_sim/web_request_decode.hpp"

namespace dtu::hal_sim {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

TEST(WebRequestDecode, BasicCredentials) {
    BasicCredentials c;
    ASSERT_TRUE(basic_credentials("Basic YWRtaW46YWRtaW4=", c)); // admin:admin
    EXPECT_EQ(c.user, "admin");
    EXPECT_EQ(c.password, "admin");
    ASSERT_TRUE(basic_credentials("basic  dXNlcjpwYTpzcw==", c)) << "the scheme is case-insensitive";
    EXPECT_EQ(c.user, "user");
    EXPECT_EQ(c.password, "pa:ss") << "the first ':' ends the user name";
    ASSERT_TRUE(basic_credentials("Basic OmFi", c)); // ":ab"
    EXPECT_EQ(c.user, "");
    EXPECT_EQ(c.password, "ab");
}

TEST(WebRequestDecode, NotBasicCredentials) {
    BasicCredentials c;
    EXPECT_FALSE(basic_credentials("", c));
    EXPECT_FALSE(basic_credentials("Bearer YWRtaW46YWRtaW4=", c));
    EXPECT_FALSE(basic_credentials("Basic", c));
    EXPECT_FALSE(basic_credentials("Basic ####", c)) << "not base64";
    EXPECT_FALSE(basic_credentials("Basic YWRt*W46YWRtaW4=", c)) << "a bad character inside";
    EXPECT_FALSE(basic_credentials("Basic YWRtaW4=", c)) << "\"admin\": no ':'";
}

TEST(WebRequestDecode, FormFields) {
    Fields f;
    ASSERT_TRUE(form_fields("UART.baud=9600&MID.name=K7+lab%2B1&empty=&flag&&x=%41%e4%b8%ad", f));
    EXPECT_EQ(f, (Fields{{"UART.baud", "9600"},
                         {"MID.name", "K7 lab+1"},
                         {"empty", ""},
                         {"flag", ""},
                         {"x", "A\xe4\xb8\xad"}}));
    Fields none;
    EXPECT_TRUE(form_fields("", none));
    EXPECT_TRUE(none.empty());
}

TEST(WebRequestDecode, ABrokenEscapeIsAMalformedForm) {
    for (const char* text : {"a=%zz", "a=%4", "a=1&b=%", "%g1=2"}) {
        Fields f;
        EXPECT_FALSE(form_fields(text, f)) << text;
        EXPECT_TRUE(f.empty()) << text;
    }
}

} // namespace
} // namespace dtu::hal_sim
