// NET transparent mode end to end: dtu-sim's PTY on one side, real TCP/UDP servers on 127.0.0.1
// on the other (G771 §1.6 quick start, §2.2, §2.2.1-§2.2.3, §3.4.2).
#include <atomic>
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

/// A booted device on its PTY, configured by AT commands, saved and restarted.
struct Device {
    explicit Device(std::initializer_list<std::string> commands, std::vector<std::string> args = {})
        : sim(std::move(args)) {
        EXPECT_TRUE(sim.start());
        port = std::make_unique<SerialClient>(sim.serial());
        EXPECT_EQ(port->read_until(kStartMessage, 3s), kStartMessage);
        configure_and_restart(*port, commands);
    }
    /// A serial frame: written after a quiet packing interval.
    void frame(std::string_view bytes) {
        EXPECT_TRUE(port->expect_silence(60ms)) << port->buffered();
        port->write(bytes);
    }
    SimProcess sim;
    std::unique_ptr<SerialClient> port;
};

std::string tcp_to(const TcpServer& s) { return "AT+SOCKA=TCP,127.0.0.1," + std::to_string(s.port()); }

TEST(NetEndToEnd, QuickStartEchoTest) {
    TcpServer server;
    Device dut({tcp_to(server), "AT+HEARTEN=OFF"});
    ASSERT_TRUE(server.accept(5s));
    dut.frame("hello from the serial port");
    EXPECT_EQ(server.read_until("port", 3s), "hello from the serial port");
    server.write("hello from the server");
    EXPECT_EQ(dut.port->read_until("server", 3s), "hello from the server");
}

TEST(NetEndToEnd, RegistrationAndHeartbeatBytesOnTheWire) {
    TcpServer server;
    Device dut({tcp_to(server), "AT+REGEN=ON", "AT+REGTP=USER", "AT+REGDT=52454721", "AT+REGSND=LINK&DATA",
                "AT+HEARTTM=1", "AT+HEARTDT=4842"});
    ASSERT_TRUE(server.accept(5s));
    EXPECT_EQ(server.read_n(4, 3s), "REG!") << "registration right after the connect";
    EXPECT_EQ(server.read_n(2, 3s), "HB") << "heartbeat after one idle second";
    dut.frame("data");
    EXPECT_EQ(server.read_until("data", 3s), "REG!data") << "registration prefixed to data";
}

TEST(NetEndToEnd, UdpOneFrameIsOneDatagram) {
    UdpServer server;
    Device dut({"AT+SOCKA=UDP,127.0.0.1," + std::to_string(server.port()), "AT+HEARTEN=OFF", "AT+UARTFL=10"});
    dut.frame("0123456789abcdefghijKLMNO");
    std::string d;
    ASSERT_TRUE(server.receive(d, 3s));
    EXPECT_EQ(d, "0123456789");
    ASSERT_TRUE(server.receive(d, 3s));
    EXPECT_EQ(d, "abcdefghij");
    ASSERT_TRUE(server.receive(d, 3s));
    EXPECT_EQ(d, "KLMNO");
    server.reply("from udp");
    EXPECT_EQ(dut.port->read_until("udp", 3s), "from udp");
}

TEST(NetEndToEnd, ReconnectsAfterTheServerCloses) {
    TcpServer server;
    Device dut({tcp_to(server), "AT+HEARTEN=OFF", "AT+SOCKRSTIM=1"});
    ASSERT_TRUE(server.accept(5s));
    server.close_connection();
    ASSERT_TRUE(server.accept(5s)) << "the device connects again after SOCKRSTIM";
    dut.frame("again");
    EXPECT_EQ(server.read_until("again", 3s), "again");
}

TEST(NetEndToEnd, BackupServerTakesOverWhenTheMainOneRefuses) {
    TcpServer backup;
    Device dut({"AT+SOCKA=TCP,127.0.0.1," + std::to_string(unused_tcp_port()),
                "AT+SOCKABK=TCP,127.0.0.1," + std::to_string(backup.port()), "AT+SOCKABKEN=ON",
                "AT+SOCKRSTIM=1", "AT+HEARTEN=OFF"});
    ASSERT_TRUE(backup.accept(5s));
    dut.frame("via backup");
    EXPECT_EQ(backup.read_until("backup", 3s), "via backup");
}

TEST(NetEndToEnd, DataWrittenBeforeTheServerIsUpIsDeliveredOnceInOrder) {
    TcpServer server;
    const std::uint16_t port = server.port();
    server.stop_listening(); // the server is down: connects are refused, serial data is cached
    Device dut({"AT+SOCKA=TCP,127.0.0.1," + std::to_string(port), "AT+HEARTEN=OFF", "AT+SOCKRSTIM=1"});
    dut.frame("one,");
    dut.frame("two,");
    dut.frame("three");
    TcpServer again(port);
    ASSERT_TRUE(again.accept(5s));
    EXPECT_EQ(again.read_until("three", 3s), "one,two,three");
    EXPECT_TRUE(again.silent_for(300ms)) << "nothing twice";
}

TEST(NetEndToEnd, NetworkAtFromTheServer) {
    TcpServer server;
    Device dut({tcp_to(server), "AT+HEARTEN=OFF"});
    ASSERT_TRUE(server.accept(5s));
    server.write("usr.cn#AT+VER\r\n");
    EXPECT_EQ(server.read_until("OK\r\n", 3s), "\r\n+VER:V1.3.25.000000.0000\r\n\r\nOK\r\n");
    EXPECT_TRUE(dut.port->expect_silence(200ms)) << "not forwarded to the serial port";
}

TEST(NetEndToEnd, GarbageFromTheServerReachesTheSerialPortUnchanged) {
    TcpServer server;
    Device dut({tcp_to(server), "AT+HEARTEN=OFF"});
    ASSERT_TRUE(server.accept(5s));
    std::string garbage;
    for (int i = 0; i < 256; ++i)
        garbage.push_back(static_cast<char>(i));
    server.write(garbage + "END");
    EXPECT_EQ(dut.port->read_until("END", 3s), garbage + "END");
}

/// PUT a link change through the control API; true on 200.
bool put_link(const SimProcess& sim, const std::string& json) {
    httplib::Client api(sim.control());
    const auto r = api.Put("/api/v1/link", json, "application/json");
    return r && r->status == 200;
}

TEST(NetEndToEnd, LinkDownCachedDataIsDeliveredOnceInOrderAfterLinkUp) {
    TcpServer server;
    Device dut({tcp_to(server), "AT+HEARTEN=OFF", "AT+SOCKRSTIM=1"}, {"--control", "127.0.0.1:0"});
    ASSERT_TRUE(server.accept(5s));
    ASSERT_TRUE(put_link(dut.sim, R"({"attached": false})"));
    server.read_until("never", 3s);
    EXPECT_TRUE(server.peer_closed()) << "registration lost: the server sees the connection close";
    dut.frame("one,");
    dut.frame("two,");
    dut.frame("three");
    ASSERT_TRUE(put_link(dut.sim, R"({"attached": true})"));
    ASSERT_TRUE(server.accept(5s));
    EXPECT_EQ(server.read_until("three", 3s), "one,two,three");
    EXPECT_TRUE(server.silent_for(300ms)) << "delivered once";
}

/// The status object from the control API (empty if it does not answer).
QJsonObject status_of(const SimProcess& sim) { return Control(sim.control()).get("/api/v1/status").json; }

TEST(NetEndToEnd, InjectedResetIsSeenByTheServerAndTheDeviceReconnects) {
    TcpServer server;
    Device dut({tcp_to(server), "AT+HEARTEN=OFF", "AT+SOCKRSTIM=1"}, {"--control", "127.0.0.1:0"});
    ASSERT_TRUE(server.accept(5s));
    // The server's accept can come before the device has seen its connect complete (a loaded host):
    // reset only a link the device holds as connected.
    ASSERT_TRUE(wait_until(
        [&] {
            return status_of(dut.sim)["sockets"].toArray()[0].toObject()["state"].toString() == "connected";
        },
        5s));
    httplib::Client api(dut.sim.control());
    const auto r = api.Post("/api/v1/link/reset", "", "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "{\"reset\":1}\n");
    server.read_until("never", 3s);
    EXPECT_TRUE(server.peer_closed());
    ASSERT_TRUE(server.accept(5s)) << "reconnect after SOCKRSTIM";
    dut.frame("after reset");
    EXPECT_EQ(server.read_until("reset", 3s), "after reset");
}

TEST(NetEndToEnd, AServerFloodingFasterThanTheSerialPortDrainsIsBoundedAndSurvived) {
    TcpServer server;
    Device dut({tcp_to(server), "AT+HEARTEN=OFF"}, {"--control", "127.0.0.1:0"});
    ASSERT_TRUE(server.accept(5s));
    // Nobody reads the serial port meanwhile: the PTY keeps what fits in its bounded queue.
    constexpr qint64 kFlood = 4 * 1024 * 1024;
    server.write(std::string(kFlood, 'F'));
    EXPECT_TRUE(wait_until(
        [&] { return status_of(dut.sim)["serial"].toObject()["overflow_bytes"].toInteger() > 0; }, 10s))
        << "what does not fit is counted, not silently lost";
    // Network AT is one received payload (modes-and-timing §4.3): send it only once the flood is all
    // in, or the command could arrive in one read with the flood's tail and be data.
    EXPECT_TRUE(wait_until(
        [&] {
            return status_of(dut.sim)["sockets"].toArray()[0].toObject()["rx_bytes"].toInteger() == kFlood;
        },
        10s));
    server.write("usr.cn#AT+VER\r\n");
    EXPECT_EQ(server.read_until("OK\r\n", 5s), "\r\n+VER:V1.3.25.000000.0000\r\n\r\nOK\r\n")
        << "the device keeps working";
}

/// What the device itself said among a flood of 'F's: the bytes read so far without the flood.
std::string without_flood(std::string_view received) {
    std::string out;
    for (char c : received)
        if (c != 'F') out.push_back(c);
    return out;
}

/// Read the port until the device's own output (the flood left out) contains end; returns it.
std::string replies_until(SerialClient& port, std::string_view end) {
    return without_flood(port.read_until(
        [&](std::string_view got) { return without_flood(got).find(end) != std::string::npos; }, 5s));
}

/// The server writing as fast as the device takes it, from its own thread, until destroyed.
class Flood {
public:
    explicit Flood(TcpServer& server)
        : thread_([this, &server] {
              const std::string chunk(64 * 1024, 'F');
              while (!stop_)
                  server.write(chunk); // the device reads (and drops) whatever comes
          }) {}
    ~Flood() {
        stop_ = true;
        thread_.join();
    }

private:
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

TEST(NetEndToEnd, UnderAServerFloodTheDevicesOwnRepliesAlwaysReachTheSerialPort) {
    TcpServer server;
    Device dut({tcp_to(server), "AT+HEARTEN=OFF"}, {"--control", "127.0.0.1:0"});
    ASSERT_TRUE(server.accept(5s));
    Control api(dut.sim.control());
    const auto status = [&] { return api.get("/api/v1/status").json; };
    const auto in_mode = [&](const char* mode) {
        return wait_until([&] { return status()["serial_mode"].toString() == mode; }, 5s);
    };
    // T1 of quiet serial input before a frame (G771 §3.4), measured on the device's own clock.
    const auto quiet_input = [&] {
        const qint64 t0 = status()["uptime_ms"].toInteger();
        return wait_until([&] { return status()["uptime_ms"].toInteger() >= t0 + 100; }, 5s);
    };
    const Flood flood(server); // faster than the client reads: the PTY's data queue stays full
    ASSERT_TRUE(
        wait_until([&] { return status()["serial"].toObject()["overflow_bytes"].toInteger() > 0; }, 10s));
    for (int round = 0; round < 5; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        // Serial AT in transparent mode (G771 §3.4.1).
        ASSERT_TRUE(quiet_input());
        dut.port->write("usr.cn#AT+VER\r\n");
        EXPECT_EQ(replies_until(*dut.port, "OK\r\n"), "\r\n+VER:V1.3.25.000000.0000\r\n\r\nOK\r\n");
        // The +++ handshake (G771 §3.4): server data goes on flowing to the port until the 'a'.
        ASSERT_TRUE(quiet_input());
        dut.port->write("+++");
        ASSERT_EQ(replies_until(*dut.port, "a"), "a") << "the handshake's 'a' is not lost in the flood";
        dut.port->write("a");
        ASSERT_EQ(replies_until(*dut.port, "+ok\r\n"), "+ok\r\n");
        dut.port->write("AT+VER\r");
        EXPECT_EQ(replies_until(*dut.port, "OK\r\n"), "AT+VER\r\r\n+VER:V1.3.25.000000.0000\r\n\r\nOK\r\n");
        dut.port->write("AT+ENTM\r");
        EXPECT_EQ(replies_until(*dut.port, "+OK\r\n"), "AT+ENTM\r\r\n+OK\r\n") << "back to transparent mode";
        ASSERT_TRUE(in_mode("transparent"));
    }
}

TEST(NetEndToEnd, AServerClosingMidPacketLosesNothingItSent) {
    TcpServer server;
    Device dut({tcp_to(server), "AT+HEARTEN=OFF", "AT+SOCKRSTIM=1"});
    ASSERT_TRUE(server.accept(5s));
    server.write("half a mess");
    server.close_connection();
    EXPECT_EQ(dut.port->read_until("mess", 3s), "half a mess");
    ASSERT_TRUE(server.accept(5s)) << "and it reconnects";
}

TEST(NetEndToEnd, LatencyShowsInTheRoundTrip) {
    using Clock = std::chrono::steady_clock;
    TcpServer server;
    Device dut({tcp_to(server), "AT+HEARTEN=OFF"}, {"--control", "127.0.0.1:0"});
    ASSERT_TRUE(server.accept(5s));
    const auto round_trip = [&](const std::string& tag) {
        const auto t0 = Clock::now();
        dut.frame(tag);
        EXPECT_EQ(server.read_until(tag, 5s), tag);
        server.write(tag + "!");
        EXPECT_EQ(dut.port->read_until(tag + "!", 5s), tag + "!");
        return Clock::now() - t0;
    };
    round_trip("warm-up");
    ASSERT_TRUE(put_link(dut.sim, R"({"upstream": {"latency_ms": 150}, "downstream": {"latency_ms": 150}})"));
    EXPECT_GE(round_trip("slow"), 300ms) << "150 ms each way";
    ASSERT_TRUE(put_link(dut.sim, R"({"profile": "none"})"));
    round_trip("after the reset"); // data still flows both ways (asserted inside)
}

} // namespace
} // namespace dtu::itest
