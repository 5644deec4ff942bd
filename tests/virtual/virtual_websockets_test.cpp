// VirtualWebSockets (K7 §4.2.6 in virtual time): a scenario peer opens a websocket to the device's
// port, messages cross both ways as whole messages, closes reach the other side, and nothing is
// delivered inside a call or after its side went away.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hal_sim/virtual_websockets.hpp"
#include "net_journal.hpp"

namespace {

using namespace std::chrono_literals;
using dtu::hal::NetAddress;
using dtu::hal::WsClientId;
using dtu::hal_sim::VirtualWebSockets;
using namespace dtu::vtest;

/// The firmware's side (WebSocketBridge's place): it takes `room` clients.
struct WsDevice final : dtu::hal::WebSocketListener {
    explicit WsDevice(Journal& j) : j(j) {}
    bool on_ws_open(WsClientId c, const NetAddress& peer) override {
        const bool take = open < room;
        j.add("ws-open " + std::to_string(c) + " " + dtu::hal_sim::net_address_text(peer) +
              (take ? "" : " no"));
        open += take ? 1 : 0;
        return take;
    }
    void on_ws_message(WsClientId c, std::string_view b) override {
        j.add("ws-msg " + std::to_string(c) + " " + std::string(b));
    }
    void on_ws_closed(WsClientId c) override {
        --open;
        j.add("ws-closed " + std::to_string(c));
    }
    Journal& j;
    int room = 2, open = 0;
};

class VirtualWebSocketsTest : public ::testing::Test {
protected:
    VirtualWebSocketsTest() { journal.sched = &sched; }
    void run() { sched.advance_to(sched.now() + 1ms); }
    std::vector<std::string> take() { return std::exchange(journal.events, {}); }

    VirtualScheduler sched;
    Lines log;
    Journal journal;
    ConnId last_conn = 0;
    VirtualWebSockets ws{sched, log, [this] { return ++last_conn; }};
    WsDevice device{journal};
    Server page1{journal}, page2{journal}, page3{journal};
    static constexpr NetAddress kPc{0xC0A80064, 5001}; // 192.168.0.100
};

TEST_F(VirtualWebSocketsTest, MessagesBothWaysAndCloses) {
    ASSERT_TRUE(ws.serve(6432, device));
    const ConnId c = ws.connect(6432, kPc, page1);
    EXPECT_TRUE(take().empty()) << "nothing inside the call";
    run();
    EXPECT_EQ(take(), (std::vector<std::string>{"ws-open 0 192.168.0.100:5001@0", "srv-connect 1@0"}));

    EXPECT_TRUE(ws.server_send(c, "to serial"));
    EXPECT_TRUE(ws.send(0, "to page"));
    EXPECT_TRUE(take().empty());
    run();
    EXPECT_EQ(take(), (std::vector<std::string>{"ws-msg 0 to serial@1", "srv-data 1 to page@1"}));

    ws.server_close(c, false);
    EXPECT_FALSE(ws.server_send(c, "late")) << "a closed client takes nothing";
    EXPECT_FALSE(ws.send(0, "late"));
    run();
    EXPECT_EQ(take(), (std::vector<std::string>{"ws-closed 0@2"}));
}

TEST_F(VirtualWebSocketsTest, ARefusedClientAWrongPortAndTheDevicesClose) {
    device.room = 1;
    ws.serve(6432, device);
    const ConnId a = ws.connect(6432, kPc, page1);
    const ConnId b = ws.connect(6432, kPc, page2);
    const ConnId wrong = ws.connect(6433, kPc, page3);
    run();
    EXPECT_EQ(take(),
              (std::vector<std::string>{"ws-open 0 192.168.0.100:5001@0", "srv-connect 1@0",
                                        "ws-open 1 192.168.0.100:5001 no@0", "srv-fin 2@0", "srv-rst 3@0"}));
    EXPECT_NE(a, b);
    EXPECT_FALSE(ws.server_send(wrong, "x"));

    ws.send(0, "queued before the close");
    ws.close(0);
    run();
    EXPECT_EQ(take(), (std::vector<std::string>{"srv-data 1 queued before the close@1", "srv-fin 1@1"}))
        << "what the device sent before closing arrives first; no event to the device";
}

TEST_F(VirtualWebSocketsTest, StopClosesEveryClientAndNothingRunsAfterDestruction) {
    ws.serve(6432, device);
    ws.connect(6432, kPc, page1);
    ws.connect(6432, kPc, page2);
    run();
    take();
    ws.stop();
    run();
    EXPECT_EQ(take(), (std::vector<std::string>{"srv-fin 1@1", "srv-fin 2@1"}));
    const ConnId late = ws.connect(6432, kPc, page3);
    run();
    EXPECT_EQ(take(), (std::vector<std::string>{"srv-rst " + std::to_string(late) + "@2"}))
        << "not serving: refused";

    auto gone = std::make_unique<VirtualWebSockets>(sched, log, [this] { return ++last_conn; });
    gone->serve(6432, device);
    gone->connect(6432, kPc, page1);
    gone.reset();
    run();
    EXPECT_TRUE(take().empty()) << "a task of a destroyed server does nothing";
}

} // namespace
