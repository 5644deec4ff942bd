// The USR-K7's TCP Server and UDP Server work modes (K7 §4.2.2, §4.2.4; spec k7-ethernet §4) and
// the Modbus TCP gateway in TCP server mode (K7 §4.4.2; spec k7 §8), on the fake bench.
#include <algorithm>

#include "dtu/proto/rfc2217.hpp"
#include "dut.hpp"

using namespace dtu;
using namespace dtu::test;

namespace {

const std::string kOk = "\r\n+OK\r\n";
constexpr hal::NetAddress kPc1{0xC0A80064, 50001}; // 192.168.0.100
constexpr hal::NetAddress kPc2{0xC0A80065, 50002}; // 192.168.0.101

/// K7 §5.3.2: "+++" -> "a", 'a' -> "+ok".
void enter_command(Dut& dut) { dut.enter_command(50, "+ok"); }

/// K7 sets persist at once and apply at AT+Z (spec k7 §3.3): set them, restart.
void configure(Dut& dut, std::initializer_list<std::string> commands) {
    enter_command(dut);
    for (const auto& c : commands)
        EXPECT_EQ(dut.cmd(c), kOk) << c;
    EXPECT_EQ(dut.cmd("AT+Z"), kOk);
    dut.reboot();
}

bool logged(const Bench& b, std::string_view part) {
    return std::any_of(b.log.lines.begin(), b.log.lines.end(),
                       [&](const auto& l) { return l.second.find(part) != std::string::npos; });
}

std::string bytes(std::initializer_list<int> b) {
    std::string s;
    for (int c : b)
        s.push_back(static_cast<char>(c));
    return s;
}

/// A K7 in its factory work mode, TCP server on port 23 (K7 §1.2), listening.
struct TcpServer {
    TcpServer() { start(); }
    explicit TcpServer(std::initializer_list<std::string> commands) {
        configure(dut, commands);
        start();
    }
    void start() {
        dut.bench.net.bound(0);
        dut.out();
    }
    hal::LinkId client(const hal::NetAddress& peer) {
        const auto id = dut.bench.net.connect_client(0, peer);
        EXPECT_TRUE(id.has_value());
        return id.value_or(0);
    }
    FakeNet::Link& link(hal::LinkId id) { return dut.bench.net.links[id]; }
    Dut dut{"k7"};
};

} // namespace

TEST(K7TcpServer, ListensOnSocketAsLocalPort) {
    Dut dut("k7");
    const FakeNet::Link& l = dut.bench.net.links[0];
    EXPECT_TRUE(l.listening) << "factory SOCKA=TCPS,192.168.0.201,23 (K7 §1.2)";
    EXPECT_EQ(l.proto, hal::Proto::Tcp);
    EXPECT_EQ(l.port, 23);
    EXPECT_EQ(l.accepted.first, hal::links::accepted(0).first);
    EXPECT_EQ(l.accepted.count, hal::links::accepted(0).count);
    dut.bench.net.bound(0);
    EXPECT_TRUE(logged(dut.bench, "TCP server: listening on port 23"));

    configure(dut, {"AT+SOCKA=TCPS,10.0.0.9,8234"});
    EXPECT_TRUE(dut.bench.net.links[0].listening);
    EXPECT_EQ(dut.bench.net.links[0].port, 8234) << "spec k7 §4 GAP-20: the local port, not the address";
}

TEST(K7TcpServer, DataBothWaysWithTwoClients) {
    TcpServer s;
    const hal::LinkId c1 = s.client(kPc1);
    const hal::LinkId c2 = s.client(kPc2);
    EXPECT_NE(c1, c2);
    EXPECT_TRUE(logged(s.dut.bench, "client 192.168.0.100:50001 accepted"));

    s.dut.frame("hello");
    EXPECT_EQ(s.link(c1).sent, std::vector<std::string>{"hello"}) << "K7 §4.2.2: sent all to the clients";
    EXPECT_EQ(s.link(c2).sent, std::vector<std::string>{"hello"});

    s.dut.bench.net.deliver(c1, "from one");
    EXPECT_EQ(s.dut.out(), "from one");
    s.dut.bench.net.deliver(c2, "from two");
    EXPECT_EQ(s.dut.out(), "from two");

    s.dut.bench.net.drop(c1);
    s.dut.frame("again");
    EXPECT_EQ(s.link(c1).sent.size(), 1u) << "a closed client is forgotten";
    EXPECT_EQ(s.link(c2).sent.back(), "again");
    s.dut.bench.net.deliver(c1, "stale");
    EXPECT_EQ(s.dut.out(), "");
}

TEST(K7TcpServer, FifthClientClosesTheOldest) {
    TcpServer s;
    std::vector<hal::LinkId> ids;
    for (std::uint16_t i = 0; i < 4; ++i)
        ids.push_back(s.client({0xC0A80064u + i, static_cast<std::uint16_t>(40000 + i)}));
    for (hal::LinkId id : ids)
        EXPECT_TRUE(s.link(id).open);

    const hal::LinkId fifth = s.client({0xC0A800C8, 40100});
    EXPECT_FALSE(s.link(ids[0]).open) << "K7 §4.2.2: kick off the oldest one";
    for (std::size_t i = 1; i < ids.size(); ++i)
        EXPECT_TRUE(s.link(ids[i]).open) << i;
    EXPECT_TRUE(s.link(fifth).open) << "the new client is kept (spec k7 §4)";
    EXPECT_TRUE(logged(s.dut.bench, "closing the oldest, 192.168.0.100:40000"));

    s.dut.frame("x");
    EXPECT_TRUE(s.link(ids[0]).sent.empty());
    for (std::size_t i = 1; i < ids.size(); ++i)
        EXPECT_EQ(s.link(ids[i]).sent, std::vector<std::string>{"x"});
    EXPECT_EQ(s.link(fifth).sent, std::vector<std::string>{"x"});

    // The next one closes the second-oldest (it is now the oldest).
    s.client({0xC0A800C9, 40101});
    EXPECT_FALSE(s.link(ids[1]).open);
    EXPECT_TRUE(s.link(ids[2]).open);
}

TEST(K7TcpServer, ClientDataInCommandModeIsDropped) {
    TcpServer s;
    const hal::LinkId c1 = s.client(kPc1);
    enter_command(s.dut);
    s.dut.bench.net.deliver(c1, "ignored");
    EXPECT_EQ(s.dut.out(), "") << "GAP-46";
    EXPECT_EQ(s.dut.cmd("AT+SOCKLKA"), "\r\n+OK=CONNECTED(1)\r\n") << "one client (spec k7 §12.1)";
}

TEST(K7TcpServer, NoRegistrationOrHeartbeatToClients) {
    TcpServer s({"AT+REGEN=USR", "AT+HEARTEN=ON", "AT+HEARTTP=NET", "AT+HEARTTM=1"});
    const hal::LinkId c1 = s.client(kPc1);
    s.dut.advance(5000);
    EXPECT_TRUE(s.link(c1).sent.empty()) << "spec k7 §6 RECOMMENDED";
}

TEST(K7TcpServer, SerialDataBeforeAClientGoesToTheFirstOne) {
    TcpServer s;
    s.dut.frame("early");
    const hal::LinkId c1 = s.client(kPc1);
    EXPECT_EQ(s.dut.bench.net.stream(c1), "early") << "K7 §4.4.9: kept in the serial buffer";
    EXPECT_EQ(s.dut.bench.device->status().sockets.at(0).cached_bytes, 0u);
}

TEST(K7TcpServer, UartclbufClearsTheBufferOnConnection) {
    TcpServer s({"AT+UARTCLBUF=ON"});
    s.dut.frame("early");
    EXPECT_EQ(s.dut.bench.device->status().sockets.at(0).cached_bytes, 5u);
    const hal::LinkId c1 = s.client(kPc1);
    EXPECT_EQ(s.dut.bench.net.stream(c1), "");
    s.dut.frame("late");
    EXPECT_EQ(s.dut.bench.net.stream(c1), "late");
}

TEST(K7TcpServer, StatusShowsTheListeningSocket) {
    TcpServer s;
    device::SocketStatus a = s.dut.bench.device->status().sockets.at(0);
    EXPECT_EQ(a.port, 23);
    EXPECT_EQ(a.protocol, "TCP");
    EXPECT_EQ(a.state, device::LinkState::Idle) << "listening, no client";
    const hal::LinkId c1 = s.client(kPc1);
    s.dut.frame("abc");
    a = s.dut.bench.device->status().sockets.at(0);
    EXPECT_EQ(a.state, device::LinkState::Connected);
    EXPECT_EQ(a.connects, 1u);
    EXPECT_EQ(a.tx_bytes, 3u);
    s.dut.bench.net.drop(c1);
    EXPECT_EQ(s.dut.bench.device->status().sockets.at(0).state, device::LinkState::Idle);
}

TEST(K7TcpServer, NetworkLossClosesClientsAndAFailedListenRetriesOnAttach) {
    TcpServer s;
    const hal::LinkId c1 = s.client(kPc1);
    FakeNet& net = s.dut.bench.net;
    net.listener->on_attach_changed(false);
    EXPECT_FALSE(net.links[c1].open);
    s.dut.frame("nobody");
    EXPECT_TRUE(net.links[c1].sent.empty());

    Dut dut("k7");
    FakeNet& net2 = dut.bench.net;
    EXPECT_TRUE(net2.links[0].listening);
    net2.links.erase(0); // the module gave up the listen
    net2.listener->on_listen_failed(0, hal::NetError::NotAttached);
    EXPECT_TRUE(logged(dut.bench, "failed: no network registration"));
    net2.listener->on_attach_changed(true);
    EXPECT_TRUE(net2.links[0].listening) << "listen again once attached";
    EXPECT_EQ(net2.links[0].port, 23);
    net2.links.erase(0);
    net2.listener->on_listen_failed(0, hal::NetError::Invalid);
    net2.listener->on_attach_changed(true);
    EXPECT_FALSE(net2.links[0].listening) << "a bad port is not retried";
}

TEST(K7TcpServer, ClientDataRestartsTheNoDataTimer) {
    TcpServer s({"AT+RSTIM=60"});
    const hal::LinkId c1 = s.client(kPc1);
    s.dut.advance(50'000);
    s.dut.bench.net.deliver(c1, "alive");
    s.dut.advance(50'000);
    EXPECT_TRUE(s.dut.bench.system.resets.empty()) << "the data restarted the 60 s";
    s.dut.advance(11'000);
    ASSERT_EQ(s.dut.bench.system.resets.size(), 1u);
    EXPECT_EQ(s.dut.bench.system.resets[0], hal::ResetCause::NoData);
}

// --- RFC2217-like frames from the clients (K7 §4.2.2 "TCP server supports similar RFC2217", §4.3.4)

std::string frame_9600_8n1() { return proto::rfc2217::encode({9600, 8, 1, proto::rfc2217::Parity::None}); }

TEST(K7TcpServer, WithRfcenOffAFrameIsClientData) {
    TcpServer s;
    const hal::LinkId c1 = s.client(kPc1);
    const int before = s.dut.bench.uart.configured;
    s.dut.bench.net.deliver(c1, frame_9600_8n1());
    EXPECT_EQ(s.dut.out(), frame_9600_8n1());
    EXPECT_EQ(s.dut.bench.uart.configured, before);
}

TEST(K7TcpServer, WithRfcenOnAClientsFrameSetsTheRunningSerialPort) {
    TcpServer s({"AT+RFCEN=ON"});
    const std::uint32_t factory_baud = s.dut.bench.uart.settings.baud;
    ASSERT_NE(factory_baud, 9600u);
    const hal::LinkId c1 = s.client(kPc1);
    const hal::LinkId c2 = s.client(kPc2);
    s.dut.bench.net.deliver(c1, "before");
    s.dut.bench.net.deliver(c1, frame_9600_8n1() + "after"); // a frame starts a client's write
    EXPECT_EQ(s.dut.out(), "beforeafter") << "the frame is consumed, the data around it passes in order";
    EXPECT_EQ(s.dut.bench.uart.settings.baud, 9600u);
    const device::Status st = s.dut.bench.device->status();
    EXPECT_EQ(st.rfc2217.applied, 1u);
    EXPECT_EQ(st.rfc2217.last, "9600,8,1,NONE");
    EXPECT_TRUE(
        logged(s.dut.bench, "by an RFC2217-like frame from the client on link " + std::to_string(c1)));
    s.dut.bench.net.deliver(c2, "plain");
    EXPECT_EQ(s.dut.out(), "plain") << "the other client's data is untouched";

    // The saved AT+UART is not changed: a restart brings the factory line back (K7 §4.3.4 note 2).
    enter_command(s.dut);
    EXPECT_EQ(s.dut.cmd("AT+Z"), kOk);
    s.dut.reboot();
    EXPECT_EQ(s.dut.bench.uart.settings.baud, factory_baud);
}

TEST(K7TcpServer, AFrameStartHeldWhenTheClientClosesGoesToTheSerialPort) {
    TcpServer s({"AT+RFCEN=ON"});
    const hal::LinkId c1 = s.client(kPc1);
    s.dut.bench.net.deliver(c1, "\x55\xAA");
    EXPECT_EQ(s.dut.out(), "") << "a possible frame start waits";
    s.dut.bench.net.drop(c1);
    EXPECT_EQ(s.dut.out(), "\x55\xAA") << "nothing is lost when the client goes";
    EXPECT_EQ(s.dut.bench.device->status().rfc2217.held_released, 1u);

    const hal::LinkId again = s.client(kPc1); // the id may come back: it starts clean
    s.dut.bench.net.deliver(again, frame_9600_8n1());
    EXPECT_EQ(s.dut.out(), "");
    EXPECT_EQ(s.dut.bench.device->status().rfc2217.applied, 1u);
}

TEST(K7TcpServer, ARefusedFrameIsConsumedAndCounted) {
    TcpServer s({"AT+RFCEN=ON"});
    const hal::LinkId c1 = s.client(kPc1);
    const int before = s.dut.bench.uart.configured;
    // Mark parity: the K7's AT+UART row has it, the HAL's line has not.
    s.dut.bench.net.deliver(c1, proto::rfc2217::encode({9600, 8, 1, proto::rfc2217::Parity::Mark}));
    EXPECT_EQ(s.dut.out(), "");
    EXPECT_EQ(s.dut.bench.uart.configured, before);
    EXPECT_EQ(s.dut.bench.device->status().rfc2217.refused, 1u);
    EXPECT_TRUE(logged(s.dut.bench, "does not allow"));
}

TEST(K7ModbusGateway, RfcenFramesAreTakenOutBeforeTheGateway) {
    TcpServer s({"AT+MODTCP=ON", "AT+RFCEN=ON"});
    const hal::LinkId c1 = s.client(kPc1);
    // MBAP: tid 1, proto 0, len 6, unit 1, read holding registers 0, count 1.
    const std::string request = bytes({0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 1});
    s.dut.bench.net.deliver(c1, frame_9600_8n1() + request);
    EXPECT_EQ(s.dut.bench.uart.settings.baud, 9600u);
    EXPECT_EQ(s.dut.out(), bytes({1, 3, 0, 0, 0, 1, 0x84, 0x0A})) << "the RTU request with its CRC";
}

TEST(K7TcpServer, NoServerSocketsIsLoggedAndHarmless) {
    Bench b("k7");
    b.net.server_sockets = false;
    b.power_on();
    EXPECT_TRUE(logged(b, "TCP server: the module has no server sockets"));
    b.clock.advance(100);
    b.device->on_uart_rx("data");
    b.clock.advance(100);
    EXPECT_EQ(b.device->status().sockets.at(0).state, device::LinkState::Disabled);
    EXPECT_TRUE(b.system.resets.empty());
}

TEST(K7UdpServer, AnswersTheLastSender) {
    Dut dut("k7");
    configure(dut, {"AT+SOCKA=UDPS,192.168.0.201,5000"});
    FakeNet& net = dut.bench.net;
    EXPECT_TRUE(net.links[0].listening);
    EXPECT_EQ(net.links[0].proto, hal::Proto::Udp);
    EXPECT_EQ(net.links[0].port, 5000);
    net.bound(0);
    dut.out();

    dut.frame("too early");
    EXPECT_TRUE(net.links[0].sent_to.empty()) << "nobody to answer before the first datagram";
    EXPECT_TRUE(logged(dut.bench, "no datagram received yet"));
    EXPECT_EQ(dut.bench.device->status().sockets.at(0).cache_dropped_bytes, 9u);

    net.datagram(0, kPc1, "one");
    EXPECT_EQ(dut.out(), "one");
    dut.frame("r1");
    ASSERT_EQ(net.links[0].sent_to.size(), 1u);
    EXPECT_EQ(net.links[0].sent_to[0].first, kPc1);
    EXPECT_EQ(net.links[0].sent_to[0].second, "r1");

    net.datagram(0, kPc2, "two");
    EXPECT_EQ(dut.out(), "two");
    dut.frame("r2");
    ASSERT_EQ(net.links[0].sent_to.size(), 2u);
    EXPECT_EQ(net.links[0].sent_to[1].first, kPc2) << "K7 §4.2.4: back to the last IP and port";
    EXPECT_EQ(net.links[0].sent_to[1].second, "r2");

    const device::SocketStatus a = dut.bench.device->status().sockets.at(0);
    EXPECT_EQ(a.protocol, "UDP");
    EXPECT_EQ(a.host, "192.168.0.101");
    EXPECT_EQ(a.state, device::LinkState::Connected);
}

TEST(K7UdpServer, DatagramsInCommandModeAreDropped) {
    Dut dut("k7");
    configure(dut, {"AT+SOCKA=UDPS,192.168.0.201,5000"});
    dut.bench.net.bound(0);
    enter_command(dut);
    dut.bench.net.datagram(0, kPc1, "ignored");
    EXPECT_EQ(dut.out(), "");
}

TEST(K7ModbusGateway, RequestToRtuAndReplyToTheAskingClient) {
    TcpServer s({"AT+MODTCP=ON"});
    const hal::LinkId quiet = s.client(kPc1);
    const hal::LinkId asking = s.client(kPc2);
    // MBAP: transaction 0x0102, protocol 0, length 6, unit 1; PDU: read holding register 0, 1 of them.
    s.dut.bench.net.deliver(asking, bytes({0x01, 0x02, 0, 0, 0, 6, 0x01, 0x03, 0, 0, 0, 1}));
    EXPECT_EQ(s.dut.out(), bytes({0x01, 0x03, 0, 0, 0, 1, 0x84, 0x0A})) << "RTU with CRC-16/MODBUS";

    s.dut.frame(bytes({0x01, 0x03, 0x02, 0x00, 0x2A, 0x39, 0x9B}));
    EXPECT_EQ(s.dut.bench.net.stream(asking), bytes({0x01, 0x02, 0, 0, 0, 5, 0x01, 0x03, 0x02, 0x00, 0x2A}))
        << "same transaction id, length = PDU + 1";
    EXPECT_EQ(s.dut.bench.net.stream(quiet), "") << "only the client that asked";
}

TEST(K7ModbusGateway, BadCrcReplyIsDropped) {
    TcpServer s({"AT+MODTCP=ON"});
    const hal::LinkId c1 = s.client(kPc1);
    s.dut.bench.net.deliver(c1, bytes({0x00, 0x07, 0, 0, 0, 6, 0x01, 0x03, 0, 0, 0, 1}));
    EXPECT_EQ(s.dut.out(), bytes({0x01, 0x03, 0, 0, 0, 1, 0x84, 0x0A}));
    s.dut.frame(bytes({0x01, 0x03, 0x02, 0x00, 0x2A, 0x39, 0x9C}));
    EXPECT_EQ(s.dut.bench.net.stream(c1), "") << "spec k7 §8: bad CRC -> dropped";
    s.dut.frame("plain serial data");
    EXPECT_EQ(s.dut.bench.net.stream(c1), "") << "serial data goes to the gateway, not to the clients";
}

TEST(K7ModbusGateway, ClosedClientGetsNoReply) {
    TcpServer s({"AT+MODTCP=ON"});
    const hal::LinkId c1 = s.client(kPc1);
    s.dut.bench.net.deliver(c1, bytes({0x00, 0x09, 0, 0, 0, 6, 0x01, 0x03, 0, 0, 0, 1}));
    s.dut.out();
    s.dut.bench.net.drop(c1);
    const hal::LinkId c2 = s.client(kPc2);
    EXPECT_EQ(c2, c1) << "the fake net reuses the free id";
    s.dut.frame(bytes({0x01, 0x03, 0x02, 0x00, 0x2A, 0x39, 0x9B}));
    EXPECT_EQ(s.dut.bench.net.stream(c2), "") << "the reply was for the closed connection";
}

TEST(K7ModbusGateway, ModtoIsTheResponseTimeout) {
    const std::string request = bytes({0x00, 0x01, 0, 0, 0, 6, 0x01, 0x03, 0, 0, 0, 1});
    const std::string reply = bytes({0x01, 0x03, 0x02, 0x00, 0x2A, 0x39, 0x9B});
    for (const bool long_timeout : {false, true}) {
        TcpServer s =
            long_timeout ? TcpServer({"AT+MODTCP=ON", "AT+MODTO=1000"}) : TcpServer({"AT+MODTCP=ON"});
        const hal::LinkId c1 = s.client(kPc1);
        s.dut.bench.net.deliver(c1, request);
        s.dut.advance(500);
        s.dut.rx(reply);
        s.dut.advance(60);
        EXPECT_EQ(s.dut.bench.net.stream(c1).empty(), !long_timeout)
            << "a reply 500 ms late: dropped with MODTO 200 (ms, GAP-43), taken with 1000";
    }
}

TEST(K7ModbusGateway, BrokenMbapClosesTheClient) {
    TcpServer s({"AT+MODTCP=ON"});
    const hal::LinkId c1 = s.client(kPc1);
    s.dut.bench.net.deliver(c1, bytes({0x00, 0x01, 0, 0, 0, 0, 0x01}));
    EXPECT_FALSE(s.link(c1).open) << "MBAP length 0: the stream cannot be resynchronised";
    EXPECT_EQ(s.dut.out(), "");
}
