// The bytes of an HTTPD client request (732 §2.1.2, G771 §2.3; spec httpd.md §3.2, GAP-09, GAP-32).
#include <gtest/gtest.h>

#include "dtu/http/request.hpp"

using dtu::http::build_request;
using dtu::http::host_header;
using HttpMethod = dtu::http::Method;
using HttpTarget = dtu::http::Target;

namespace {

/// The 732 manual's GET example settings (§2.1.2).
HttpTarget manual_target() {
    HttpTarget t;
    t.method = HttpMethod::Get;
    t.url = "/1.php?";
    t.host = "test.usr.cn";
    t.port = 80;
    t.headers = "Accept:text/html\r\nAccept-Language:zh-CN\r\n";
    return t;
}

} // namespace

TEST(HttpRequest, TheManualsGetExampleWithTheGap32Correction) {
    // 732 §2.1.2 prints "data=test.usr.cn" in the request line although "data=www.usr.cn" was sent
    // (GAP-32): the request carries the frame that was sent.
    EXPECT_EQ(build_request(manual_target(), "data=www.usr.cn"), "GET /1.php?data=www.usr.cn HTTP/1.1\r\n"
                                                                 "Host: test.usr.cn\r\n"
                                                                 "Accept:text/html\r\n"
                                                                 "Accept-Language:zh-CN\r\n"
                                                                 "\r\n");
}

TEST(HttpRequest, PostSendsTheFrameAsBodyWithItsLength) {
    HttpTarget t = manual_target();
    t.method = HttpMethod::Post;
    t.url = "/2.php";
    EXPECT_EQ(build_request(t, "data=www.usr.cn"), "POST /2.php HTTP/1.1\r\n"
                                                   "Host: test.usr.cn\r\n"
                                                   "Accept:text/html\r\n"
                                                   "Accept-Language:zh-CN\r\n"
                                                   "Content-Length: 15\r\n"
                                                   "\r\n"
                                                   "data=www.usr.cn");
}

TEST(HttpRequest, PostBodyIsTheRawFrameWithAnyByte) {
    HttpTarget t = manual_target();
    t.method = HttpMethod::Post;
    t.headers.clear();
    const std::string frame("a\0b\r\n\xff", 6);
    EXPECT_EQ(build_request(t, frame),
              "POST /1.php? HTTP/1.1\r\nHost: test.usr.cn\r\nContent-Length: 6\r\n\r\n" + frame);
}

TEST(HttpRequest, HostCarriesThePortUnlessItIs80) {
    HttpTarget t = manual_target();
    EXPECT_EQ(host_header(t), "test.usr.cn");
    t.port = 8080;
    t.host = "10.0.0.5";
    EXPECT_EQ(host_header(t), "10.0.0.5:8080");
    t.headers.clear();
    EXPECT_EQ(build_request(t, "x"), "GET /1.php?x HTTP/1.1\r\nHost: 10.0.0.5:8080\r\n\r\n");
}

TEST(HttpRequest, GetFrameIsNotUrlEncoded) {
    HttpTarget t = manual_target();
    t.headers.clear();
    EXPECT_EQ(build_request(t, "a b&c=%"), "GET /1.php?a b&c=% HTTP/1.1\r\nHost: test.usr.cn\r\n\r\n");
}

// 7S4 §2.1.2: the request is at most 1000 bytes; the frame's tail is left out to fit.
TEST(HttpRequest, WithinALimitTheFrameIsCutAndTheRequestStaysWellFormed) {
    HttpTarget t = manual_target();
    t.method = HttpMethod::Post;
    t.headers.clear();
    const std::string head = "POST /1.php? HTTP/1.1\r\nHost: test.usr.cn\r\nContent-Length: ";
    std::size_t cut = 7;
    const std::string fits = dtu::http::build_request_within(t, std::string(1024, 'x'), 1000, cut);
    const std::size_t body = 1000 - head.size() - 3 - 4;
    EXPECT_EQ(fits, head + std::to_string(body) + "\r\n\r\n" + std::string(body, 'x'));
    EXPECT_EQ(cut, 1024 - body);
    EXPECT_EQ(dtu::http::build_request_within(t, "small", 1000, cut), build_request(t, "small"));
    EXPECT_EQ(cut, 0u);
    EXPECT_EQ(dtu::http::build_request_within(t, std::string(5000, 'y'), 0, cut).size(),
              build_request(t, std::string(5000, 'y')).size())
        << "0 = no limit";
    EXPECT_EQ(cut, 0u);
    t.method = HttpMethod::Get;
    const std::string get = dtu::http::build_request_within(t, std::string(2000, 'g'), 100, cut);
    EXPECT_EQ(get.size(), 100u);
    EXPECT_EQ(get.substr(get.size() - 4), "\r\n\r\n");
    EXPECT_EQ(dtu::http::build_request_within(t, "abc", 10, cut), build_request(t, ""))
        << "a target longer than the limit sends no frame byte";
    EXPECT_EQ(cut, 3u);
}
