// HTTPD client mode over a bad link: a server that never answers (AT+HTPTIM), a slow link and a
// link that goes away and comes back (G771 §2.3; spec httpd.md §3.2, §4; docs/link.md).
#include <gtest/gtest.h>

#include "httpd_device.hpp"
#include "net_peer.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

std::string response(std::string_view body) {
    return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
           std::string(body);
}

/// Accept the next request and answer it with body; returns the request's head.
std::string answer(TcpServer& server, std::string_view body) {
    if (!server.accept(10s)) return "no connection";
    const std::string head = server.read_until("\r\n\r\n", 5s);
    server.write(response(body));
    return head;
}

TEST(HttpdLink, ServerThatNeverAnswersTimesOutAfterHtptim) {
    TcpServer server;
    HttpdDevice dut(server.port(), {"AT+HTPTIM=1"});
    dut.frame("a");
    ASSERT_TRUE(server.accept(5s));
    EXPECT_EQ(server.read_until("\r\n\r\n", 3s).substr(0, 13), "GET /1.php?a ");
    server.read_until("never sent", 5s);
    EXPECT_TRUE(server.peer_closed()) << "the device closes when HTPTIM expires";
    EXPECT_TRUE(wait_until([&] { return dut.httpd_count("timeouts") == 1; }, 3s));
    EXPECT_EQ(dut.httpd().value("last_error").toString(), "no complete response within 1 s (AT+HTPTIM)");
    EXPECT_TRUE(dut.port->expect_silence(200ms)) << "nothing written: " << dut.port->buffered();
    dut.frame("b");
    EXPECT_EQ(answer(server, "after the timeout").substr(0, 13), "GET /1.php?b ");
    EXPECT_EQ(dut.port->read_until("timeout", 5s), "after the timeout");
}

TEST(HttpdLink, FramesWrittenDuringARequestAreServedInOrder) {
    TcpServer server;
    HttpdDevice dut(server.port(), {});
    dut.frame("one");
    dut.frame("two");
    dut.frame("three");
    EXPECT_EQ(answer(server, "1,").substr(0, 15), "GET /1.php?one ");
    EXPECT_EQ(answer(server, "2,").substr(0, 15), "GET /1.php?two ");
    EXPECT_EQ(answer(server, "3").substr(0, 17), "GET /1.php?three ");
    EXPECT_EQ(dut.port->read_until("1,2,3", 5s), "1,2,3");
    EXPECT_EQ(dut.httpd_count("queue_dropped"), 0);
}

TEST(HttpdLink, WorksUnder300msRoundTrip) {
    TcpServer server;
    HttpdDevice dut(server.port(), {"AT+HTPTIM=10"});
    ASSERT_TRUE(dut.put_link(R"({"upstream": {"latency_ms": 150}, "downstream": {"latency_ms": 150}})"));
    dut.frame("data=slow");
    EXPECT_EQ(answer(server, "slow but sure").substr(0, 21), "GET /1.php?data=slow ");
    EXPECT_EQ(dut.port->read_until("sure", 10s), "slow but sure");
    EXPECT_TRUE(wait_until([&] { return dut.httpd_count("responses") == 1; }, 3s));
    EXPECT_EQ(dut.httpd_count("timeouts"), 0);
}

TEST(HttpdLink, FramesWrittenWhileTheLinkIsDownGoOutWhenItIsBack) {
    TcpServer server;
    HttpdDevice dut(server.port(), {});
    ASSERT_TRUE(dut.put_link(R"({"attached": false})"));
    dut.frame("while down");
    EXPECT_TRUE(wait_until([&] { return dut.httpd_count("queued_frames") == 1; }, 3s));
    EXPECT_FALSE(server.accept(300ms)) << "no attempt without registration";
    ASSERT_TRUE(dut.put_link(R"({"attached": true})"));
    EXPECT_EQ(answer(server, "delivered late").substr(0, 22), "GET /1.php?while down ");
    EXPECT_EQ(dut.port->read_until("late", 5s), "delivered late");
    EXPECT_EQ(dut.httpd_count("failures"), 0);
}

TEST(HttpdLink, RequestInFlightWhenTheLinkDropsFailsAndTheNextIsServed) {
    TcpServer server;
    HttpdDevice dut(server.port(), {});
    ASSERT_TRUE(request_arrives(dut, server, "first"));
    ASSERT_TRUE(dut.put_link(R"({"attached": false})"));
    server.read_until("never sent", 5s);
    EXPECT_TRUE(server.peer_closed()) << "registration lost: the connection is gone";
    EXPECT_TRUE(wait_until([&] { return dut.httpd_count("failures") == 1; }, 3s));
    EXPECT_EQ(dut.httpd().value("last_error").toString(), "connection lost: network registration lost");
    ASSERT_TRUE(dut.put_link(R"({"attached": true})"));
    dut.frame("second");
    EXPECT_EQ(answer(server, "back").substr(0, 18), "GET /1.php?second ");
    EXPECT_EQ(dut.port->read_until("back", 5s), "back");
    EXPECT_EQ(dut.httpd_count("requests"), 2) << "the first request is not repeated";
}

} // namespace
} // namespace dtu::itest
