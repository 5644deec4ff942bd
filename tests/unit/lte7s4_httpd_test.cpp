// USR-LTE-7S4 HTTPD client mode on a scripted network: HTPTO, HTPFLT and the 1000-byte request
// (7S4 §2.1.2, §3.1.7.60-65; spec httpd.md §3-§4).
#include "lte7s4_dut.hpp"

using namespace dtu::test::s4;

namespace {

constexpr dtu::hal::LinkId H = 5; // HttpdMode::kLink

dtu::test::FakeNet& net(Dut7s4& dut) { return dut.bench.net; }
dtu::device::HttpdStatus httpd(Dut7s4& dut) { return dut.bench.device->status().httpd; }

std::string response(std::string_view body) {
    return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
           std::string(body);
}

} // namespace

TEST(Lte7s4Httpd, TheManualsSettingsByteForByte) {
    Dut7s4 dut; // 7S4 §2.1.2's procedure values are the factory values
    dut.configure({"AT+WKMOD=HTTPD"});
    dut.frame("a=1");
    ASSERT_TRUE(net(dut).links.count(H));
    EXPECT_EQ(net(dut).links[H].host, "test.usr.cn");
    EXPECT_EQ(net(dut).links[H].port, 80);
    net(dut).accept(H);
    EXPECT_EQ(net(dut).stream(H),
              "GET /1.php?a=1 HTTP/1.1\r\nHost: test.usr.cn\r\nConnection: close\r\n\r\n");
    net(dut).deliver(H, response("hello"));
    EXPECT_EQ(dut.out(), "hello") << "HTPFLT=ON: the body only";
}

TEST(Lte7s4Httpd, HtpfltOffPassesTheWholeResponse) {
    Dut7s4 dut;
    dut.configure({"AT+WKMOD=HTTPD", "AT+HTPFLT=OFF"});
    dut.frame("a");
    net(dut).accept(H);
    dut.out();
    net(dut).deliver(H, response("hi"));
    EXPECT_EQ(dut.out(), response("hi"));
}

TEST(Lte7s4Httpd, HtptoIsTheTimeout) {
    Dut7s4 dut;
    dut.configure({"AT+WKMOD=HTTPD", "AT+HTPTO=3"});
    dut.frame("a");
    net(dut).accept(H);
    dut.advance(2999);
    EXPECT_TRUE(net(dut).links[H].open);
    dut.advance(1);
    EXPECT_FALSE(net(dut).links[H].open);
    EXPECT_EQ(httpd(dut).timeouts, 1u);
}

// 7S4 §2.1.2: "7S4组包后的包大小最多 1000字节". A frame that would make the request longer is cut so
// the request is 1000 bytes and still well-formed; the cut bytes are counted.
TEST(Lte7s4Httpd, PostRequestIsAtMostAThousandBytes) {
    Dut7s4 dut;
    dut.configure({"AT+WKMOD=HTTPD", "AT+HTPTP=POST", "AT+HTPURL=/p", "AT+HTPHD="});
    const std::string head = "POST /p HTTP/1.1\r\nHost: test.usr.cn\r\nContent-Length: ";
    const std::size_t fits = 1000 - head.size() - 3 - 4; // 3 digits of length, CRLF CRLF
    dut.frame(std::string(1024, 'x'));
    net(dut).accept(H);
    const std::string sent = net(dut).stream(H);
    EXPECT_EQ(sent.size(), 1000u);
    EXPECT_EQ(sent, head + std::to_string(fits) + "\r\n\r\n" + std::string(fits, 'x'));
    EXPECT_EQ(httpd(dut).truncated_bytes, 1024u - fits);
}

TEST(Lte7s4Httpd, GetRequestIsAtMostAThousandBytes) {
    Dut7s4 dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    dut.frame(std::string(1024, 'q'));
    net(dut).accept(H);
    const std::string start = "GET /1.php?";
    const std::string tail = " HTTP/1.1\r\nHost: test.usr.cn\r\nConnection: close\r\n\r\n";
    EXPECT_EQ(net(dut).stream(H), start + std::string(1000 - start.size() - tail.size(), 'q') + tail);
}

TEST(Lte7s4Httpd, ARequestThatFitsIsNotCut) {
    Dut7s4 dut;
    dut.configure({"AT+WKMOD=HTTPD", "AT+HTPTP=POST", "AT+HTPURL=/p", "AT+HTPHD="});
    const std::string head = "POST /p HTTP/1.1\r\nHost: test.usr.cn\r\nContent-Length: ";
    const std::size_t fits = 1000 - head.size() - 3 - 4;
    dut.frame(std::string(fits, 'y'));
    net(dut).accept(H);
    EXPECT_EQ(net(dut).stream(H).size(), 1000u);
    EXPECT_EQ(httpd(dut).truncated_bytes, 0u);
}
