// HTTPD client mode end to end against a real HTTP server: dtu-sim's PTY on one side, an HTTP
// server in the test that answers like test.usr.cn/1.php and /2.php (732 §2.1.2 说明: they return
// the data following "data=") on the other (G771 §2.3; spec httpd.md).
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "httpd_device.hpp"
#include "net_peer.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

/// test.usr.cn's behaviour: GET /1.php?data=X and POST /2.php with body data=X answer X.
class UsrTestServer {
public:
    UsrTestServer() {
        server_.Get("/1.php", [this](const httplib::Request& req, httplib::Response& res) {
            remember(req);
            res.set_content(req.get_param_value("data"), "text/html");
        });
        server_.Post("/2.php", [this](const httplib::Request& req, httplib::Response& res) {
            remember(req);
            const auto at = req.body.find("data=");
            res.set_content(at == std::string::npos ? "" : req.body.substr(at + 5), "text/html");
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        // Bound means listening: a connection made before the thread runs waits in the backlog.
        thread_ = std::thread([this] { server_.listen_after_bind(); });
    }
    ~UsrTestServer() {
        wait_until([this] { return server_.is_running(); }, 5s); // stop() before listen would be lost
        server_.stop();
        thread_.join();
    }
    std::uint16_t port() const { return static_cast<std::uint16_t>(port_); }
    /// What the last request looked like to the server.
    std::string last(const std::string& what) {
        std::lock_guard lock(mutex_);
        return last_[what];
    }
    int requests() const { return requests_; }

private:
    void remember(const httplib::Request& req) {
        std::lock_guard lock(mutex_);
        last_["method"] = req.method;
        last_["target"] = req.target;
        last_["host"] = req.get_header_value("Host");
        last_["accept"] = req.get_header_value("Accept");
        last_["accept-language"] = req.get_header_value("Accept-Language");
        last_["body"] = req.body;
        ++requests_;
    }

    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
    std::mutex mutex_;
    std::map<std::string, std::string> last_;
    std::atomic<int> requests_{0};
};

TEST(HttpdEndToEnd, TheManualsGetExample) {
    UsrTestServer server;
    HttpdDevice dut(server.port(), {"AT+HTPTP=\"get\"", "AT+HTPURL=\"/1.php?\"", kManualHeaders});
    dut.frame("data=www.usr.cn");
    EXPECT_EQ(dut.port->read_until("www.usr.cn", 5s), "www.usr.cn") << "732 §2.1.2 step 3";
    EXPECT_TRUE(dut.port->expect_silence(300ms)) << "only the body (HTPPK=ON): " << dut.port->buffered();
    EXPECT_EQ(server.last("method"), "GET");
    EXPECT_EQ(server.last("target"), "/1.php?data=www.usr.cn");
    EXPECT_EQ(server.last("host"), "127.0.0.1:" + std::to_string(server.port()));
    EXPECT_EQ(server.last("accept"), "text/html");
    EXPECT_EQ(server.last("accept-language"), "zh-CN");
    // A second frame is a second request on a new connection.
    dut.frame("data=again");
    EXPECT_EQ(dut.port->read_until("again", 5s), "again");
    EXPECT_EQ(server.requests(), 2);
    EXPECT_EQ(dut.httpd_count("responses"), 2);
    EXPECT_EQ(dut.httpd_count("bytes_to_serial"), 15);
}

TEST(HttpdEndToEnd, PostExample) {
    UsrTestServer server;
    HttpdDevice dut(server.port(), {"AT+HTPTP=POST", "AT+HTPURL=/2.php",
                                    "AT+HTPHD=Content-Type: application/x-www-form-urlencoded[0D][0A]"});
    dut.frame("data=www.usr.cn");
    EXPECT_EQ(dut.port->read_until("www.usr.cn", 5s), "www.usr.cn");
    EXPECT_EQ(server.last("method"), "POST");
    EXPECT_EQ(server.last("target"), "/2.php");
    EXPECT_EQ(server.last("body"), "data=www.usr.cn");
}

TEST(HttpdEndToEnd, HeaderFilterOffShowsTheWholeResponse) {
    UsrTestServer server;
    HttpdDevice dut(server.port(), {"AT+HTPPK=OFF"});
    dut.frame("data=www.usr.cn");
    const std::string got = dut.port->read_until("\r\n\r\nwww.usr.cn", 5s);
    EXPECT_EQ(got.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << got;
    EXPECT_NE(got.find("Content-Length: 10\r\n"), std::string::npos) << got;
}

TEST(HttpdEndToEnd, StatusShowsTheHttpdCounters) {
    UsrTestServer server;
    HttpdDevice dut(server.port(), {});
    dut.frame("data=x");
    EXPECT_EQ(dut.port->read_until("x", 5s), "x");
    EXPECT_TRUE(wait_until([&] { return dut.httpd_count("responses") == 1; }, 3s));
    const QJsonObject h = dut.httpd();
    for (const char* key : {"requests", "responses", "timeouts", "failures", "malformed", "bytes_to_serial",
                            "discarded_bytes", "queued_frames", "queue_dropped", "last_error"})
        EXPECT_TRUE(h.contains(key)) << key << " missing from httpd";
    EXPECT_EQ(h.value("requests").toInteger(), 1);
    EXPECT_EQ(h.value("bytes_to_serial").toInteger(), 1);
    EXPECT_EQ(h.value("last_error").toString(), "");
    EXPECT_EQ(dut.status().value("work_mode").toString(), "HTTPD");
}

TEST(HttpdEndToEnd, ConnectRefusedWritesNothing) {
    TcpServer closed;
    const std::uint16_t port = closed.port();
    closed.stop_listening();
    HttpdDevice dut(port, {});
    dut.frame("data=lost");
    EXPECT_TRUE(wait_until([&] { return dut.httpd_count("failures") == 1; }, 5s));
    EXPECT_EQ(dut.httpd().value("last_error").toString(), "connect failed: connection refused");
    EXPECT_TRUE(dut.port->expect_silence(200ms)) << dut.port->buffered();
}

TEST(HttpdEndToEnd, FailedTlsHandshakeIsAConnectFailure) {
    // With AT+SSLEN=ON the request goes over TLS (G771 §2.6.2). A plain-text server cannot complete
    // a handshake: the connect fails as TlsFailed, and nothing reaches the serial port.
    TcpServer plain;
    HttpdDevice dut(plain.port(), {"AT+SSLEN=ON"});
    dut.frame("data=secret");
    bool answered = false;
    EXPECT_TRUE(wait_until(
        [&] {
            if (!answered && plain.accept(10ms)) { // only if the module's TLS gets as far as a connection
                plain.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nplain");
                plain.close_connection();
                answered = true;
            }
            return dut.httpd_count("failures") == 1;
        },
        15s));
    EXPECT_EQ(dut.httpd().value("last_error").toString(), "connect failed: TLS handshake failed");
    EXPECT_EQ(dut.httpd_count("requests"), 0);
    EXPECT_TRUE(dut.port->expect_silence(200ms)) << dut.port->buffered();
}

} // namespace
} // namespace dtu::itest
