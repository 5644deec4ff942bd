// The USR-K7's web page on the fake bench (K7 §4.1.4, §5.2; spec k7-ethernet §12): WEBPORT, the
// WEBU login (401 otherwise), the status fields of spec §12.1, the forms written through the AT
// engine all or nothing (400 naming the refused field, nothing changed), the restart, a board
// without a web server.
#include "dut.hpp"

#include <algorithm>

#include "device/web_page.hpp"

using namespace dtu::test;
namespace hal = dtu::hal;
namespace device = dtu::device;

namespace {

const hal::NetAddress kBrowser{0xC0A80064, 50000}; // 192.168.0.100
using Fields = std::vector<std::pair<std::string, std::string>>;

std::string k7_value(std::string_view v) { return "\r\n+OK=" + std::string(v) + "\r\n"; }

bool logged(const Bench& b, std::string_view part) {
    return std::any_of(b.log.lines.begin(), b.log.lines.end(),
                       [&](const auto& l) { return l.second.find(part) != std::string::npos; });
}

class K7WebPage : public ::testing::Test {
protected:
    /// One request as the board's HTTP server hands it over (credentials: user and password).
    hal::WebReply request(std::string method, std::string path, Fields fields = {},
                          std::string user = "admin", std::string password = "admin",
                          bool credentials = true) {
        hal::WebRequest r;
        r.method = method;
        r.path = path;
        r.fields = std::move(fields);
        r.has_credentials = credentials;
        r.user = user;
        r.password = password;
        r.peer = kBrowser;
        EXPECT_NE(dut.bench.web.handler, nullptr);
        return dut.bench.web.handler ? dut.bench.web.handler->on_web_request(r) : hal::WebReply{};
    }
    std::string at(std::string_view line) {
        dut.enter_command(50, "+ok");
        std::string answer = dut.cmd(line);
        dut.cmd("AT+ENTM");
        return answer;
    }
    device::WebStatus status() { return dut.bench.device->status().web; }

    Dut dut{"k7"};
};

} // namespace

TEST_F(K7WebPage, ServesTheWebport) {
    EXPECT_EQ(dut.bench.web.port, 80) << "K7 §4.1.4: default port 80 (AT+WEBPORT)";
    ASSERT_NE(dut.bench.web.handler, nullptr);
    EXPECT_TRUE(status().serving);
    EXPECT_EQ(status().port, 80);

    Dut g771("g771");
    EXPECT_EQ(g771.bench.web.handler, nullptr) << "Profile::lan.web_page is the K7's only";
    EXPECT_FALSE(g771.bench.device->status().web.serving);
}

TEST_F(K7WebPage, EveryRequestNeedsTheWebuLogin) {
    const auto none = request("GET", "/", {}, "", "", false);
    EXPECT_EQ(none.status, 401);
    EXPECT_FALSE(none.realm.empty()) << "the browser's login window (K7 §5.2 diagram 5.2-1)";
    EXPECT_EQ(request("GET", "/", {}, "admin", "wrong").status, 401);
    EXPECT_EQ(request("POST", "/serial", {{"UART.baud", "9600"}}, "root", "admin").status, 401);
    EXPECT_EQ(at("AT+UART?"), k7_value("115200,8,1,NONE,NFC")) << "a refused login writes nothing";
    EXPECT_EQ(status().login_failures, 3u);
    EXPECT_TRUE(logged(dut.bench, "web: wrong user name or password from 192.168.0.100"));

    EXPECT_EQ(request("GET", "/").status, 200) << "K7 §1.2: admin/admin";
    EXPECT_EQ(status().requests, 4u);
    EXPECT_EQ(status().login_failures, 3u);
}

TEST_F(K7WebPage, StatusPageShowsTheRunningStatus) {
    dut.bench.net.bound(0); // socket A: the factory TCP server on port 23 listens (K7 §1.2)
    dut.advance(65'000);
    const auto r = request("GET", "/");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    for (const char* part :
         {"<th>Module name</th><td>USR-K7</td>", "<th>Firmware revision</th><td>",
          "<th>Current IP address</th><td>192.168.0.7 (static)</td>",
          "<th>MAC address</th><td>D8B04C000007</td>", "<th>Running time</th><td>0 d 00:01:0",
          "<th>TX count (ETH)</th><td>0 bytes</td>", "<th>RX count (ETH)</th><td>0 bytes</td>",
          "<th>Conn status (ETH) A</th><td>LISTEN</td>", "<th>Conn status (ETH) B</th><td>IDLE</td>"})
        EXPECT_NE(r.body.find(part), std::string::npos) << part << "\n" << r.body;
    EXPECT_NE(r.body.find("<td>" + std::string(dut.bench.profile.version) + "</td>"), std::string::npos)
        << "AT+VER (K7 §5.2 item 1)";
}

TEST_F(K7WebPage, StatusPageCountsNetworkBytes) {
    dut.bench.net.bound(0);
    const auto client = dut.bench.net.connect_client(0, kBrowser);
    ASSERT_TRUE(client);
    dut.bench.net.deliver(*client, "twelve bytes");
    dut.frame("five!");
    const auto r = request("GET", "/");
    EXPECT_NE(r.body.find("<th>RX count (ETH)</th><td>12 bytes</td>"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("<th>TX count (ETH)</th><td>5 bytes</td>"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("<th>Conn status (ETH) A</th><td>CONNECTED(1)</td>"), std::string::npos);
}

TEST_F(K7WebPage, ValuesShownAreEscaped) {
    EXPECT_EQ(at("AT+MID=<b>&\"x'"), "\r\n+OK\r\n");
    EXPECT_EQ(at("AT+Z"), "\r\n+OK\r\n");
    dut.reboot();
    const auto r = request("GET", "/");
    EXPECT_NE(r.body.find("<td>&lt;b&gt;&amp;&quot;x&#39;</td>"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("<b>&"), std::string::npos);
    const auto misc = request("GET", "/misc");
    EXPECT_NE(misc.body.find("value=\"&lt;b&gt;&amp;&quot;x&#39;\""), std::string::npos) << misc.body;
}

TEST_F(K7WebPage, FormsShowTheParametersAsAtDoes) {
    const auto r = request("GET", "/serial");
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("<form method=\"post\" action=\"/serial\">"), std::string::npos);
    EXPECT_NE(r.body.find("name=\"UART.baud\" value=\"115200\""), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("<option value=\"NONE\" selected>NONE</option>"), std::string::npos);
    EXPECT_NE(r.body.find("<option value=\"TCPS\" selected>TCPS</option>"), std::string::npos);
    EXPECT_NE(r.body.find(">Local/remote port<"), std::string::npos);
    EXPECT_NE(request("GET", "/ip").body.find("name=\"WANN.address\" value=\"192.168.0.7\""),
              std::string::npos);
    EXPECT_NE(request("GET", "/misc").body.find("type=\"password\" id=\"WEBU.password\""), std::string::npos);
    EXPECT_EQ(request("GET", "/nowhere").status, 404);
    EXPECT_EQ(request("DELETE", "/serial").status, 405);
}

TEST_F(K7WebPage, SerialFormWritesThroughAtAndAppliesAfterTheRestart) {
    const auto r =
        request("POST", "/serial", {{"UART.baud", "9600"}, {"UART.parity", "EVEN"}, {"UARTTL.time", "20"}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.location, "/serial?saved=1");
    EXPECT_EQ(status().forms_saved, 1u);
    EXPECT_EQ(at("AT+UART?"), k7_value("9600,8,1,EVEN,NFC")) << "the fields not posted keep their values";
    EXPECT_EQ(at("AT+UARTTL?"), k7_value("20,1460"));
    EXPECT_NE(request("GET", "/serial", {{"saved", "1"}}).body.find("id=\"saved\""), std::string::npos);
    EXPECT_EQ(dut.bench.uart.settings.baud, 115200u) << "K7: a setting applies at the restart";

    EXPECT_EQ(at("AT+Z"), "\r\n+OK\r\n");
    dut.reboot();
    EXPECT_EQ(dut.bench.uart.settings.baud, 9600u) << "kept (no AT+S on the K7)";
    EXPECT_EQ(dut.bench.uart.settings.parity, hal::Parity::Even);
    EXPECT_EQ(at("AT+UART?"), k7_value("9600,8,1,EVEN,NFC"));
}

TEST_F(K7WebPage, RefusedValueChangesNothing) {
    // UART is valid and written first; the port is not: the UART write is undone.
    const auto r = request("POST", "/serial", {{"UART.baud", "9600"}, {"SOCKA.port", "70000"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("Local/remote port refused"), std::string::npos) << r.body;
    EXPECT_EQ(at("AT+UART?"), k7_value("115200,8,1,NONE,NFC"));
    EXPECT_EQ(at("AT+SOCKA?"), k7_value("TCPS,192.168.0.201,23"));

    EXPECT_EQ(request("POST", "/serial", {{"UART.baud", "fast"}}).status, 400);
    EXPECT_EQ(request("POST", "/ip", {{"WANN.mode", "AUTO"}}).status, 400);
    const auto unknown = request("POST", "/serial", {{"UART.speed", "9600"}});
    EXPECT_EQ(unknown.status, 400);
    EXPECT_NE(unknown.body.find("&quot;UART.speed&quot; is not a field of this form"), std::string::npos);
    EXPECT_EQ(at("AT+UART?"), k7_value("115200,8,1,NONE,NFC"));
    EXPECT_EQ(status().form_rejects, 4u);
    EXPECT_EQ(status().forms_saved, 0u);
    EXPECT_TRUE(logged(dut.bench, "web: TTL1 form refused: Local/remote port refused"));
    EXPECT_EQ(request("GET", "/").status, 200) << "still serving";
}

TEST_F(K7WebPage, NewLoginAndPortApplyAfterTheRestart) {
    EXPECT_EQ(
        request("POST", "/misc", {{"WEBU.user", "root"}, {"WEBU.password", "toor"}, {"WEBPORT.port", "8080"}})
            .status,
        303);
    EXPECT_EQ(request("GET", "/misc").status, 200) << "the login of boot until the restart";
    EXPECT_EQ(at("AT+Z"), "\r\n+OK\r\n");
    dut.reboot();
    EXPECT_EQ(dut.bench.web.port, 8080);
    EXPECT_EQ(request("GET", "/").status, 401);
    EXPECT_EQ(request("GET", "/", {}, "root", "toor").status, 200);
}

TEST_F(K7WebPage, RebootRepliesThenRestarts) {
    const auto r = request("POST", "/reboot");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("restarting"), std::string::npos);
    EXPECT_TRUE(dut.bench.system.resets.empty()) << "the reply leaves first";
    dut.advance(device::WebPage::kRestartDelayMs);
    ASSERT_EQ(dut.bench.system.resets.size(), 1u);
    EXPECT_EQ(dut.bench.system.resets[0], hal::ResetCause::AtRestart);
    dut.reboot();
    EXPECT_EQ(dut.bench.web.stops, 1) << "the old firmware's server stopped";
    EXPECT_EQ(dut.bench.web.serves, 2);
    EXPECT_EQ(request("GET", "/reboot").status, 200);
}

TEST(K7WebPageBoard, WithoutAWebServerTheDeviceWorks) {
    Bench b("k7");
    b.with_web = false;
    b.power_on();
    EXPECT_FALSE(b.device->status().web.serving);
    EXPECT_TRUE(logged(b, "web: this board has no web server"));
}

TEST(K7WebPageBoard, APortTheBoardCannotServeIsLogged) {
    Bench b("k7");
    b.web.can_serve = false;
    b.power_on();
    EXPECT_FALSE(b.device->status().web.serving);
    EXPECT_TRUE(logged(b, "web: cannot serve port 80"));
}
