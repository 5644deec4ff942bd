// USR-LTE-7S4 network transparent mode on a scripted network: its own parameters (SOCKxTO,
// SOCKxSL + SHORxTO on every socket, HEARTSND, REGTP D2DID, no NATEN/UATEN, 10 KB cache)
// (7S4 §2.1.1, §2.3.1, §2.3.2, §3.1.4; spec net-transparent §5.3, §7.3, §9).
#include "lte7s4_dut.hpp"

using namespace dtu::test::s4;
using dtu::device::LinkState;
using dtu::hal::NetError;

namespace {

constexpr dtu::hal::LinkId A = 0, B = 1, D = 3;

dtu::test::FakeNet& net(Dut7s4& dut) { return dut.bench.net; }
dtu::device::SocketStatus sock(Dut7s4& dut, int i) { return dut.bench.device->status().sockets.at(i); }

} // namespace

TEST(Lte7s4Net, ReconnectAfterSockxtoSecondsForever) {
    Dut7s4 dut;
    dut.configure({"AT+SOCKATO=3"});
    for (int attempt = 1; attempt <= 80; ++attempt) { // the G771 would give up after 60 (SOCKRSNUM)
        ASSERT_EQ(net(dut).links[A].opens, attempt);
        net(dut).refuse(A);
        dut.advance(2999);
        ASSERT_EQ(net(dut).links[A].opens, attempt) << "waits SOCKATO seconds";
        dut.advance(1);
    }
    EXPECT_TRUE(dut.bench.system.resets.empty()) << "the 7S4 retries forever";
}

TEST(Lte7s4Net, EachSocketHasItsOwnReconnectTime) {
    Dut7s4 dut;
    dut.configure({"AT+SOCKDEN=ON", "AT+SOCKD=TCP,d.example,4", "AT+SOCKATO=1", "AT+SOCKDTO=7"});
    net(dut).accept(A);
    net(dut).accept(D);
    net(dut).drop(A);
    net(dut).drop(D);
    dut.advance(1000);
    EXPECT_EQ(net(dut).links[A].opens, 2);
    EXPECT_EQ(net(dut).links[D].opens, 1);
    dut.advance(6000);
    EXPECT_EQ(net(dut).links[D].opens, 2);
}

TEST(Lte7s4Net, ShortConnectionOnAnySocketWithItsOwnTimeout) {
    Dut7s4 dut;
    dut.configure(
        {"AT+SOCKAEN=OFF", "AT+SOCKBEN=ON", "AT+SOCKB=TCP,b.example,2", "AT+SOCKBSL=SHORT", "AT+SHORBTO=4"});
    EXPECT_FALSE(net(dut).links.count(B)) << "no connection until there is data";
    EXPECT_EQ(sock(dut, 1).state, LinkState::Idle);
    dut.frame("reading");
    EXPECT_EQ(net(dut).links[B].opens, 1);
    net(dut).accept(B);
    EXPECT_EQ(net(dut).links[B].sent, std::vector<std::string>{"reading"});
    dut.advance(3999);
    EXPECT_TRUE(net(dut).links[B].open);
    dut.advance(1);
    EXPECT_FALSE(net(dut).links[B].open) << "closed after SHORBTO seconds without data";
    EXPECT_EQ(sock(dut, 1).state, LinkState::Idle);
}

TEST(Lte7s4Net, CacheKeepsTenKilobytesPerConnection) {
    Dut7s4 dut; // no CACHEN command: the cache is always on
    for (int i = 0; i < 11; ++i)
        dut.frame(std::string(1000, static_cast<char>('a' + i)));
    EXPECT_EQ(sock(dut, 0).cached_bytes, 10240u);
    EXPECT_EQ(sock(dut, 0).cache_dropped_bytes, 11000u - 10240u);
    net(dut).accept(A);
    EXPECT_EQ(net(dut).stream(A).size(), 10240u);
    EXPECT_EQ(net(dut).stream(A).substr(0, 1000), std::string(1000, 'a')) << "the oldest data is kept";
}

TEST(Lte7s4Net, HeartbeatToTheNetworkAfterIdleInBothDirections) {
    Dut7s4 dut;
    dut.configure({"AT+HEARTTM=10"});
    net(dut).accept(A);
    dut.advance(6000);
    net(dut).deliver(A, "from server"); // 7S4 §2.3.2: data either way keeps the network busy
    dut.advance(9000);
    EXPECT_TRUE(net(dut).links[A].sent.empty());
    dut.advance(1000);
    EXPECT_EQ(net(dut).links[A].sent, std::vector<std::string>{"www.usr.cn"});
}

TEST(Lte7s4Net, HeartsndComSendsTheHeartbeatToTheSerialPort) {
    Dut7s4 dut;
    dut.configure({"AT+HEARTSND=COM", "AT+HEARTTM=5", "AT+HEARTDT=41424344"});
    dut.out();
    net(dut).accept(A);
    dut.advance(5000);
    EXPECT_EQ(dut.out(), "ABCD");
    EXPECT_TRUE(net(dut).links[A].sent.empty());
}

TEST(Lte7s4Net, RegistrationD2didSendsTheSn) {
    Dut7s4 dut;
    dut.configure({"AT+REGEN=ON", "AT+REGTP=D2DID", "AT+REGSND=DATA"});
    net(dut).accept(A);
    dut.frame("!");
    EXPECT_EQ(net(dut).links[A].sent, std::vector<std::string>{"02400122052700000529!"});
}

TEST(Lte7s4Net, RegistrationCloudSendsNothing) {
    Dut7s4 dut; // the cloud protocol is not documented (spec GAP-08)
    dut.configure({"AT+REGEN=ON", "AT+REGTP=CLOUD"});
    net(dut).accept(A);
    dut.frame("x");
    EXPECT_EQ(net(dut).links[A].sent, std::vector<std::string>{"x"});
}

TEST(Lte7s4Net, NetworkAtWithThePasswordAlone) {
    Dut7s4 dut; // 7S4 §3.1.4: "usr.cnAT+VER", always on (no NATEN)
    net(dut).accept(A);
    dut.out();
    net(dut).deliver(A, "usr.cnAT+VER\r");
    EXPECT_EQ(net(dut).stream(A), answer("VER", "V1.0.5"));
    EXPECT_EQ(dut.out(), "") << "not forwarded to the serial port";
    net(dut).deliver(A, "usr.cnAT+SOCKATO=200\r");
    EXPECT_NE(net(dut).stream(A).find(err(4)), std::string::npos);
}

TEST(Lte7s4Net, SocketDistributionRoutesFrames) {
    Dut7s4 dut;
    dut.configure({"AT+SDPEN=ON", "AT+SOCKBEN=ON"});
    net(dut).accept(A);
    net(dut).accept(B);
    dut.frame(std::string("\x55\xFD\xAA\x00\x03\x62\x00\xCC\x2E", 9));
    EXPECT_EQ(net(dut).stream(A), "");
    EXPECT_EQ(net(dut).stream(B), "\xCC");
}

TEST(Lte7s4Net, LinkStateQueryIsOnOff) {
    Dut7s4 dut;
    net(dut).accept(A);
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+SOCKALK"), answer("SOCKALK", "ON"));
    EXPECT_EQ(dut.cmd("AT+SOCKBLK"), answer("SOCKBLK", "OFF"));
}

TEST(Lte7s4Net, PackingByTimeAndLength) {
    Dut7s4 dut;
    dut.configure({"AT+UARTFL=4", "AT+UARTFT=200"});
    net(dut).accept(A);
    dut.advance(500);
    dut.rx("abcdefghij");
    EXPECT_EQ(net(dut).links[A].sent, (std::vector<std::string>{"abcd", "efgh"}));
    dut.advance(199);
    EXPECT_EQ(net(dut).links[A].sent.size(), 2u);
    dut.advance(1);
    EXPECT_EQ(net(dut).links[A].sent, (std::vector<std::string>{"abcd", "efgh", "ij"}));
}
