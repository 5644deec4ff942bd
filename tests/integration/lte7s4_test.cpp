// The USR-LTE-7S4 (dtu-sim --profile lte7s4) end to end: its PTY on one side, a real TCP server
// (NET) or a real HTTP server (HTTPD) on the other, the control API for the reset counts
// (7S4 §2.1.1, §2.1.2, §3.1.2-§3.1.4, §3.1.7).
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include <QJsonObject>

#include "at_session.hpp"
#include "control_client.hpp"
#include "net_peer.hpp"
#include "serial_client.hpp"
#include "sim_process.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kStart7s4 = "\r\nUSR-LTE-7S4 V1.0.5\r\n";

/// A 7S4 on its PTY with a control API, configured in command mode and restarted with AT+Z.
struct Lte7s4 {
    explicit Lte7s4(std::initializer_list<std::string> commands = {})
        : sim({"--profile", "lte7s4", "--control", "127.0.0.1:0"}) {
        EXPECT_TRUE(sim.start());
        port = std::make_unique<SerialClient>(sim.serial());
        EXPECT_EQ(port->read_until(kStart7s4, 3s), kStart7s4);
        enter_command_mode(*port);
        for (const auto& c : commands)
            EXPECT_EQ(at_command(*port, c), "\r\nOK\r\n") << c;
        restart("AT+Z");
    }
    /// In command mode: the query's answer line, up to the blank line that ends it (no OK).
    std::string query(const std::string& line) { return at_command(*port, line, "\r\n\r\n"); }
    /// A restart command in command mode, then its start message.
    void restart(const std::string& command) {
        EXPECT_EQ(at_command(*port, command), "\r\nOK\r\n") << command;
        EXPECT_EQ(port->read_until(kStart7s4, 5s), kStart7s4);
    }
    void frame(std::string_view bytes) {
        EXPECT_TRUE(port->expect_silence(100ms)) << port->buffered();
        port->write(bytes);
    }
    QJsonObject status() const { return Control(sim.control()).get("/api/v1/status").json; }

    SimProcess sim;
    std::unique_ptr<SerialClient> port;
};

std::string socka(const TcpServer& s) { return "AT+SOCKA=TCP,127.0.0.1," + std::to_string(s.port()); }

TEST(Lte7s4EndToEnd, NetEchoBothWays) {
    TcpServer server;
    Lte7s4 dut({socka(server), "AT+HEARTEN=OFF"});
    ASSERT_TRUE(server.accept(5s));
    dut.frame("hello from the serial port");
    EXPECT_EQ(server.read_until("port", 3s), "hello from the serial port");
    server.write("hello from the server");
    EXPECT_EQ(dut.port->read_until("server", 3s), "hello from the server");
}

TEST(Lte7s4EndToEnd, QueryAnswersAndErrorsOnThePty) {
    Lte7s4 dut;
    enter_command_mode(*dut.port);
    EXPECT_EQ(dut.query("AT+WKMOD"), "\r\n+WKMOD:NET\r\n\r\n");
    EXPECT_EQ(dut.query("AT+HTPURL?"), "\r\n+HTPURL:/1.php[3F]\r\n\r\n");
    EXPECT_EQ(at_command(*dut.port, "AT+S", "Err2\r\n"), "\r\nErr2\r\n") << "no AT+S on the 7S4";
    EXPECT_EQ(at_command(*dut.port, "AT+UARTFT=10", "Err4\r\n"), "\r\nErr4\r\n");
    EXPECT_EQ(at_command(*dut.port, "HELLO", "Err1\r\n"), "\r\nErr1\r\n");
    EXPECT_EQ(at_command(*dut.port, "AT+VER=1", "Err3\r\n"), "\r\nErr3\r\n");
}

TEST(Lte7s4EndToEnd, SetsPersistAcrossAPowerCycleWithoutSave) {
    TcpServer first, second;
    Lte7s4 dut({socka(first), "AT+HEARTEN=OFF"});
    ASSERT_TRUE(first.accept(5s));
    enter_command_mode(*dut.port);
    EXPECT_EQ(at_command(*dut.port, socka(second)), "\r\nOK\r\n");
    ASSERT_TRUE(dut.sim.restart()); // dtu-sim stopped and started again: a power cycle
    dut.port = std::make_unique<SerialClient>(dut.sim.serial());
    EXPECT_EQ(dut.port->read_until(kStart7s4, 3s), kStart7s4);
    ASSERT_TRUE(second.accept(5s)) << "the new server is in effect after the power cycle";
    dut.frame("after power");
    EXPECT_EQ(second.read_until("power", 3s), "after power");
}

TEST(Lte7s4EndToEnd, ZAndRebootAreCountedApart) {
    Lte7s4 dut; // one AT+Z already
    enter_command_mode(*dut.port);
    dut.restart("AT+REBOOT");
    enter_command_mode(*dut.port);
    dut.restart("AT+Z");
    const QJsonObject resets = dut.status().value("resets").toObject();
    EXPECT_EQ(resets.value("AT+Z").toInt(), 2);
    EXPECT_EQ(resets.value("AT+REBOOT").toInt(), 1);
    EXPECT_EQ(dut.status().value("boot_count").toInt(), 4);
}

TEST(Lte7s4EndToEnd, SerialAndNetworkAtWithThePasswordAlone) {
    TcpServer server;
    Lte7s4 dut({socka(server), "AT+HEARTEN=OFF"});
    ASSERT_TRUE(server.accept(5s));
    dut.frame("usr.cnAT+VER\r");
    EXPECT_EQ(dut.port->read_until("\r\n\r\n", 3s), "\r\n+VER:V1.0.5\r\n\r\n");
    EXPECT_TRUE(server.silent_for(200ms)) << "serial AT is not data";
    server.write("usr.cnAT+SOCKALK\r");
    EXPECT_EQ(server.read_until("\r\n\r\n", 3s), "\r\n+SOCKALK:ON\r\n\r\n");
}

/// An HTTP server that keeps the last request.
class HttpPeer {
public:
    HttpPeer() {
        auto remember = [this](const httplib::Request& req, httplib::Response& res) {
            std::lock_guard lock(mutex_);
            target_ = req.target;
            body_ = req.body;
            content_length_ = req.get_header_value("Content-Length");
            ++requests_;
            res.set_content("answer:" + std::to_string(req.body.size()), "text/plain");
        };
        server_.Get(".*", remember);
        server_.Post(".*", remember);
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
    }
    ~HttpPeer() {
        wait_until([this] { return server_.is_running(); }, 5s);
        server_.stop();
        thread_.join();
    }
    int port() const { return port_; }
    int requests() {
        std::lock_guard lock(mutex_);
        return requests_;
    }
    std::string target() {
        std::lock_guard lock(mutex_);
        return target_;
    }
    std::string body() {
        std::lock_guard lock(mutex_);
        return body_;
    }
    std::string content_length() {
        std::lock_guard lock(mutex_);
        return content_length_;
    }

private:
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
    std::mutex mutex_;
    std::string target_, body_, content_length_;
    int requests_ = 0;
};

std::string htpsv(const HttpPeer& s) { return "AT+HTPSV=127.0.0.1," + std::to_string(s.port()); }

TEST(Lte7s4EndToEnd, HttpdGetTheManualsWay) {
    HttpPeer server;
    Lte7s4 dut({"AT+WKMOD=HTTPD", htpsv(server), "AT+HTPURL=/1.php[3F]", "AT+HTPTO=5"});
    dut.frame("data=www.usr.cn");
    EXPECT_EQ(dut.port->read_until("answer:0", 5s), "answer:0") << "HTPFLT=ON: the body only";
    EXPECT_EQ(server.target(), "/1.php?data=www.usr.cn");
}

// 7S4 §2.1.2: the assembled request is at most 1000 bytes; a longer frame is cut to fit.
TEST(Lte7s4EndToEnd, HttpdPostIsCutToAThousandBytes) {
    HttpPeer server;
    Lte7s4 dut({"AT+WKMOD=HTTPD", htpsv(server), "AT+HTPTP=POST", "AT+HTPURL=/p", "AT+HTPHD="});
    dut.frame(std::string(1024, 'z'));
    const std::string head = "POST /p HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) +
                             "\r\nContent-Length: 000\r\n\r\n";
    const std::size_t fits = 1000 - head.size();
    const std::string expected = "answer:" + std::to_string(fits);
    EXPECT_EQ(dut.port->read_until(expected, 5s), expected);
    EXPECT_EQ(server.body(), std::string(fits, 'z'));
    EXPECT_EQ(server.content_length(), std::to_string(fits)) << "still a well-formed request";
    EXPECT_EQ(dut.status().value("httpd").toObject().value("truncated_bytes").toInt(),
              static_cast<int>(1024 - fits));
}

} // namespace
} // namespace dtu::itest
