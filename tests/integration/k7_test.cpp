// The USR-K7 (dtu-sim --profile k7) on the loopback interface as on a LAN: its PTY on one side,
// real TCP and UDP clients on the other, found through the ready file's "ports" (K7 §4.2.2 TCP
// Server, §4.2.4 UDP Server; spec k7-ethernet §4).
#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonObject>

#include "control_client.hpp"
#include "dtu/proto/k7_discovery.hpp"
#include "net_client.hpp"
#include "net_peer.hpp"
#include "serial_client.hpp"
#include "sim_process.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;

/// A K7 on its PTY; extra: --at commands and the like.
struct K7 {
    explicit K7(std::vector<std::string> extra = {}) : sim(args(std::move(extra))) {
        EXPECT_TRUE(sim.start());
        port = std::make_unique<SerialClient>(sim.serial());
    }
    static std::vector<std::string> args(std::vector<std::string> extra) {
        std::vector<std::string> a{"--profile", "k7", "--control", "127.0.0.1:0"};
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    }
    /// A frame on the serial port, after the line was quiet (so it is one frame).
    void frame(std::string_view bytes) {
        port->expect_silence(50ms);
        port->write(bytes);
    }
    QJsonObject status() const { return Control(sim.control()).get("/api/v1/status").json; }
    /// Clients the device's TCP servers accepted so far (status net.counters.accepts).
    int accepts() const {
        return status().value("net").toObject().value("counters").toObject().value("accepts").toInt(-1);
    }

    SimProcess sim;
    std::unique_ptr<SerialClient> port;
};

TEST(K7EndToEnd, TcpServerOnThePortsMapCarriesDataBothWaysForEveryClient) {
    K7 dut; // factory: socket A is a TCP server on port 23 (K7 §1.2)
    const std::uint16_t at = dut.sim.port("tcp/23");
    ASSERT_NE(at, 0) << "ready file: " << dut.sim.err();
    EXPECT_EQ(dut.status().value("ports").toObject().value("tcp/23").toString().toStdString(),
              "127.0.0.1:" + std::to_string(at));

    TcpClient one(at), two(at);
    // Both are clients once the device has accepted them: the status counts accepts.
    ASSERT_TRUE(wait_until([&] { return dut.accepts() == 2; }, 5s));
    dut.frame("to every client");
    EXPECT_EQ(one.stream().read_until("client", 3s), "to every client");
    EXPECT_EQ(two.stream().read_until("client", 3s), "to every client");

    one.stream().write("from one;");
    EXPECT_EQ(dut.port->read_until("one;", 3s), "from one;");
    two.stream().write("from two;");
    EXPECT_EQ(dut.port->read_until("two;", 3s), "from two;");
}

TEST(K7EndToEnd, StatusListsTheListenersWhereTheHostBoundThemAndTheirClients) {
    K7 dut;
    const auto listener = [&](const std::string& name) {
        for (const auto& v : dut.status().value("net").toObject().value("listeners").toArray())
            if (v.toObject().value("name").toString().toStdString() == name) return v.toObject();
        return QJsonObject();
    };
    const QJsonObject tcp = listener("tcp/23");
    ASSERT_FALSE(tcp.isEmpty()) << "socket A's TCP server (K7 §4.2.2)";
    EXPECT_EQ(tcp.value("protocol").toString(), "TCP");
    EXPECT_EQ(tcp.value("bound").toString().toStdString(),
              "127.0.0.1:" + std::to_string(dut.sim.port("tcp/23")));
    EXPECT_EQ(tcp.value("clients").toInt(-1), 0);
    EXPECT_EQ(listener("udp/1901").value("protocol").toString(), "UDP") << "discovery (K7 §5.1.2)";
    EXPECT_TRUE(listener("udp/1901").value("clients").isNull());

    TcpClient one(dut.sim.port("tcp/23")), two(dut.sim.port("tcp/23"));
    EXPECT_TRUE(wait_until([&] { return listener("tcp/23").value("clients").toInt() == 2; }, 5s))
        << listener("tcp/23").value("clients").toInt();
}

TEST(K7EndToEnd, TheOldestClientIsClosedWhenOneMoreThanTheLimitConnects) {
    K7 dut;
    const std::uint16_t at = dut.sim.port("tcp/23");
    ASSERT_NE(at, 0);
    std::vector<std::unique_ptr<TcpClient>> clients;
    for (int i = 1; i <= 4; ++i) { // spec k7 §4 RECOMMENDED: 4 clients by default
        clients.push_back(std::make_unique<TcpClient>(at));
        ASSERT_TRUE(wait_until([&] { return dut.accepts() == i; }, 5s));
    }
    TcpClient fifth(at);
    EXPECT_TRUE(clients.front()->closed_by_device(5s)) << "the oldest client is kicked";
    dut.frame("after the kick");
    EXPECT_EQ(fifth.stream().read_until("kick", 3s), "after the kick");
    EXPECT_EQ(clients[1]->stream().read_until("kick", 3s), "after the kick");
}

TEST(K7EndToEnd, AThousandClientsAtOnceLeaveTheNewestFourServedAndTheDeviceAnswering) {
    // Issue 16 "Bad input": 1000 TCP clients connecting at once to a 4-client server. Each new one
    // past the limit kicks the oldest (K7 §4.2.2), so the newest four stay, served both ways.
    K7 dut;
    const std::uint16_t at = dut.sim.port("tcp/23");
    ASSERT_NE(at, 0);
    constexpr int kClients = 1000, kLimit = 4;
    std::vector<std::unique_ptr<TcpClient>> clients;
    for (int i = 0; i < kClients; ++i) { // the kernel completes each handshake; the device accepts later
        clients.push_back(std::make_unique<TcpClient>(at));
        ASSERT_TRUE(clients.back()->connected()) << "client " << i;
    }
    ASSERT_TRUE(wait_until([&] { return dut.accepts() == kClients; }, 60s)) << dut.accepts();

    const auto deadline = std::chrono::steady_clock::now() + 30s;
    const auto left = [&] {
        return std::max(0ms, std::chrono::duration_cast<std::chrono::milliseconds>(
                                 deadline - std::chrono::steady_clock::now()));
    };
    int kicked = 0;
    for (int i = 0; i < kClients - kLimit; ++i)
        kicked += clients[i]->closed_by_device(left()) ? 1 : 0;
    EXPECT_EQ(kicked, kClients - kLimit) << "every client but the newest four is closed";

    dut.frame("still serving");
    for (int i = kClients - kLimit; i < kClients; ++i)
        EXPECT_EQ(clients[i]->stream().read_until("serving", 3s), "still serving") << "client " << i;
    clients.back()->stream().write("from the last;");
    EXPECT_EQ(dut.port->read_until("last;", 3s), "from the last;");
    EXPECT_EQ(dut.status().value("ports").toObject().value("tcp/23").toString().toStdString(),
              "127.0.0.1:" + std::to_string(at))
        << "the control API still answers";
}

TEST(K7EndToEnd, RfcenFrameFromATcpClientSetsTheRunningSerialPort) {
    // K7 §4.2.2 "TCP server supports similar RFC2217", §4.3.4: the 8-byte frame sets the serial port.
    K7 dut({"--at", "AT+RFCEN=ON"});
    const std::uint16_t at = dut.sim.port("tcp/23");
    ASSERT_NE(at, 0) << dut.sim.err();
    TcpClient vcom(at);
    ASSERT_TRUE(wait_until([&] { return dut.accepts() == 1; }, 5s));
    const auto serial = [&] { return dut.status().value("serial").toObject(); };
    const auto rfc = [&] { return dut.status().value("rfc2217").toObject(); };
    EXPECT_EQ(serial().value("baud").toInt(), 115200);

    const std::string k9600("\x55\xAA\x55\x00\x25\x80\x03\xA8", 8); // 9600 8N1
    vcom.stream().write(k9600 + "after the frame");
    ASSERT_TRUE(wait_until([&] { return rfc().value("applied").toInt() == 1; }, 5s)) << dut.sim.err();
    EXPECT_EQ(rfc().value("last").toString().toStdString(), "9600,8,1,NONE");
    EXPECT_EQ(serial().value("baud").toInt(), 9600);
    EXPECT_EQ(dut.port->read_until("frame", 3s), "after the frame") << "only the data reaches the PTY";
}

TEST(K7EndToEnd, UdpServerAnswersTheLastSender) {
    K7 dut({"--at", "AT+SOCKA=UDPS,192.168.0.201,8899"});
    const std::uint16_t at = dut.sim.port("udp/8899");
    ASSERT_NE(at, 0) << dut.sim.err();
    UdpClient first(at), second(at);
    first.send("hello from first;");
    EXPECT_EQ(dut.port->read_until("first;", 3s), "hello from first;");
    second.send("hello from second;");
    EXPECT_EQ(dut.port->read_until("second;", 3s), "hello from second;");
    dut.frame("answer");
    std::string got;
    ASSERT_TRUE(second.receive(got, 3s)) << "K7 §4.2.4: data goes back to the last sender";
    EXPECT_EQ(got, "answer");
    EXPECT_FALSE(first.receive(got, 300ms)) << "not to an earlier one";
}

TEST(K7EndToEnd, ATakenPortIsMappedToAFreeOneAndTheReadyFileSaysWhere) {
    TcpServer squatter; // holds a port; the device is told to listen there
    K7 dut({"--at", "AT+SOCKA=TCPS,192.168.0.201," + std::to_string(squatter.port())});
    const std::string key = "tcp/" + std::to_string(squatter.port());
    const std::uint16_t at = dut.sim.port(key);
    ASSERT_NE(at, 0);
    EXPECT_NE(at, squatter.port());
    EXPECT_NE(dut.sim.err().find("cannot be bound"), std::string::npos) << dut.sim.err();
    TcpClient c(at);
    c.stream().write("ping;");
    EXPECT_EQ(dut.port->read_until("ping;", 3s), "ping;");
}

namespace k7d = proto::k7_discovery;
const k7d::Mac kFactoryMac{0xD8, 0xB0, 0x4C, 0x00, 0x00, 0x07};

/// One datagram to the discovery port and the answer to it (empty if none within timeout).
std::string ask(std::uint16_t port, const std::string& frame, std::chrono::milliseconds timeout = 2s) {
    UdpClient pc(port);
    pc.send(frame);
    std::string reply;
    return pc.receive(reply, timeout) ? reply : std::string();
}

/// The serial block of a read (03), or nullopt when the device did not answer one.
std::optional<k7d::Serial> read_serial(std::uint16_t port, std::chrono::milliseconds timeout = 2s) {
    const std::string reply = ask(port, k7d::build_command(0x03, kFactoryMac, "admin", "admin"), timeout);
    k7d::Serial s;
    if (reply.size() != k7d::kReadReplyBytes ||
        !k7d::decode_serial(std::string_view(reply).substr(k7d::kBasicBytes, k7d::kSerialBytes), s))
        return std::nullopt;
    return s;
}

TEST(K7EndToEnd, DiscoveryOnUdp1901SearchesReadsWritesAndRestarts) {
    K7 dut;
    const std::uint16_t at = dut.sim.port("udp/1901");
    ASSERT_NE(at, 0);
    // K7 §5.1.2 form 5.1.2-7: the search reply names the device's IP, MAC, firmware and name.
    const std::string search = ask(at, std::string("\xFF\x01\x01\x02", 4));
    ASSERT_EQ(search.size(), k7d::kSearchReplyBytes);
    EXPECT_EQ(search.substr(0, 3), std::string("\xFF\x24\x01", 3));
    EXPECT_EQ(search.substr(9, 6), std::string(kFactoryMac.begin(), kFactoryMac.end()));
    EXPECT_EQ(search.substr(19, 6), "USR-K7");

    auto serial = read_serial(at);
    ASSERT_TRUE(serial);
    EXPECT_EQ(serial->baud, 115200u);
    k7d::Serial wrong = *serial;
    wrong.baud = 9600;
    EXPECT_EQ(ask(at, k7d::build_command(0x06, kFactoryMac, "admin", "nope", k7d::encode_serial(wrong))),
              std::string("\xFF\x01\x06P", 4))
        << "a wrong password is refused";
    serial->baud = 57600;
    EXPECT_EQ(ask(at, k7d::build_command(0x06, kFactoryMac, "admin", "admin", k7d::encode_serial(*serial))),
              std::string("\xFF\x01\x06K", 4));
    EXPECT_EQ(ask(at, k7d::build_command(0x02, kFactoryMac, "admin", "admin")),
              std::string("\xFF\x01\x02K", 4));
    ASSERT_TRUE(
        wait_until([&] { return dut.status().value("resets").toObject().value("AT+Z").toInt() == 1; }, 5s))
        << "the restart command restarts the firmware (counted as a restart, like AT+Z)";
    // After the restart the device listens again (perhaps at another host port: ask the ready file).
    std::optional<k7d::Serial> after;
    ASSERT_TRUE(wait_until(
        [&] {
            after = read_serial(dut.sim.port("udp/1901"), 200ms);
            return after.has_value();
        },
        10s));
    EXPECT_EQ(after->baud, 57600u);
}

TEST(K7EndToEnd, TcpClientConnectsToItsServer) {
    TcpServer server;
    K7 dut({"--at", "AT+SOCKA=TCPC,127.0.0.1," + std::to_string(server.port())}); // K7 §4.2.1
    ASSERT_TRUE(server.accept(5s));
    dut.frame("up the client;");
    EXPECT_NE(server.read_until("client;", 3s).find("up the client;"), std::string::npos);
    server.write("down to serial;");
    EXPECT_EQ(dut.port->read_until("serial;", 3s), "down to serial;");
}

TEST(K7EndToEnd, SocketBConnectsToItsServerBesideTheTcpServer) {
    // K7 §4.2 form 4.2-1: socket A stays the TCP server, socket B a TCP client of a real server.
    TcpServer server;
    K7 dut({"--at", "AT+SOCKB=TCPC,127.0.0.1," + std::to_string(server.port())});
    ASSERT_TRUE(server.accept(5s)) << "socket B connects";
    TcpClient pc(dut.sim.port("tcp/23"));
    ASSERT_TRUE(wait_until([&] { return dut.accepts() == 1; }, 5s));
    dut.frame("to both;");
    EXPECT_NE(server.read_until("both;", 3s).find("to both;"), std::string::npos);
    EXPECT_EQ(pc.stream().read_until("both;", 3s), "to both;");
    server.write("from B's server;");
    EXPECT_EQ(dut.port->read_until("server;", 3s), "from B's server;");
    pc.stream().write("from A's client;");
    EXPECT_EQ(dut.port->read_until("client;", 3s), "from A's client;");
}

TEST(K7EndToEnd, NetworkAtOverUdpOpensASessionWithTheSearchKeyword) {
    K7 dut;
    const std::uint16_t at = dut.sim.port("udp/48899"); // AT+SEARCH factory port (spec k7 §10)
    ASSERT_NE(at, 0);
    UdpClient pc(at);
    std::string reply;
    pc.send("AT+MID");
    EXPECT_FALSE(pc.receive(reply, 300ms)) << "no session yet: " << reply;
    pc.send("www.usr.cn");
    ASSERT_TRUE(pc.receive(reply, 2s));
    EXPECT_EQ(reply, "192.168.0.7,D8B04C000007,USR-K7");
    pc.send("AT+MID=K7-lab\r\n");
    ASSERT_TRUE(pc.receive(reply, 2s));
    EXPECT_EQ(reply, "\r\n+OK\r\n");
    pc.send("AT+MID");
    ASSERT_TRUE(pc.receive(reply, 2s));
    EXPECT_EQ(reply, "\r\n+OK=K7-lab\r\n");
    pc.send("AT+NOSUCH");
    ASSERT_TRUE(pc.receive(reply, 2s));
    EXPECT_EQ(reply, "\r\n+ERR=-2\r\n");
}

} // namespace
} // namespace dtu::itest
