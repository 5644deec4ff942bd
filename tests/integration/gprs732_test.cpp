// The USR-GPRS232-732 profile end to end (`dtu-sim --profile gprs732`): the PTY on one side, real
// peers on the other — TCP servers for NET and UDC, an HTTP server for HTTPD, the control API's
// SMS centre for SMS — and the CMD work mode (732 §2.1, §3.1.2-§3.1.5, §3.1.7.5).
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include <QJsonArray>
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

constexpr std::string_view kStart732 = "\r\nUSR-GM3 V3.0.0\r\n"; // 732 §3.1.7.11's default

/// 732 §3.1.2: more than 200 ms quiet, "+++", 'a', 'a', "+ok".
void enter_command_732(ByteStream& port) {
    ASSERT_TRUE(port.expect_silence(300ms)) << "unexpected output: " << port.buffered();
    port.write("+++");
    EXPECT_EQ(port.read_until("a", 2s), "a");
    port.write("a");
    EXPECT_EQ(port.read_until("+ok\r\n", 2s), "+ok\r\n");
}

/// A 732 on its PTY with a control API, configured in command mode, saved and restarted.
struct Device732 {
    explicit Device732(std::initializer_list<std::string> commands)
        : sim({"--profile", "gprs732", "--control", "127.0.0.1:0"}) {
        EXPECT_TRUE(sim.start());
        port = std::make_unique<SerialClient>(sim.serial());
        EXPECT_EQ(port->read_until(kStart732, 3s), kStart732);
        if (commands.size() == 0) return;
        enter_command_732(*port);
        for (const auto& c : commands)
            EXPECT_EQ(at_command(*port, c), "\r\nOK\r\n") << c;
        EXPECT_EQ(at_command(*port, "AT+S"), "\r\nOK\r\n");
        EXPECT_EQ(port->read_until(kStart732, 3s), kStart732);
    }
    /// A serial frame: quiet before it (the 732's packing time is 200 ms, 732 §2.2.2).
    void frame(std::string_view bytes) {
        EXPECT_TRUE(port->expect_silence(250ms)) << port->buffered();
        port->write(bytes);
    }
    Control api() const { return Control(sim.control()); }

    SimProcess sim;
    std::unique_ptr<SerialClient> port;
};

/// A UDC frame as spec field-evidence §3 draws it, written out here independently of the firmware:
/// 7B, type, length (whole frame, big-endian), the 11-byte ID, body, 7B.
std::string udc(unsigned char type, std::string_view body = {}) {
    const std::size_t length = 16 + body.size();
    std::string f{'\x7B', static_cast<char>(type), static_cast<char>(length >> 8),
                  static_cast<char>(length & 0xFF)};
    return f + "00000000001" + std::string(body) + "\x7B";
}

std::string sock_a(const TcpServer& s) {
    return "AT+SOCKA=\"TCP\",\"127.0.0.1\"," + std::to_string(s.port());
}

TEST(Gprs732Net, TheManualsNetProcedureCarriesDataBothWays) {
    TcpServer server;
    // 732 §2.1.1 steps (1)-(4), aimed at the test's server.
    Device732 dut({"AT+WKMOD=\"NET\"", "AT+SOCKAEN=\"on\"", sock_a(server), "AT+HEARTEN=\"off\""});
    ASSERT_TRUE(server.accept(5s));
    dut.frame("from the serial port");
    EXPECT_EQ(server.read_until("port", 3s), "from the serial port");
    server.write("from the server");
    EXPECT_EQ(dut.port->read_until("server", 3s), "from the server");
}

TEST(Gprs732Net, NetworkAtUsesThePasswordAndAHash) {
    TcpServer server;
    Device732 dut({sock_a(server), "AT+HEARTEN=\"off\""});
    ASSERT_TRUE(server.accept(5s));
    server.write("usr.cn#AT+VER\r"); // 732 §3.1.4
    EXPECT_EQ(server.read_until("OK\r\n", 3s), "\r\n+VER:V3.0.0\r\n\r\nOK\r\n");
    server.write("usr.cn#AT+SOCKA?\r");
    EXPECT_EQ(server.read_until("OK\r\n", 3s),
              "\r\n+SOCKA: TCP,\"127.0.0.1\"," + std::to_string(server.port()) + "\r\n\r\nOK\r\n");
    EXPECT_TRUE(dut.port->expect_silence(300ms)) << "not forwarded to the serial port";
}

TEST(Gprs732Net, SerialAtWhenUatenIsOn) {
    TcpServer server;
    Device732 dut({sock_a(server), "AT+HEARTEN=\"off\"", "AT+UATEN=\"on\""});
    ASSERT_TRUE(server.accept(5s));
    dut.frame("usr.cn#AT+VER\r"); // 732 §3.1.3
    EXPECT_EQ(dut.port->read_until("OK\r\n", 3s), "\r\n+VER:V3.0.0\r\n\r\nOK\r\n");
    EXPECT_TRUE(server.silent_for(300ms)) << "a serial AT command is not data";
}

TEST(Gprs732Net, RegistrationAndHeartbeatOnTheWire) {
    TcpServer server;
    // 732 §2.3.1 and §2.3.2's procedures with a one-second heartbeat.
    Device732 dut({sock_a(server), "AT+REGEN=\"on\"", "AT+REGTP=\"REGDT\"",
                   "AT+REGDT=\"7777772E7573722E636E\"", "AT+REGSND=\"link\"", "AT+HEARTEN=\"on\"",
                   "AT+HEARTTP=\"NET\"", "AT+HEARTDT=\"4842\"", "AT+HEARTTM=1"});
    ASSERT_TRUE(server.accept(5s));
    EXPECT_EQ(server.read_n(10, 3s), "www.usr.cn");
    EXPECT_EQ(server.read_n(2, 3s), "HB") << "after a second without data";
}

TEST(Gprs732Cmd, WkmodCmdKeepsTheSerialPortInCommandMode) {
    Device732 dut({"AT+WKMOD=\"CMD\""});
    // No "+++": the port is in AT command mode from the start (732 §3.1.7.5).
    EXPECT_EQ(at_command(*dut.port, "AT+WKMOD"), "\r\n+WKMOD:CMD\r\n\r\nOK\r\n");
    EXPECT_EQ(at_command(*dut.port, "AT+ENTM"), "\r\nOK\r\n");
    EXPECT_EQ(at_command(*dut.port, "AT+CSQ").rfind("\r\n+CSQ: ", 0), 0u) << "732 §3.1.7.46";
}

TEST(Gprs732Udc, LoginDataAndHeartbeatInUdcFrames) {
    TcpServer server;
    // 732 §2.1.4.1's procedure, aimed at the test's server.
    Device732 dut({"AT+WKMOD=\"UDC\"", "AT+SOCKAEN=\"on\"", sock_a(server), "AT+HEARTEN=\"on\"",
                   "AT+HEARTTM=1", "AT+REGEN=\"ON\"", "AT+REGTP=\"UDC\"",
                   "AT+REGDT=\"3030303030303030303031\""});
    ASSERT_TRUE(server.accept(5s));
    const std::string login = server.read_n(22, 3s);
    ASSERT_EQ(login.size(), 22u);
    EXPECT_EQ(login.substr(0, 4), std::string("\x7B\x03\x00\x16", 4));
    EXPECT_EQ(login.substr(4, 11), "00000000001");
    EXPECT_EQ(login.back(), '\x7B');
    server.write(udc(0x83)); // login answered
    dut.frame("meter 42");
    EXPECT_EQ(server.read_n(24, 3s), udc(0x09, "meter 42")) << "data up";
    server.write(udc(0x89, "relay on")); // server data
    EXPECT_EQ(dut.port->read_until("relay on", 3s), "relay on") << "only the body reaches the serial port";
    EXPECT_EQ(server.read_n(16, 3s), udc(0x01)) << "heartbeat after 1 s idle";
}

TEST(Gprs732Httpd, TheManualsGetExample) {
    httplib::Server http;
    std::string target, accept_language;
    http.Get("/1.php", [&](const httplib::Request& req, httplib::Response& res) {
        target = req.target;
        accept_language = req.get_header_value("Accept-Language");
        res.set_content(req.get_param_value("data"), "text/html"); // test.usr.cn/1.php (732 §2.1.2)
    });
    const int http_port = http.bind_to_any_port("127.0.0.1");
    std::thread runner([&] { http.listen_after_bind(); });
    {
        // 732 §2.1.2 steps (1)-(5) with the test's server.
        Device732 dut({"AT+WKMOD=\"HTTPD\"", "AT+HTPTP=\"get\"",
                       "AT+HTPSV=\"127.0.0.1\"," + std::to_string(http_port), "AT+HTPURL=\"/1.php?\"",
                       "AT+HTPHD=\"Accept:text/html[0D][0A]Accept-Language:zh-CN[0D][0A]\""});
        dut.frame("data=www.usr.cn");
        EXPECT_EQ(dut.port->read_until("www.usr.cn", 5s), "www.usr.cn") << "step (7)";
        EXPECT_EQ(target, "/1.php?data=www.usr.cn");
        EXPECT_EQ(accept_language, "zh-CN");
    }
    wait_until([&] { return http.is_running(); }, 5s);
    http.stop();
    runner.join();
}

TEST(Gprs732Sms, TheManualsSmsProcedure) {
    // 732 §2.1.3: DSTNUM, WKMOD "SMS", AT+S; serial data goes to the target phone, its SMS to the port.
    Device732 dut({"AT+DSTNUM=\"13800138000\"", "AT+WKMOD=\"SMS\""});
    Control api = dut.api();
    dut.frame("pump status?");
    QJsonArray out;
    ASSERT_TRUE(wait_until(
        [&] { return (out = api.get("/api/v1/sms/outbox").json.value("messages").toArray()).size() >= 1; },
        5s));
    EXPECT_EQ(out.at(0).toObject().value("to").toString().toStdString(), "13800138000");
    EXPECT_EQ(out.at(0).toObject().value("text").toString().toStdString(), "pump status?");
    const QJsonObject sms{{"from", "13800138000"}, {"text", "pump on"}};
    EXPECT_EQ(api.post("/api/v1/sms", text(sms)).status / 100, 2);
    EXPECT_EQ(dut.port->read_until("pump on", 5s), "pump on");
}

TEST(Gprs732Sms, SmsAtTakesSeveralCommandsSeparatedBySemicolons) {
    Device732 dut({});
    Control api = dut.api();
    // 732 §3.1.5 说明 (firmware 3.0+): several commands in one SMS, each ending with ';'.
    const QJsonObject sms{{"from", "13900139000"}, {"text", "usr.cn#AT+VER;AT+WKMOD?;"}};
    EXPECT_EQ(api.post("/api/v1/sms", text(sms)).status / 100, 2);
    QJsonArray out;
    ASSERT_TRUE(wait_until(
        [&] { return (out = api.get("/api/v1/sms/outbox").json.value("messages").toArray()).size() >= 1; },
        5s));
    const std::string reply = out.at(0).toObject().value("text").toString().toStdString();
    EXPECT_NE(reply.find("+VER:V3.0.0"), std::string::npos) << reply;
    EXPECT_NE(reply.find("+WKMOD:NET"), std::string::npos) << reply;
    EXPECT_EQ(out.at(0).toObject().value("to").toString().toStdString(), "13900139000");
}

} // namespace
} // namespace dtu::itest
