// HTTPD client mode on a scripted network (G771 §2.3, §2.6.2, §2.6.8; 732 §2.1.2; spec httpd.md,
// net-transparent §12).
#include <algorithm>

#include "dut.hpp"

using namespace dtu::test;
using dtu::hal::NetError;

namespace {

constexpr dtu::hal::LinkId H = 5; // HttpdMode::kLink

FakeNet& net(Dut& dut) { return dut.bench.net; }
dtu::device::HttpdStatus httpd(Dut& dut) { return dut.bench.device->status().httpd; }

bool logged(Dut& dut, std::string_view text) {
    const auto& lines = dut.bench.log.lines;
    return std::any_of(lines.begin(), lines.end(),
                       [&](const auto& l) { return l.second.find(text) != std::string::npos; });
}

std::string response(std::string_view body, std::string_view status = "200 OK") {
    return "HTTP/1.1 " + std::string(status) + "\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + std::string(body);
}

/// The G771 in HTTPD mode with the 732 manual's example settings (732 §2.1.2), in the 732's own
/// spelling (quotes, lower-case method), plus extra commands.
void manual_setup(Dut& dut, std::initializer_list<std::string> extra = {}) {
    std::vector<std::string> all = {"AT+WKMOD=HTTPD", "AT+HTPTP=\"get\"", "AT+HTPSV=\"test.usr.cn\",80",
                                    "AT+HTPURL=\"/1.php?\"",
                                    "AT+HTPHD=\"Accept:text/html[0D][0A]Accept-Language:zh-CN[0D][0A]\""};
    all.insert(all.end(), extra);
    dut.enter_command();
    for (const auto& c : all)
        EXPECT_EQ(dut.cmd(c), ok()) << c;
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    dut.reboot();
}

const std::string kManualGet = "GET /1.php?data=www.usr.cn HTTP/1.1\r\n"
                               "Host: test.usr.cn\r\n"
                               "Accept:text/html\r\n"
                               "Accept-Language:zh-CN\r\n"
                               "\r\n";

} // namespace

TEST(HttpdMode, TheManualsGetExampleByteForByte) {
    Dut dut;
    manual_setup(dut);
    dut.frame("data=www.usr.cn");
    ASSERT_TRUE(net(dut).links.count(H));
    EXPECT_EQ(net(dut).links[H].host, "test.usr.cn");
    EXPECT_EQ(net(dut).links[H].port, 80);
    EXPECT_EQ(net(dut).links[H].proto, dtu::hal::Proto::Tcp);
    EXPECT_FALSE(net(dut).links[H].tls);
    net(dut).accept(H);
    EXPECT_EQ(net(dut).links[H].sent, std::vector<std::string>{kManualGet}) << "one write";
    net(dut).deliver(H, response("www.usr.cn"));
    EXPECT_EQ(dut.out(), "www.usr.cn") << "732 §2.1.2: the parsed data goes to the serial device";
    EXPECT_FALSE(net(dut).links[H].open) << "the module closes after the response";
    EXPECT_EQ(httpd(dut).requests, 1u);
    EXPECT_EQ(httpd(dut).responses, 1u);
    EXPECT_EQ(httpd(dut).bytes_to_serial, 10u);
}

TEST(HttpdMode, TheManualsAnswerWithItsWrongContentLengthEndsInTheTimeout) {
    // 732 §2.1.2 shows "Content-Length: 19" over a 10-byte body (GAP-32) and a keep-alive server.
    Dut dut;
    manual_setup(dut, {"AT+HTPTIM=3"});
    dut.frame("data=www.usr.cn");
    net(dut).accept(H);
    net(dut).deliver(H, "HTTP/1.1 200 OK\r\nContent-Length: 19\r\nConnection: Keep-Alive\r\n\r\nwww.usr.cn");
    EXPECT_EQ(dut.out(), "www.usr.cn");
    dut.advance(3000);
    EXPECT_FALSE(net(dut).links[H].open);
    EXPECT_EQ(httpd(dut).timeouts, 1u);
    EXPECT_EQ(httpd(dut).responses, 0u);
}

TEST(HttpdMode, G771FactorySettingsAreTheManualsExample) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    dut.frame("x=1");
    EXPECT_EQ(net(dut).links[H].host, "socket.usr.cn");
    net(dut).accept(H);
    EXPECT_EQ(net(dut).stream(H),
              "GET /1.php?x=1 HTTP/1.1\r\nHost: socket.usr.cn\r\nAccept:text/html\r\n\r\n");
}

TEST(HttpdMode, PostSendsTheFrameAsBody) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD", "AT+HTPTP=POST", "AT+HTPURL=/2.php", "AT+HTPSV=10.0.0.7,8080",
                   "AT+HTPHD=Content-Type: application/x-www-form-urlencoded[0D][0A]"});
    dut.frame("data=www.usr.cn");
    EXPECT_EQ(net(dut).links[H].port, 8080);
    net(dut).accept(H);
    EXPECT_EQ(net(dut).stream(H), "POST /2.php HTTP/1.1\r\n"
                                  "Host: 10.0.0.7:8080\r\n"
                                  "Content-Type: application/x-www-form-urlencoded\r\n"
                                  "Content-Length: 15\r\n"
                                  "\r\n"
                                  "data=www.usr.cn");
}

TEST(HttpdMode, HeadersWithoutTheirFinalCrLfGetOne) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD", "AT+HTPHD=Connection: close"});
    dut.frame("a");
    net(dut).accept(H);
    EXPECT_EQ(net(dut).stream(H),
              "GET /1.php?a HTTP/1.1\r\nHost: socket.usr.cn\r\nConnection: close\r\n\r\n");
}

TEST(HttpdMode, EmptyHeadersLeaveOnlyHost) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD", "AT+HTPHD="});
    dut.frame("a");
    net(dut).accept(H);
    EXPECT_EQ(net(dut).stream(H), "GET /1.php?a HTTP/1.1\r\nHost: socket.usr.cn\r\n\r\n");
}

TEST(HttpdMode, FramesDuringARequestWaitAndGoOutInOrder) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD", "AT+HTPHD="});
    dut.frame("1");
    dut.frame("2");
    dut.frame("3");
    EXPECT_EQ(net(dut).links[H].opens, 1) << "one request at a time";
    EXPECT_EQ(httpd(dut).queued_frames, 2u);
    for (const std::string n : {"1", "2", "3"}) {
        net(dut).accept(H);
        EXPECT_EQ(net(dut).stream(H).substr(0, 17), "GET /1.php?" + n + " HTTP") << n;
        net(dut).links[H].sent.clear();
        net(dut).deliver(H, response("r" + n));
    }
    EXPECT_EQ(dut.out(), "r1r2r3");
    EXPECT_EQ(net(dut).links[H].opens, 3) << "a new connection per request";
    EXPECT_EQ(httpd(dut).queued_frames, 0u);
}

TEST(HttpdMode, AFullQueueDropsCountsAndLogs) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    dut.frame("in flight");
    for (int i = 0; i < 8; ++i)
        dut.frame("q" + std::to_string(i));
    EXPECT_EQ(httpd(dut).queue_dropped, 0u);
    dut.frame("one too many");
    EXPECT_EQ(httpd(dut).queue_dropped, 1u);
    EXPECT_EQ(httpd(dut).queued_frames, 8u);
    EXPECT_TRUE(logged(dut, "a frame of 12 bytes is dropped"));
    EXPECT_EQ(httpd(dut).last_error, "queue full: frame dropped");
    net(dut).accept(H);
    net(dut).deliver(H, response(""));
    net(dut).accept(H);
    EXPECT_NE(net(dut).stream(H).find("?q0 "), std::string::npos) << "the oldest frames were kept";
}

TEST(HttpdMode, FilterOffWritesTheWholeResponse) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD", "AT+HTPPK=OFF"});
    dut.frame("a");
    net(dut).accept(H);
    net(dut).deliver(H, response("body"));
    EXPECT_EQ(dut.out(), response("body"));
}

TEST(HttpdMode, ChunkedResponseIsForwardedVerbatimAndCompletes) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    dut.frame("a");
    dut.frame("b");
    net(dut).accept(H);
    const std::string body = "4\r\nwww.\r\n6\r\nusr.cn\r\n0\r\n\r\n";
    for (char c : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
        if (c) net(dut).deliver(H, std::string(1, c)); // one byte per read
    EXPECT_EQ(dut.out(), body);
    EXPECT_EQ(httpd(dut).responses, 1u);
    EXPECT_EQ(net(dut).links[H].opens, 2) << "complete at the last chunk: the next request goes out";
}

TEST(HttpdMode, CloseDelimitedResponseCompletesWhenTheServerCloses) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    dut.frame("a");
    net(dut).accept(H);
    net(dut).deliver(H, "HTTP/1.0 200 OK\r\n\r\npart 1, ");
    EXPECT_EQ(dut.out(), "part 1, ") << "streamed as it arrives";
    net(dut).deliver(H, "part 2");
    EXPECT_EQ(httpd(dut).responses, 0u);
    net(dut).drop(H, NetError::PeerClosed);
    EXPECT_EQ(dut.out(), "part 2");
    EXPECT_EQ(httpd(dut).responses, 1u);
    EXPECT_EQ(httpd(dut).malformed, 0u);
}

TEST(HttpdMode, NonSuccessStatusIsForwardedLikeSuccess) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    dut.frame("a");
    net(dut).accept(H);
    net(dut).deliver(H, response("no such page", "404 Not Found"));
    EXPECT_EQ(dut.out(), "no such page");
    EXPECT_EQ(httpd(dut).responses, 1u);
    EXPECT_TRUE(logged(dut, "response 404"));
}

TEST(HttpdMode, TimeoutClosesAndWritesNothing) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD", "AT+HTPTIM=2"});
    dut.frame("a");
    dut.advance(500); // the connect takes a while: the timeout restarts when the request is sent
    net(dut).accept(H);
    dut.advance(1999);
    EXPECT_TRUE(net(dut).links[H].open);
    dut.advance(1);
    EXPECT_FALSE(net(dut).links[H].open);
    EXPECT_EQ(httpd(dut).timeouts, 1u);
    EXPECT_EQ(httpd(dut).last_error, "no complete response within 2 s (AT+HTPTIM)");
    net(dut).deliver(H, response("late")); // nothing more is written for it
    EXPECT_EQ(dut.out(), "");
    dut.frame("b");
    net(dut).accept(H);
    net(dut).deliver(H, response("next"));
    EXPECT_EQ(dut.out(), "next") << "the device goes on serving";
}

TEST(HttpdMode, ConnectThatNeverCompletesTimesOut) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD", "AT+HTPTIM=2"});
    dut.frame("a");
    dut.advance(2000);
    EXPECT_FALSE(net(dut).links[H].open);
    EXPECT_EQ(httpd(dut).timeouts, 1u);
    EXPECT_TRUE(logged(dut, "no connection within 2 s"));
}

TEST(HttpdMode, ConnectFailuresWriteNothingAndAreCounted) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    const std::pair<NetError, std::string> cases[] = {{NetError::Refused, "connection refused"},
                                                      {NetError::DnsFailed, "DNS lookup failed"},
                                                      {NetError::Timeout, "timeout"},
                                                      {NetError::TlsFailed, "TLS handshake failed"}};
    std::uint64_t n = 0;
    for (const auto& [why, words] : cases) {
        dut.frame("a");
        net(dut).refuse(H, why);
        EXPECT_EQ(httpd(dut).failures, ++n);
        EXPECT_EQ(httpd(dut).last_error, "connect failed: " + words);
        EXPECT_TRUE(logged(dut, "connect failed: " + words + "; nothing written to the serial port"));
    }
    EXPECT_EQ(dut.out(), "");
    EXPECT_EQ(httpd(dut).requests, 0u);
}

TEST(HttpdMode, ServerClosingWithoutAnswerOrResettingIsAFailure) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    dut.frame("a");
    net(dut).accept(H);
    net(dut).drop(H, NetError::PeerClosed);
    EXPECT_EQ(httpd(dut).failures, 1u);
    dut.frame("b");
    net(dut).accept(H);
    net(dut).deliver(H, "HTTP/1.0 200 OK\r\n\r\nhalf");
    net(dut).drop(H, NetError::Reset);
    EXPECT_EQ(httpd(dut).failures, 2u);
    EXPECT_EQ(httpd(dut).last_error, "connection lost: reset by peer");
    EXPECT_EQ(dut.out(), "half");
}

TEST(HttpdMode, MalformedResponsesAreLoggedCountedAndSurvived) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    const std::pair<std::string, std::string> cases[] = {
        {"SSH-2.0-OpenSSH_9.2\r\n\r\n", "bad status line"},
        {"HTTP/1.1 200 OK\r\n" + std::string(9000, 'h'), "header block longer than 8192 bytes"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", "bad Content-Length"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nnot hex\r\n", "bad chunk-size line"},
    };
    std::uint64_t n = 0;
    for (const auto& [bytes, why] : cases) {
        dut.frame("a");
        net(dut).accept(H);
        net(dut).deliver(H, bytes);
        EXPECT_EQ(httpd(dut).malformed, ++n) << why;
        EXPECT_NE(httpd(dut).last_error.find(why), std::string::npos) << httpd(dut).last_error;
        EXPECT_TRUE(logged(dut, "malformed response: " + why)) << why;
        EXPECT_FALSE(net(dut).links[H].open) << why;
    }
    EXPECT_EQ(dut.out(), "");
    dut.frame("b");
    net(dut).accept(H);
    net(dut).deliver(H, response("fine"));
    EXPECT_EQ(dut.out(), "fine");
}

TEST(HttpdMode, ShorterBodyThanContentLengthThenClose) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    dut.frame("a");
    net(dut).accept(H);
    net(dut).deliver(H, "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort");
    net(dut).drop(H, NetError::PeerClosed);
    EXPECT_EQ(dut.out(), "short");
    EXPECT_EQ(httpd(dut).malformed, 1u);
    EXPECT_TRUE(
        logged(dut, "closed after 5 body bytes, 45 short of its Content-Length; 5 bytes were written"));
}

TEST(HttpdMode, LongerBodyThanContentLengthIsCut) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    dut.frame("a");
    net(dut).accept(H);
    net(dut).deliver(H, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello, and more");
    EXPECT_EQ(dut.out(), "hello");
    EXPECT_EQ(httpd(dut).responses, 1u);
    EXPECT_EQ(httpd(dut).malformed, 1u);
    EXPECT_TRUE(logged(dut, "10 bytes after the end of the response ignored"));
}

TEST(HttpdMode, TenMegabyteBodyIsStreamedNotBuffered) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    dut.frame("a");
    net(dut).accept(H);
    net(dut).deliver(H, "HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n");
    EXPECT_EQ(dut.out(), "");
    const std::string chunk(4096, 'x');
    for (int i = 0; i < 2560; ++i) {
        net(dut).deliver(H, chunk);
        ASSERT_EQ(dut.out().size(), chunk.size()) << "written as it arrives, chunk " << i;
    }
    EXPECT_EQ(httpd(dut).responses, 1u);
    EXPECT_EQ(httpd(dut).bytes_to_serial, 10485760u);
}

TEST(HttpdMode, TlsParametersAreHandedToTheOpenWhenSslIsOn) {
    const std::string ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD", "AT+SSLEN=ON", "AT+SSLAUTH=PEER",
                   "AT+SSLCRT=0,-----BEGIN CERTIFICATE-----[0A]MIIB[0A]-----END CERTIFICATE-----[0A]"});
    dut.frame("a");
    const auto& link = net(dut).links[H];
    EXPECT_TRUE(link.tls);
    EXPECT_EQ(link.tls_auth, dtu::hal::TlsAuth::Peer);
    EXPECT_EQ(link.tls_ca_pem, ca);
    EXPECT_EQ(link.port, 80) << "spec httpd.md §5: the port is never changed implicitly";
    net(dut).accept(H);
    EXPECT_EQ(net(dut).stream(H).substr(0, 15), "GET /1.php?a HT") << "the same request, over TLS";
}

TEST(HttpdMode, TlsHandshakeFailureIsAConnectFailure) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD", "AT+SSLEN=ON"});
    dut.frame("a");
    dut.frame("b");
    net(dut).refuse(H, NetError::TlsFailed);
    EXPECT_EQ(httpd(dut).failures, 1u);
    EXPECT_TRUE(logged(dut, "connect failed: TLS handshake failed"));
    EXPECT_EQ(net(dut).links[H].opens, 2) << "the next frame is served";
    EXPECT_TRUE(net(dut).links[H].tls);
}

TEST(HttpdMode, ResponseBytesRestartTheNoDataTimer) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD", "AT+RSTIM=60", "AT+HTPTIM=100"});
    dut.advance(50000);
    dut.frame("a");
    net(dut).accept(H);
    net(dut).deliver(H, "HTTP/1.1 200 OK\r\n"); // a response byte at ~50 s
    dut.advance(59000);
    EXPECT_TRUE(dut.bench.system.resets.empty()) << "response bytes restart the 60 s";
    dut.advance(1000);
    ASSERT_EQ(dut.bench.system.resets.size(), 1u);
    EXPECT_EQ(dut.bench.system.resets[0], dtu::hal::ResetCause::NoData);
}

TEST(HttpdMode, NoDataTimerRunsFromTheStartWithoutResponses) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD", "AT+RSTIM=60"});
    dut.frame("a");
    net(dut).refuse(H); // failures are not data
    dut.advance(59700);
    EXPECT_TRUE(dut.bench.system.resets.empty());
    dut.advance(300);
    ASSERT_EQ(dut.bench.system.resets.size(), 1u);
    EXPECT_EQ(dut.bench.system.resets[0], dtu::hal::ResetCause::NoData);
}

TEST(HttpdMode, WithoutRegistrationFramesWaitForTheNetwork) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    net(dut).attach = false;
    net(dut).listener->on_attach_changed(false);
    dut.frame("while down");
    EXPECT_FALSE(net(dut).links.count(H)) << "no attempt without registration";
    EXPECT_EQ(httpd(dut).queued_frames, 1u);
    net(dut).attach = true;
    net(dut).listener->on_attach_changed(true);
    net(dut).accept(H);
    EXPECT_NE(net(dut).stream(H).find("?while down "), std::string::npos);
}

TEST(HttpdMode, RegistrationLostWhileConnectingRequeuesWhileSentFails) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    dut.frame("first");
    net(dut).attach = false;
    net(dut).listener->on_attach_changed(false); // still connecting: nothing was sent
    EXPECT_FALSE(net(dut).links[H].open);
    EXPECT_EQ(httpd(dut).failures, 0u);
    net(dut).attach = true;
    net(dut).listener->on_attach_changed(true);
    net(dut).accept(H);
    EXPECT_NE(net(dut).stream(H).find("?first "), std::string::npos) << "tried again";
    net(dut).attach = false;
    net(dut).listener->on_attach_changed(false); // sent: the server may have acted on it
    EXPECT_EQ(httpd(dut).failures, 1u);
    EXPECT_EQ(httpd(dut).queued_frames, 0u) << "not repeated";
}

TEST(HttpdMode, NotAttachedConnectFailureKeepsTheFrame) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    dut.frame("a");
    net(dut).attach = false;
    net(dut).refuse(H, NetError::NotAttached);
    EXPECT_EQ(httpd(dut).failures, 0u);
    EXPECT_EQ(httpd(dut).queued_frames, 1u);
    net(dut).attach = true;
    net(dut).listener->on_attach_changed(true);
    EXPECT_EQ(net(dut).links[H].opens, 2);
}

TEST(HttpdMode, CommandModeDiscardsResponseBytes) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    dut.frame("a");
    net(dut).accept(H);
    dut.enter_command();
    net(dut).deliver(H, response("while configuring"));
    EXPECT_EQ(dut.out(), "");
    EXPECT_EQ(httpd(dut).discarded_bytes, 17u);
    EXPECT_EQ(httpd(dut).responses, 1u);
}

TEST(HttpdMode, NetSocketsStayClosedInHttpdMode) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD"});
    EXPECT_FALSE(net(dut).links.count(0)) << "socket A belongs to NET mode";
    dut.frame("a");
    EXPECT_EQ(dut.bench.device->status().counters.data_bytes_dropped, 0u);
}
