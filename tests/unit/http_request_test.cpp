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
