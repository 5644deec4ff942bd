// The USR-K7's web page (K7 §4.1.4, §5.2; spec k7-ethernet §12) against dtu-sim --profile k7: a
// real HTTP client (cpp-httplib) and headless Chromium (tests/integration/web_browser.py) on the ready
// file's "tcp/80", the device's PTY on the other side.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <httplib.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "child_process.hpp"
#include "control_client.hpp"
#include "net_client.hpp"
#include "serial_client.hpp"
#include "sim_process.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;

struct K7Web {
    K7Web() : sim({"--profile", "k7", "--control", "127.0.0.1:0"}) {
        EXPECT_TRUE(sim.start());
        port = std::make_unique<SerialClient>(sim.serial());
        web_port = sim.port("tcp/80");
    }
    /// A client of the web page as it is bound now (after a restart it may be another port).
    std::unique_ptr<httplib::Client> client(bool login = true) const {
        auto c = std::make_unique<httplib::Client>("127.0.0.1", sim.port("tcp/80"));
        c->set_connection_timeout(2s);
        c->set_read_timeout(5s);
        if (login) c->set_basic_auth("admin", "admin");
        return c;
    }
    QJsonObject web() const {
        return Control(sim.control()).get("/api/v1/status").json.value("web").toObject();
    }
    int counter(const char* name) const { return web().value(name).toInt(-1); }
    /// One query in command mode on the PTY (K7 §5.3.1: "+++", 'a', "+ok"), back to transparent mode.
    std::string query(const std::string& line) {
        EXPECT_TRUE(port->expect_silence(100ms)) << port->buffered();
        port->write("+++");
        EXPECT_EQ(port->read_until("a", 2s), "a");
        port->write("a");
        EXPECT_EQ(port->read_until("+ok", 2s), "+ok");
        port->write(line + "\r");
        port->read_until("\r\n+OK", 2s); // the echo (K7 §5.3.5 #1: on), then the answer
        std::string got = "+OK" + port->read_until("\r\n", 2s);
        port->write("AT+ENTM\r");
        port->read_until("+OK\r\n", 2s);
        return got.substr(0, got.size() - 2);
    }

    SimProcess sim;
    std::unique_ptr<SerialClient> port;
    std::uint16_t web_port = 0;
};

TEST(K7Web, ListensOnTheWebportOfThePortsMap) {
    K7Web dut;
    ASSERT_NE(dut.web_port, 0) << "ready file: " << dut.sim.err();
    // Port 80 cannot be bound without privilege: a free one instead, with the log line.
    if (dut.web_port != 80)
        EXPECT_TRUE(wait_until(
            [&] { return dut.sim.err().find("net: tcp/80 cannot be bound") != std::string::npos; }, 5s))
            << dut.sim.err();
    EXPECT_TRUE(dut.web().value("serving").toBool());
    EXPECT_EQ(dut.counter("port"), 80);
}

TEST(K7Web, WithoutOrWithWrongCredentialsIs401) {
    K7Web dut;
    ASSERT_NE(dut.web_port, 0);
    auto anonymous = dut.client(false);
    auto none = anonymous->Get("/");
    ASSERT_TRUE(none);
    EXPECT_EQ(none->status, 401);
    EXPECT_EQ(none->get_header_value("WWW-Authenticate").rfind("Basic realm=", 0), 0u);
    auto wrong = dut.client(false);
    wrong->set_basic_auth("admin", "nimda");
    auto refused = wrong->Get("/serial");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401);
    EXPECT_EQ(refused->body.find("115200"), std::string::npos) << "no page without the login";
    EXPECT_EQ(dut.counter("login_failures"), 2);
}

TEST(K7Web, StatusPageShowsMacAndFirmware) {
    K7Web dut;
    ASSERT_NE(dut.web_port, 0);
    auto r = dut.client()->Get("/");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(r->body.find("<th>MAC address</th><td>D8B04C000007</td>"), std::string::npos) << r->body;
    EXPECT_NE(r->body.find("<th>Firmware revision</th><td>"), std::string::npos);
    EXPECT_NE(r->body.find("<th>Conn status (ETH) A</th><td>LISTEN</td>"), std::string::npos)
        << "factory socket A: TCP server on port 23 (K7 §1.2)";
}

TEST(K7Web, PostedBaudIsTheUartAfterTheRestart) {
    K7Web dut;
    ASSERT_NE(dut.web_port, 0);
    auto c = dut.client();
    auto saved = c->Post("/serial", "UART.baud=9600&UARTTL.time=20", "application/x-www-form-urlencoded");
    ASSERT_TRUE(saved);
    EXPECT_EQ(saved->status, 303);
    EXPECT_EQ(saved->get_header_value("Location"), "/serial?saved=1");
    EXPECT_EQ(dut.counter("forms_saved"), 1);
    EXPECT_EQ(dut.query("AT+UART?"), "+OK=9600,8,1,NONE,NFC") << "kept at once (no AT+S on the K7)";

    auto restart = c->Post("/reboot", "", "application/x-www-form-urlencoded");
    ASSERT_TRUE(restart);
    EXPECT_EQ(restart->status, 200) << "the answer comes before the restart";
    ASSERT_TRUE(
        wait_until([&] { return dut.sim.err().find("web: restart asked") != std::string::npos; }, 5s));
    ASSERT_TRUE(wait_until(
        [&] {
            return Control(dut.sim.control())
                       .get("/api/v1/status")
                       .json.value("resets")
                       .toObject()
                       .value("AT+Z")
                       .toInt() == 1;
        },
        5s));
    ASSERT_TRUE(wait_until(
        [&] { return dut.web().value("serving").toBool() && dut.counter("forms_saved") == 0; }, 5s))
        << "the new firmware serves again; its counters start from zero";
    EXPECT_EQ(dut.query("AT+UART?"), "+OK=9600,8,1,NONE,NFC");
    auto after = dut.client()->Get("/serial");
    ASSERT_TRUE(after);
    EXPECT_NE(after->body.find("name=\"UART.baud\" value=\"9600\""), std::string::npos);
}

TEST(K7Web, BadFormsAreRefusedAndTheNextRequestIsServed) {
    K7Web dut;
    ASSERT_NE(dut.web_port, 0);
    auto c = dut.client();
    auto bad = c->Post("/serial", "UART.baud=9600&SOCKA.port=70000", "application/x-www-form-urlencoded");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
    EXPECT_NE(bad->body.find("Local/remote port refused"), std::string::npos) << bad->body;
    auto unknown = c->Post("/serial", "UART.speed=1", "application/x-www-form-urlencoded");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 400);
    EXPECT_EQ(dut.counter("form_rejects"), 2);
    EXPECT_EQ(dut.query("AT+UART?"), "+OK=115200,8,1,NONE,NFC") << "nothing of a refused form is kept";

    auto oversize = dut.client()->Post("/serial", "MID.name=" + std::string(20000, 'x'),
                                       "application/x-www-form-urlencoded");
    ASSERT_TRUE(oversize);
    EXPECT_EQ(oversize->status, 413);
    auto broken = dut.client()->Post("/serial", "UART.baud=96%zz", "application/x-www-form-urlencoded");
    ASSERT_TRUE(broken);
    EXPECT_EQ(broken->status, 400) << "a broken percent escape is a malformed form";
    auto json = dut.client()->Post("/serial", "{\"UART.baud\":9600}", "application/json");
    ASSERT_TRUE(json);
    EXPECT_EQ(json->status, 415);

    // Not HTTP at all: 400, that connection closed.
    TcpClient raw(dut.sim.port("tcp/80"));
    raw.stream().write("NOT HTTP\r\n\r\n");
    EXPECT_EQ(raw.stream().read_until("\r\n", 3s).rfind("HTTP/1.1 400", 0), 0u);

    auto next = c->Get("/");
    ASSERT_TRUE(next);
    EXPECT_EQ(next->status, 200) << "still serving";
    EXPECT_EQ(dut.query("AT+UART?"), "+OK=115200,8,1,NONE,NFC");
}

TEST(K7Web, KeepAliveServesSeveralRequestsOnOneConnection) {
    K7Web dut;
    ASSERT_NE(dut.web_port, 0);
    auto c = dut.client();
    c->set_keep_alive(true);
    for (const char* path : {"/", "/ip", "/serial", "/misc", "/reboot"}) {
        auto r = c->Get(path);
        ASSERT_TRUE(r) << path;
        EXPECT_EQ(r->status, 200) << path;
    }
    EXPECT_EQ(dut.counter("requests"), 5);
}

/// A person in a real browser: log in, open TTL1, type the baud rate, Save (K7 §5.2). The
/// screenshots stay in the build tree (K7_WEB_SCREENSHOT_DIR).
TEST(K7WebBrowser, ChangeTheBaudInChromium) {
    const std::filesystem::path chromium = "/usr/bin/chromium";
    if (!std::filesystem::exists(chromium)) GTEST_SKIP() << "no " << chromium << " (Debian package chromium)";
    K7Web dut;
    ASSERT_NE(dut.web_port, 0);
    const std::filesystem::path out = K7_WEB_SCREENSHOT_DIR;
    std::filesystem::remove_all(out);
    sim::process::ChildProcess browser(sim::process::SpawnOptions{
        {"/usr/bin/python3", DTU_SOURCE_DIR "/tests/integration/web_browser.py", chromium.string(),
         "http://127.0.0.1:" + std::to_string(dut.web_port), "admin", "admin", "57600", out.string()},
        {},
        {},
        true,
        true});
    ByteStream io(browser.stdout_fd(), browser.stdin_fd());
    const std::string line = io.read_until("\n", 100s);
    const QJsonObject r = QJsonDocument::fromJson(QByteArray::fromStdString(line)).object();
    ASSERT_FALSE(r.isEmpty()) << "web_browser.py said: " << line;
    ASSERT_FALSE(r.contains("error")) << line;

    EXPECT_EQ(r.value("status_title").toString().toStdString(), "Current status");
    EXPECT_NE(r.value("status_text").toString().toStdString().find("D8B04C000007"), std::string::npos);
    EXPECT_GE(r.value("logins").toInt(), 1) << "the browser was asked to log in (HTTP Basic)";
    EXPECT_EQ(r.value("saved_url").toString().toStdString(), "/serial?saved=1");
    EXPECT_NE(r.value("saved_note").toString().toStdString().find("Saved"), std::string::npos);
    EXPECT_EQ(r.value("baud_shown").toString().toStdString(), "57600");
    EXPECT_EQ(dut.query("AT+UART?"), "+OK=57600,8,1,NONE,NFC") << "the parameter changed";
    EXPECT_EQ(dut.counter("forms_saved"), 1);
    for (const auto& shot : r.value("screenshots").toArray()) {
        const std::filesystem::path png = shot.toString().toStdString();
        ASSERT_TRUE(std::filesystem::exists(png)) << png;
        EXPECT_GT(std::filesystem::file_size(png), 1000u) << png;
        std::cout << "screenshot: " << png.string() << "\n";
    }
    EXPECT_EQ(r.value("screenshots").toArray().size(), 2);
}

} // namespace
} // namespace dtu::itest
