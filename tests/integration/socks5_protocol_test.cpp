// The SOCKS5 messages the relay parses and sends (RFC 1928), byte for byte.
#include <string>

#include <gtest/gtest.h>

#include "hal_sim/socks5_protocol.hpp"

namespace dtu::itest {
namespace {

namespace s5 = hal_sim::socks5;
using namespace std::string_literals;

TEST(Socks5Protocol, GreetingNeedsAllItsMethodsAndMayOfferNoAuth) {
    EXPECT_EQ(s5::parse_greeting("\x05"s).result, s5::Parse::NeedMore);
    EXPECT_EQ(s5::parse_greeting("\x05\x02\x02"s).result, s5::Parse::NeedMore);
    const auto g = s5::parse_greeting("\x05\x02\x02\x00rest"s);
    EXPECT_EQ(g.result, s5::Parse::Ok);
    EXPECT_EQ(g.consumed, 4u);
    EXPECT_TRUE(g.no_auth);
    const auto only_userpass = s5::parse_greeting("\x05\x01\x02"s);
    EXPECT_EQ(only_userpass.result, s5::Parse::Ok);
    EXPECT_FALSE(only_userpass.no_auth);
    EXPECT_EQ(s5::parse_greeting("\x04\x01\x00"s).result, s5::Parse::Bad) << "SOCKS4";
    EXPECT_EQ(s5::parse_greeting("\x05\x00"s).result, s5::Parse::Bad) << "no methods";
}

TEST(Socks5Protocol, GreetingTellsWhetherUsernamePasswordIsOffered) {
    const auto both = s5::parse_greeting("\x05\x02\x00\x02"s); // what libmosquitto sends with a user
    EXPECT_TRUE(both.no_auth);
    EXPECT_TRUE(both.user_pass);
    EXPECT_FALSE(s5::parse_greeting("\x05\x01\x00"s).user_pass);
}

TEST(Socks5Protocol, UsernamePasswordRequestsRfc1929) {
    const auto u = s5::parse_user_pass("\x01\x04user\x06secret+"s);
    ASSERT_EQ(u.result, s5::Parse::Ok);
    EXPECT_EQ(u.username, "user");
    EXPECT_EQ(u.password, "secret");
    EXPECT_EQ(u.consumed, 13u) << "what follows is the CONNECT request";
    EXPECT_EQ(s5::parse_user_pass("\x01\x04us"s).result, s5::Parse::NeedMore);
    EXPECT_EQ(s5::parse_user_pass("\x01\x04user\x06sec"s).result, s5::Parse::NeedMore);
    EXPECT_EQ(s5::parse_user_pass("\x05\x04user\x00"s).result, s5::Parse::Bad) << "version 1 only";
    EXPECT_EQ(s5::parse_user_pass("\x01\x00\x00"s).result, s5::Parse::Bad) << "an empty user name";
    EXPECT_EQ(s5::user_pass_reply(true), "\x01\x00"s);
    EXPECT_EQ(s5::user_pass_reply(false), "\x01\x01"s);
}

TEST(Socks5Protocol, ConnectRequestsForTheThreeAddressTypes) {
    const auto v4 = s5::parse_request("\x05\x01\x00\x01\x7f\x00\x00\x01\x07\x5b"s);
    ASSERT_EQ(v4.result, s5::Parse::Ok);
    EXPECT_EQ(v4.host, "127.0.0.1");
    EXPECT_EQ(v4.port, 1883);
    EXPECT_EQ(v4.consumed, 10u);

    const auto name = s5::parse_request("\x05\x01\x00\x03\x10"
                                        "cloudmqtt.usr.cn"
                                        "\x07\x5b"s +
                                        "MQTT");
    ASSERT_EQ(name.result, s5::Parse::Ok);
    EXPECT_EQ(name.host, "cloudmqtt.usr.cn");
    EXPECT_EQ(name.port, 1883);
    EXPECT_EQ(name.consumed, 23u) << "what follows the request is not part of it";

    std::string v6 = "\x05\x01\x00\x04"s + std::string(15, '\0') + "\x01\x22\xb3"s;
    const auto six = s5::parse_request(v6);
    ASSERT_EQ(six.result, s5::Parse::Ok);
    EXPECT_EQ(six.host, "::1");
    EXPECT_EQ(six.port, 8883);
}

TEST(Socks5Protocol, PartialAndBadRequests) {
    EXPECT_EQ(s5::parse_request("\x05\x01\x00"s).result, s5::Parse::NeedMore);
    EXPECT_EQ(s5::parse_request("\x05\x01\x00\x03\x05"
                                "abc"s)
                  .result,
              s5::Parse::NeedMore);
    const auto bind = s5::parse_request("\x05\x02\x00\x01\x7f\x00\x00\x01\x07\x5b"s);
    EXPECT_EQ(bind.result, s5::Parse::Bad);
    EXPECT_EQ(bind.error, s5::Reply::CommandNotSupported);
    EXPECT_TRUE(bind.answerable);
    const auto atyp = s5::parse_request("\x05\x01\x00\x09\x00"s);
    EXPECT_EQ(atyp.result, s5::Parse::Bad);
    EXPECT_EQ(atyp.error, s5::Reply::AddressTypeNotSupported);
    EXPECT_EQ(s5::parse_request("\x05\x01\x00\x03\x00\x07\x5b"s).result, s5::Parse::Bad) << "empty name";
    const auto v4 = s5::parse_request("\x04\x01\x07\x5b\x7f\x00\x00\x01"s);
    EXPECT_EQ(v4.result, s5::Parse::Bad);
    EXPECT_FALSE(v4.answerable) << "not SOCKS5: no SOCKS5 reply";
}

TEST(Socks5Protocol, Replies) {
    EXPECT_EQ(s5::method_reply(s5::kMethodNoAuth), "\x05\x00"s);
    EXPECT_EQ(s5::method_reply(s5::kMethodNoneAcceptable), "\x05\xff"s);
    EXPECT_EQ(s5::reply(s5::Reply::Succeeded), "\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00"s);
    EXPECT_EQ(s5::reply(s5::Reply::ConnectionRefused), "\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00"s);
}

} // namespace
} // namespace dtu::itest
