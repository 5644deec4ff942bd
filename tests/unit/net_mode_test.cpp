// NET transparent mode on a scripted network (G771 §2.2, §2.2.1-§2.2.3, §2.6.8, §3.4.2;
// spec net-transparent §5-§9, §12).
#include "dut.hpp"

using namespace dtu::test;
using dtu::device::LinkState;
using dtu::hal::NetError;

namespace {

constexpr dtu::hal::LinkId A = 0, B = 1;

FakeNet& net(Dut& dut) { return dut.bench.net; }
dtu::device::SocketStatus sock(Dut& dut, int i) { return dut.bench.device->status().sockets.at(i); }

} // namespace

TEST(NetMode, FactorySocketAConnectsToTheManualsServer) {
    Dut dut;
    ASSERT_TRUE(net(dut).links.count(A));
    EXPECT_EQ(net(dut).links[A].host, "socket.usr.cn");
    EXPECT_EQ(net(dut).links[A].port, 2317);
    EXPECT_EQ(net(dut).links[A].proto, dtu::hal::Proto::Tcp);
    EXPECT_FALSE(net(dut).links.count(B)) << "B..D are off at the factory";
    EXPECT_EQ(sock(dut, 0).state, LinkState::Connecting);
}

TEST(NetMode, EchoTestBothWays) {
    Dut dut;
    net(dut).accept(A);
    EXPECT_EQ(sock(dut, 0).state, LinkState::Connected);
    dut.out();
    dut.frame("hello server");
    EXPECT_EQ(net(dut).links[A].sent, std::vector<std::string>{"hello server"});
    net(dut).deliver(A, "hello device");
    EXPECT_EQ(dut.out(), "hello device");
    EXPECT_EQ(sock(dut, 0).tx_bytes, 12u);
    EXPECT_EQ(sock(dut, 0).rx_bytes, 12u);
}

TEST(NetMode, LinkStatusQuery) {
    Dut dut;
    net(dut).accept(A);
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+SOCKALK"), answer("SOCKALK", "Connected"));
    EXPECT_EQ(dut.cmd("AT+SOCKBLK"), answer("SOCKBLK", "Disconnected"));
}

TEST(NetMode, FramesFanOutToEveryConnectedSocket) {
    Dut dut;
    dut.configure({"AT+SOCKBEN=ON", "AT+SOCKB=UDP,10.0.0.9,5000"});
    EXPECT_EQ(net(dut).links[B].proto, dtu::hal::Proto::Udp);
    net(dut).accept(A);
    net(dut).accept(B);
    dut.frame("x1");
    EXPECT_EQ(net(dut).stream(A), "x1");
    EXPECT_EQ(net(dut).links[B].sent, std::vector<std::string>{"x1"}) << "one frame = one datagram";
}

TEST(NetMode, PackingLengthSplitsFramesIntoPackets) {
    Dut dut;
    dut.configure({"AT+UARTFL=5"});
    net(dut).accept(A);
    dut.frame("0123456789AB");
    EXPECT_EQ(net(dut).links[A].sent, (std::vector<std::string>{"01234", "56789", "AB"}));
}

TEST(NetMode, RegistrationOnLink) {
    Dut dut;
    dut.configure({"AT+REGEN=ON", "AT+REGTP=IMEI", "AT+REGSND=LINK"});
    net(dut).accept(A);
    dut.frame("data");
    EXPECT_EQ(net(dut).links[A].sent, (std::vector<std::string>{"868000000000001", "data"}));
}

TEST(NetMode, RegistrationWithData) {
    Dut dut;
    dut.configure({"AT+REGEN=ON", "AT+REGTP=USER", "AT+REGDT=5245473A", "AT+REGSND=DATA"});
    net(dut).accept(A);
    dut.frame("d1");
    dut.frame("d2");
    EXPECT_EQ(net(dut).links[A].sent, (std::vector<std::string>{"REG:d1", "REG:d2"}));
}

TEST(NetMode, RegistrationLinkAndDataAndEveryType) {
    for (const auto& [type, bytes] : std::vector<std::pair<std::string, std::string>>{
             {"ICCID", "89860000000000000001"}, {"SN", "02400122052700000529"}, {"USER", "www.usr.cn"}}) {
        Dut dut;
        dut.configure({"AT+REGEN=ON", "AT+REGTP=" + type, "AT+REGSND=LINK&DATA"});
        net(dut).accept(A);
        dut.frame("!");
        EXPECT_EQ(net(dut).links[A].sent, (std::vector<std::string>{bytes, bytes + "!"})) << type;
    }
}

TEST(NetMode, NetworkHeartbeatOnlyAfterAnIdleInterval) {
    Dut dut; // factory: HEARTEN ON, NET, 30 s, "www.usr.cn"
    net(dut).accept(A);
    dut.advance(20000);
    dut.frame("busy"); // data sent at ~20 s restarts the heartbeat time
    dut.advance(29000);
    EXPECT_EQ(net(dut).links[A].sent, std::vector<std::string>{"busy"});
    dut.advance(1000);
    EXPECT_EQ(net(dut).links[A].sent, (std::vector<std::string>{"busy", "www.usr.cn"}));
    dut.advance(30000);
    EXPECT_EQ(net(dut).links[A].sent.size(), 3u) << "and again after each idle interval";
}

TEST(NetMode, SerialHeartbeatIsUnconditional) {
    Dut dut;
    dut.configure({"AT+HEARTTP=COM", "AT+HEARTTM=10", "AT+HEARTSORT=IMEI"});
    dut.out();
    net(dut).accept(A);
    dut.advance(10000);
    EXPECT_EQ(dut.out(), "868000000000001");
    dut.frame("traffic");
    net(dut).deliver(A, "reply");
    dut.advance(10000);
    EXPECT_EQ(dut.out(), "reply868000000000001") << "traffic does not delay the serial heartbeat";
    EXPECT_EQ(net(dut).links[A].sent, std::vector<std::string>{"traffic"}) << "nothing to the network";
}

TEST(NetMode, ReconnectEverySockrstimAndRestartAfterSockrsnum) {
    Dut dut;
    dut.configure({"AT+SOCKRSTIM=2", "AT+SOCKRSNUM=3"});
    net(dut).refuse(A);
    EXPECT_EQ(sock(dut, 0).state, LinkState::Waiting);
    dut.advance(1999);
    EXPECT_EQ(net(dut).links[A].opens, 1);
    dut.advance(1);
    EXPECT_EQ(net(dut).links[A].opens, 2);
    net(dut).refuse(A, NetError::DnsFailed);
    dut.advance(2000);
    EXPECT_TRUE(dut.bench.system.resets.empty());
    net(dut).refuse(A, NetError::Timeout);
    ASSERT_EQ(dut.bench.system.resets.size(), 1u);
    EXPECT_EQ(dut.bench.system.resets[0], dtu::hal::ResetCause::Watchdog);
}

TEST(NetMode, SuccessResetsTheFailureCount) {
    Dut dut;
    dut.configure({"AT+SOCKRSTIM=1", "AT+SOCKRSNUM=2"});
    net(dut).refuse(A);
    dut.advance(1000);
    net(dut).accept(A);
    net(dut).drop(A);
    dut.advance(1000);
    net(dut).refuse(A);
    EXPECT_TRUE(dut.bench.system.resets.empty());
    EXPECT_EQ(sock(dut, 0).connects, 1u);
    EXPECT_EQ(sock(dut, 0).reconnects, 2u);
}

TEST(NetMode, ReconnectAfterTheServerCloses) {
    Dut dut;
    net(dut).accept(A);
    net(dut).drop(A, NetError::Reset);
    EXPECT_EQ(sock(dut, 0).state, LinkState::Waiting);
    dut.advance(5000);
    EXPECT_EQ(net(dut).links[A].opens, 2);
    net(dut).accept(A);
    EXPECT_EQ(sock(dut, 0).state, LinkState::Connected);
}

TEST(NetMode, BackupServerAlternatesWithTheMainOne) {
    Dut dut;
    dut.configure({"AT+SOCKABKEN=ON", "AT+SOCKABK=TCP,backup.example,9000", "AT+SOCKRSTIM=1"});
    EXPECT_EQ(net(dut).links[A].host, "socket.usr.cn");
    net(dut).refuse(A);
    dut.advance(1000);
    EXPECT_EQ(net(dut).links[A].host, "backup.example");
    EXPECT_EQ(net(dut).links[A].port, 9000);
    net(dut).accept(A);
    EXPECT_TRUE(sock(dut, 0).on_backup);
    net(dut).drop(A);
    dut.advance(1000);
    EXPECT_EQ(net(dut).links[A].host, "socket.usr.cn") << "after a disconnect the main server comes first";
}

TEST(NetMode, CachedDataIsDeliveredOnceInOrderAfterTheRegistration) {
    Dut dut;
    dut.configure({"AT+REGEN=ON", "AT+REGTP=SN"});
    dut.frame("first");
    dut.frame("second");
    EXPECT_EQ(sock(dut, 0).cached_bytes, 11u);
    net(dut).accept(A);
    dut.frame("live");
    EXPECT_EQ(net(dut).links[A].sent,
              (std::vector<std::string>{"02400122052700000529", "first", "second", "live"}));
    net(dut).drop(A);
    dut.advance(5000);
    net(dut).accept(A);
    EXPECT_EQ(net(dut).links[A].sent.size(), 5u) << "only the registration again: nothing is sent twice";
}

TEST(NetMode, CacheKeepsTheOldestFourKilobytes) {
    Dut dut;
    dut.configure({"AT+UARTFL=4096"});
    dut.frame(std::string(3000, 'a'));
    dut.frame(std::string(3000, 'b'));
    EXPECT_EQ(sock(dut, 0).cached_bytes, 4096u);
    EXPECT_EQ(sock(dut, 0).cache_dropped_bytes, 1904u);
    net(dut).accept(A);
    EXPECT_EQ(net(dut).stream(A), std::string(3000, 'a') + std::string(1096, 'b'));
}

TEST(NetMode, NoCacheDropsDataWhileDisconnected) {
    Dut dut;
    dut.configure({"AT+CACHEN=OFF"});
    dut.frame("lost");
    net(dut).accept(A);
    EXPECT_TRUE(net(dut).links[A].sent.empty());
    EXPECT_EQ(sock(dut, 0).cache_dropped_bytes, 4u);
}

TEST(NetMode, NetworkAtAnswersOnTheSameSocket) {
    Dut dut;
    net(dut).accept(A);
    dut.out();
    net(dut).deliver(A, "usr.cn#AT+SOCKA\r\n");
    EXPECT_EQ(net(dut).stream(A), answer("SOCKA", "TCP,socket.usr.cn,2317"));
    EXPECT_EQ(dut.out(), "") << "not forwarded to the serial port";
    net(dut).deliver(A, "usr.cn#AT+HEARTTM=99\r");
    EXPECT_NE(net(dut).stream(A).find(ok()), std::string::npos);
}

TEST(NetMode, NetworkAtRestartAnswersFirst) {
    Dut dut;
    net(dut).accept(A);
    net(dut).deliver(A, "usr.cn#AT+Z\r");
    EXPECT_EQ(net(dut).stream(A), ok());
    EXPECT_EQ(dut.bench.system.resets.size(), 1u);
}

TEST(NetMode, NetworkAtCanBeTurnedOff) {
    Dut dut;
    dut.configure({"AT+NATEN=OFF"});
    net(dut).accept(A);
    dut.out();
    net(dut).deliver(A, "usr.cn#AT+VER\r");
    EXPECT_EQ(dut.out(), "usr.cn#AT+VER\r") << "plain data then";
}

TEST(NetMode, NoDataRestart) {
    Dut dut;
    dut.configure({"AT+RSTIM=60"});
    net(dut).accept(A);
    dut.advance(50000);
    net(dut).deliver(A, "ping");
    dut.advance(59000);
    EXPECT_TRUE(dut.bench.system.resets.empty()) << "server data restarts the 60 s";
    dut.advance(1000);
    ASSERT_EQ(dut.bench.system.resets.size(), 1u);
    EXPECT_EQ(dut.bench.system.resets[0], dtu::hal::ResetCause::NoData);
}

TEST(NetMode, CommandModeDiscardsNetworkData) {
    Dut dut;
    net(dut).accept(A);
    dut.enter_command();
    net(dut).deliver(A, "while configuring");
    EXPECT_EQ(dut.out(), "");
    EXPECT_EQ(dut.cmd("AT+ENTM"), "\r\n+OK\r\n");
    net(dut).deliver(A, "after");
    EXPECT_EQ(dut.out(), "after");
}

TEST(NetMode, ShortConnectionOpensForDataAndClosesWhenIdle) {
    Dut dut;
    dut.configure({"AT+SOCKASL=SHORT", "AT+SHORTATM=5"});
    EXPECT_FALSE(net(dut).links.count(A)) << "no connection until there is data";
    EXPECT_EQ(sock(dut, 0).state, LinkState::Idle);
    dut.frame("reading 1");
    EXPECT_EQ(net(dut).links[A].opens, 1);
    net(dut).accept(A);
    EXPECT_EQ(net(dut).links[A].sent, std::vector<std::string>{"reading 1"});
    dut.advance(4999);
    EXPECT_TRUE(net(dut).links[A].open);
    dut.advance(1);
    EXPECT_FALSE(net(dut).links[A].open);
    EXPECT_EQ(sock(dut, 0).state, LinkState::Idle);
    dut.frame("reading 2");
    EXPECT_EQ(net(dut).links[A].opens, 2);
}

TEST(NetMode, RegistrationLossDropsSocketsAndTheyComeBack) {
    Dut dut;
    net(dut).accept(A);
    net(dut).attach = false;
    net(dut).listener->on_attach_changed(false);
    EXPECT_FALSE(net(dut).links[A].open);
    EXPECT_EQ(sock(dut, 0).state, LinkState::Waiting);
    dut.frame("kept");
    dut.advance(60000);
    EXPECT_EQ(net(dut).links[A].opens, 1) << "no attempts without registration";
    net(dut).attach = true;
    net(dut).listener->on_attach_changed(true);
    dut.advance(5000);
    EXPECT_EQ(net(dut).links[A].opens, 2);
    net(dut).accept(A);
    EXPECT_EQ(net(dut).stream(A), "kept");
}

TEST(SocketDistribution, ManualExampleGoesToSocketAOnly) {
    Dut dut;
    dut.configure({"AT+SDPEN=ON", "AT+SOCKBEN=ON"});
    net(dut).accept(A);
    net(dut).accept(B);
    dut.frame(std::string("\x55\xFD\xAA\x00\x03\x61\x00\xCC\x2D", 9)); // field-evidence §2 example
    EXPECT_EQ(net(dut).stream(A), "\xCC");
    EXPECT_EQ(net(dut).stream(B), "");
}

TEST(SocketDistribution, ServerDataIsTaggedWithItsSocket) {
    Dut dut;
    dut.configure({"AT+SDPEN=ON", "AT+SOCKBEN=ON"});
    net(dut).accept(B);
    dut.out();
    net(dut).deliver(B, "\x01\x02");
    // AA FD 55 | 00 04 | 62 00 01 02 | sum 0x65
    EXPECT_EQ(dut.out(), std::string("\xAA\xFD\x55\x00\x04\x62\x00\x01\x02\x65", 10));
}

TEST(SocketDistribution, BadFramesGetStatusReplies) {
    Dut dut;
    dut.configure({"AT+SDPEN=ON"});
    net(dut).accept(A);
    dut.out();
    const auto reply = [](char socket, char status) {
        const char sum = static_cast<char>(
            (static_cast<unsigned char>(socket) + 0x80 + static_cast<unsigned char>(status)) & 0xFF);
        return std::string("\xAA\xFD\x55\x00\x03", 5) + socket + '\x80' + status + sum;
    };
    dut.frame(std::string("\x55\xFD\xAA\x00\x03\x61\x00\xCC\x2E", 9));
    EXPECT_EQ(dut.out(), reply('\x61', '\x04')) << "checksum";
    dut.frame(std::string("\x55\xFD\xAA\x00\x09\x61\x00\xCC\x2D", 9));
    EXPECT_EQ(dut.out(), reply('\x61', '\x01')) << "length";
    dut.frame(std::string("\x55\xFD\xAA\x00\x03\x65\x00\xCC\x31", 9));
    EXPECT_EQ(dut.out(), reply('\x65', '\x02')) << "socket E does not exist";
    dut.frame(std::string("\x55\xFD\xAA\x00\x03\x62\x00\xCC\x2E", 9));
    EXPECT_EQ(dut.out(), reply('\x62', '\x10')) << "socket B is disabled";
    EXPECT_EQ(net(dut).stream(A), "");
}
