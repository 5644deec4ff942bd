// The USR-K7's websocket serial bridge on the fake bench (K7 §4.2.6, §2.2; spec k7-ethernet §9):
// WEBSOCKPORT, two clients, serial frames to every client in every work mode, client messages to
// the serial port, restart, a board without a websocket server.
#include "dut.hpp"

#include <algorithm>

using namespace dtu::test;
namespace hal = dtu::hal;
namespace device = dtu::device;

namespace {

const std::string kOk = "\r\n+OK\r\n";
const hal::NetAddress kBrowser{0xC0A80064, 50000}; // 192.168.0.100

/// Commands in command mode, AT+Z: the K7 freshly started with them in force.
void configure(Dut& dut, std::initializer_list<std::string> commands) {
    dut.enter_command(50, "+ok");
    for (const auto& c : commands)
        EXPECT_EQ(dut.cmd(c), kOk) << c;
    EXPECT_EQ(dut.cmd("AT+Z"), kOk); // K7 §5.3.5: settings are kept as set; AT+Z restarts
    dut.reboot();
}

bool logged(const Bench& b, std::string_view part) {
    return std::any_of(b.log.lines.begin(), b.log.lines.end(),
                       [&](const auto& l) { return l.second.find(part) != std::string::npos; });
}

class K7WebSocketBridge : public ::testing::Test {
protected:
    hal::WebSocketListener& ws() { return *dut.bench.websockets.listener; }
    device::WebSocketStatus status() { return dut.bench.device->status().websocket; }
    std::vector<std::pair<hal::WsClientId, std::string>>& sent() { return dut.bench.websockets.sent; }

    Dut dut{"k7"};
};

TEST_F(K7WebSocketBridge, ServesTheWebsockPort) {
    EXPECT_EQ(dut.bench.websockets.port, 6432) << "factory AT+WEBSOCKPORT=6432 (K7 §4.2.6)";
    ASSERT_NE(dut.bench.websockets.listener, nullptr);
    EXPECT_TRUE(status().listening);
    EXPECT_EQ(status().port, 6432);
}

TEST_F(K7WebSocketBridge, SerialFramesGoToEveryClientAndMessagesToTheSerialPort) {
    ASSERT_TRUE(ws().on_ws_open(0, kBrowser));
    ASSERT_TRUE(ws().on_ws_open(1, kBrowser));
    dut.frame("from the line");
    using Sent = std::vector<std::pair<hal::WsClientId, std::string>>;
    EXPECT_EQ(sent(), (Sent{{0, "from the line"}, {1, "from the line"}}));

    dut.out();
    ws().on_ws_message(1, "to the line");
    EXPECT_EQ(dut.out(), "to the line");
    const auto s = status();
    EXPECT_EQ(s.clients, 2u);
    EXPECT_EQ(s.accepted, 2u);
    EXPECT_EQ(s.messages_out, 2u);
    EXPECT_EQ(s.bytes_out, 26u);
    EXPECT_EQ(s.messages_in, 1u);
    EXPECT_EQ(s.bytes_in, 11u);
}

TEST_F(K7WebSocketBridge, AThirdClientIsRefusedUntilOneCloses) {
    ASSERT_TRUE(ws().on_ws_open(0, kBrowser));
    ASSERT_TRUE(ws().on_ws_open(1, kBrowser));
    EXPECT_FALSE(ws().on_ws_open(2, kBrowser)) << "K7 §2.2: two websockets";
    EXPECT_EQ(status().refused, 1u);
    ws().on_ws_message(2, "not open");
    EXPECT_EQ(status().messages_in, 0u);

    ws().on_ws_closed(0);
    EXPECT_EQ(status().clients, 1u);
    EXPECT_EQ(status().closed, 1u);
    dut.frame("x");
    EXPECT_EQ(sent().size(), 1u) << "only the open one";
    EXPECT_TRUE(ws().on_ws_open(2, kBrowser));
}

TEST_F(K7WebSocketBridge, AFullQueueIsCountedAndTheFrameStillGoesToTheWorkMode) {
    ASSERT_TRUE(ws().on_ws_open(0, kBrowser));
    dut.bench.websockets.full = true;
    dut.frame("dropped for the client");
    EXPECT_EQ(status().send_dropped, 1u);
    EXPECT_EQ(status().messages_out, 0u);
    EXPECT_EQ(dut.bench.device->status().counters.data_frames, 1u);
}

TEST_F(K7WebSocketBridge, WorksInUdpClientModeToo) {
    configure(dut, {"AT+SOCKA=UDPC,192.168.0.10,8000"});
    ASSERT_NE(dut.bench.websockets.listener, nullptr);
    ASSERT_TRUE(ws().on_ws_open(0, kBrowser));
    dut.frame("udp and web");
    ASSERT_EQ(sent().size(), 1u);
    EXPECT_EQ(sent()[0].second, "udp and web");
}

TEST_F(K7WebSocketBridge, TheWebsockPortParameterIsUsedAfterRestartAndRestartStops) {
    const int stops = dut.bench.websockets.stops;
    configure(dut, {"AT+WEBSOCKPORT=7000"});
    EXPECT_GT(dut.bench.websockets.stops, stops) << "the old firmware stopped serving";
    EXPECT_EQ(dut.bench.websockets.port, 7000);
    EXPECT_EQ(status().accepted, 0u) << "counters restart at boot";
}

TEST(K7WebSocketBridgeBoard, NoServerOnTheBoardLogsAndRunsWithoutIt) {
    Bench b("k7");
    b.with_websockets = false;
    b.power_on();
    EXPECT_TRUE(logged(b, "no websocket server"));
    EXPECT_FALSE(b.device->status().websocket.listening);
}

TEST(K7WebSocketBridgeBoard, OtherModelsHaveNoBridge) {
    for (const char* other : {"g771", "gprs732", "lte7s4"}) {
        Bench b(other);
        b.power_on();
        EXPECT_EQ(b.websockets.serves, 0) << other << ": lan.websocket_clients is the K7's";
    }
}

TEST(K7WebSocketBridgeBoard, ABoardThatCannotServeIsLogged) {
    Bench b("k7");
    b.websockets.can_serve = false;
    b.power_on();
    EXPECT_TRUE(logged(b, "cannot serve port 6432"));
    EXPECT_FALSE(b.device->status().websocket.listening);
}

} // namespace
