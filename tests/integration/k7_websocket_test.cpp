// The USR-K7's websocket serial bridge (K7 §4.2.6, §2.2; spec k7-ethernet §9) against dtu-sim
// --profile k7: real websocket clients (python3-websockets, tests/integration/ws_peer.py) on the
// ready file's "tcp/6432", the device's PTY on the other side.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <QJsonObject>

#include "child_process.hpp"
#include "control_client.hpp"
#include "serial_client.hpp"
#include "sim_process.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;

std::string hex(std::string_view bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

/// ws_peer.py: websocket clients driven by command lines; each command's answer is read back.
class WsPeer {
public:
    WsPeer()
        : child_(sim::process::SpawnOptions{
              {"/usr/bin/python3", DTU_SOURCE_DIR "/tests/integration/ws_peer.py"}, {}, {}, true, true}),
          io_(child_.stdout_fd(), child_.stdin_fd()) {}
    /// Run one command; the lines it answered before "done".
    std::string run(const std::string& command) {
        io_.write(command + "\n");
        const std::string verb = command.substr(0, command.find(' '));
        std::string got = io_.read_until("done " + verb + "\n", 15s);
        return got.substr(0, got.size() - verb.size() - 6);
    }

private:
    sim::process::ChildProcess child_;
    ByteStream io_;
};

struct K7Ws {
    K7Ws() : sim({"--profile", "k7", "--control", "127.0.0.1:0"}) {
        EXPECT_TRUE(sim.start());
        port = std::make_unique<SerialClient>(sim.serial());
        ws_port = sim.port("tcp/6432");
        url = "ws://127.0.0.1:" + std::to_string(ws_port);
    }
    QJsonObject websocket() const {
        return Control(sim.control()).get("/api/v1/status").json.value("websocket").toObject();
    }
    int counter(const char* name) const { return websocket().value(name).toInt(-1); }
    /// A frame on the serial port, after the line was quiet (so it is one frame).
    void frame(std::string_view bytes) {
        port->expect_silence(50ms);
        port->write(bytes);
    }

    SimProcess sim;
    std::unique_ptr<SerialClient> port;
    std::uint16_t ws_port = 0;
    std::string url;
};

TEST(K7WebSocket, SerialDataAndClientMessagesCrossBothWays) {
    K7Ws dut;
    ASSERT_NE(dut.ws_port, 0) << "ready file: " << dut.sim.err();
    WsPeer peer;
    ASSERT_EQ(peer.run("open a " + dut.url), "open a\n");
    ASSERT_TRUE(wait_until([&] { return dut.counter("clients") == 1; }, 5s));

    dut.frame("serial to web");
    EXPECT_EQ(peer.run("recv a"), "msg a b " + hex("serial to web") + "\n"); // binary (spec k7 §9)

    peer.run("send a text to serial;");
    EXPECT_EQ(dut.port->read_until("serial;", 3s), "text to serial;");
    peer.run("sendb a " + hex(std::string("bin\x00\xff;", 6)));
    EXPECT_EQ(dut.port->read_until("\xff;", 3s), std::string("bin\x00\xff;", 6));
    EXPECT_EQ(dut.counter("messages_in"), 2);
    EXPECT_EQ(dut.counter("messages_out"), 1);
}

TEST(K7WebSocket, TwoClientsBothGetSerialDataAndAThirdIsRefused) {
    K7Ws dut;
    ASSERT_NE(dut.ws_port, 0);
    WsPeer peer;
    ASSERT_EQ(peer.run("open a " + dut.url), "open a\n");
    ASSERT_EQ(peer.run("open b " + dut.url), "open b\n");
    // K7 §2.2: two websockets; the third is closed with 1013 "try again later".
    EXPECT_EQ(peer.run("open c " + dut.url), "refused c 1013\n");
    EXPECT_EQ(dut.counter("refused"), 1);

    dut.frame("to both");
    EXPECT_EQ(peer.run("recv a"), "msg a b " + hex("to both") + "\n");
    EXPECT_EQ(peer.run("recv b"), "msg b b " + hex("to both") + "\n");
}

TEST(K7WebSocket, AnOversizeMessageDropsThatClientOnly) {
    K7Ws dut;
    ASSERT_NE(dut.ws_port, 0);
    WsPeer peer;
    ASSERT_EQ(peer.run("open a " + dut.url), "open a\n");
    ASSERT_EQ(peer.run("open b " + dut.url), "open b\n");
    peer.run("send b " + std::string(70000, 'x')); // over the 64 KB read limit
    EXPECT_EQ(peer.run("recv b"), "closed b 1009\n");
    ASSERT_TRUE(wait_until([&] { return dut.counter("clients") == 1; }, 5s));

    dut.frame("still here");
    EXPECT_EQ(peer.run("recv a"), "msg a b " + hex("still here") + "\n");
    EXPECT_EQ(dut.counter("messages_in"), 0); // nothing of it reached the port
}

TEST(K7WebSocket, AnUnmaskedFrameDropsThatClientAndTheOtherKeepsWorking) {
    K7Ws dut;
    ASSERT_NE(dut.ws_port, 0);
    WsPeer peer;
    ASSERT_EQ(peer.run("open a " + dut.url), "open a\n");
    // RFC 6455 §5.1: a client's frames are masked; this one (binary "bad", no mask) is a protocol
    // error: the server closes with 1002.
    EXPECT_EQ(peer.run("raw r 127.0.0.1 " + std::to_string(dut.ws_port) + " 8203" + hex("bad")),
              "rawclosed r 1002\n");
    ASSERT_TRUE(wait_until([&] { return dut.counter("closed") == 1; }, 5s));
    EXPECT_EQ(dut.counter("clients"), 1);

    peer.run("send a after;");
    EXPECT_EQ(dut.port->read_until("after;", 3s), "after;");
    dut.frame("ok");
    EXPECT_EQ(peer.run("recv a"), "msg a b " + hex("ok") + "\n");
}

} // namespace
} // namespace dtu::itest
