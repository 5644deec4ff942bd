// USR-GPRS232-732 NET and UDC work modes on a scripted network (732 §2.1.1, §2.1.4, §2.3.1,
// §2.3.2, §3.1.7.25-55; spec net-transparent §5.3 732 row, field-evidence §3).
#include "gprs732_dut.hpp"

using namespace dtu::test;
using namespace dtu::test::gprs732;
using dtu::device::LinkState;
using dtu::hal::NetError;
using dtu::hal::ResetCause;

namespace {

constexpr dtu::hal::LinkId A = 0, B = 1;

FakeNet& net(Dut& d) { return d.bench.net; }
dtu::device::SocketStatus sock(Dut& d, int i) { return d.bench.device->status().sockets.at(i); }

/// A serial frame in transparent mode: quiet before it, the 200 ms packing time after it.
void frame(Dut& d, std::string_view bytes) {
    d.advance(300);
    d.rx(bytes);
    d.advance(210);
}

std::string udc(unsigned char type, std::string_view body = {}) {
    const std::size_t length = 16 + body.size();
    std::string f{'\x7B', static_cast<char>(type), static_cast<char>(length >> 8), static_cast<char>(length)};
    return f + "00000000001" + std::string(body) + "\x7B";
}

} // namespace

TEST(Gprs732Net, FactorySocketAConnectsToTheManualsServer) {
    Dut dut("gprs732");
    ASSERT_TRUE(net(dut).links.count(A));
    EXPECT_EQ(net(dut).links[A].host, "test.usr.cn") << "732 §3.1.7.25";
    EXPECT_EQ(net(dut).links[A].port, 2317);
    EXPECT_FALSE(net(dut).links.count(B));
}

TEST(Gprs732Net, EchoAndLinkState) {
    Dut dut("gprs732");
    net(dut).accept(A);
    dut.out();
    frame(dut, "to server");
    EXPECT_EQ(net(dut).stream(A), "to server");
    net(dut).deliver(A, "to serial");
    EXPECT_EQ(dut.out(), "to serial");
    enter_command(dut);
    EXPECT_EQ(dut.cmd("AT+SOCKALK"), answer("SOCKALK", "connected"));
    EXPECT_EQ(dut.cmd("AT+SOCKBLK"), answer("SOCKBLK", "disconnected"));
}

TEST(Gprs732Net, CipListsTheLocalAddressOfEachConnectedSocket) {
    Dut dut("gprs732");
    dut.bench.modem.radio_state.local_ip = "10.72.1.9";
    configure(dut, {"AT+SOCKCEN=\"on\""});
    net(dut).accept(A);
    net(dut).accept(2);
    enter_command(dut);
    // 732 §3.1.7.44: "+CIP: " then SOCKET:IP lines.
    EXPECT_EQ(dut.cmd("AT+CIP"), "\r\n+CIP:\r\nSOCKA:10.72.1.9\r\nSOCKC:10.72.1.9\r\n\r\nOK\r\n");
}

TEST(Gprs732Net, HeartbeatOnlyAfterHeartttmWithoutDataInEitherDirection) {
    Dut dut("gprs732");
    net(dut).accept(A);
    dut.advance(20000);
    net(dut).deliver(A, "server data"); // 732 §2.3.2: data from the network counts too
    dut.advance(20000);
    EXPECT_TRUE(net(dut).links[A].sent.empty()) << "40 s after the connect, 20 s after server data";
    dut.advance(10000);
    EXPECT_EQ(net(dut).stream(A), "www.usr.cn") << "HEARTDT's default after 30 quiet seconds";
    frame(dut, "serial data");
    net(dut).links[A].sent.clear();
    dut.advance(29000);
    EXPECT_TRUE(net(dut).links[A].sent.empty());
    dut.advance(1000);
    EXPECT_EQ(net(dut).stream(A), "www.usr.cn");
}

TEST(Gprs732Net, SerialHeartbeatGoesOutAtEveryInterval) {
    Dut dut("gprs732");
    configure(dut, {"AT+HEARTTP=\"COM\"", "AT+HEARTTM=5", "AT+HEARTDT=\"3F\""});
    dut.out();
    dut.advance(5000);
    EXPECT_EQ(dut.out(), "?") << "732 §2.3.2: to the serial port at the interval";
    dut.advance(5000);
    EXPECT_EQ(dut.out(), "?");
}

TEST(Gprs732Net, RegistrationContentTypes) {
    {
        Dut dut("gprs732");
        configure(dut, {"AT+REGEN=\"on\""}); // REGTP REGDT, REGDT "www.usr.cn", REGSND link (factory)
        net(dut).accept(A);
        EXPECT_EQ(net(dut).stream(A), "www.usr.cn") << "732 §2.3.1 step (5)";
    }
    {
        Dut dut("gprs732");
        configure(dut, {"AT+REGEN=\"on\"", "AT+REGTP=\"REGID\"", "AT+REGID=123"});
        net(dut).accept(A);
        EXPECT_EQ(net(dut).stream(A), "123") << "GAP-30: REGID as its decimal text";
    }
    {
        Dut dut("gprs732");
        configure(dut, {"AT+REGEN=\"on\"", "AT+REGTP=\"IMEI\"", "AT+REGSND=\"data\""});
        net(dut).accept(A);
        frame(dut, "x");
        EXPECT_EQ(net(dut).links[A].sent, std::vector<std::string>{"868000000000001x"});
    }
}

TEST(Gprs732Net, ALongConnectionDownForSockrstimRestartsTheModule) {
    Dut dut("gprs732");
    net(dut).refuse(A);
    for (int i = 0; i < 11; ++i) { // 732: retries every 5 s (spec net-transparent §5.3)
        dut.advance(5000);
        if (net(dut).links[A].open) net(dut).refuse(A);
    }
    EXPECT_GE(net(dut).links[A].opens, 10);
    EXPECT_TRUE(dut.bench.system.resets.empty()) << "55 s down: below SOCKRSTIM's 60 s";
    dut.advance(5000);
    ASSERT_EQ(dut.bench.system.resets.size(), 1u) << "732 §3.1.7.41: restart after 60 s without the link";
    EXPECT_EQ(dut.bench.system.resets[0], ResetCause::Watchdog);
}

TEST(Gprs732Net, AConnectionThatComesBackInTimeRestartsNothing) {
    Dut dut("gprs732");
    configure(dut, {"AT+SOCKRSTIM=20"});
    net(dut).refuse(A);
    dut.advance(15000);
    net(dut).accept(A);
    dut.advance(10000);
    net(dut).drop(A);
    dut.advance(15000);
    EXPECT_TRUE(dut.bench.system.resets.empty()) << "the down time starts again at each loss";
    dut.advance(6000);
    EXPECT_EQ(dut.bench.system.resets.size(), 1u);
}

TEST(Gprs732Net, ShortConnectionOnSocketBOpensForDataAndClosesWhenIdle) {
    Dut dut("gprs732");
    configure(dut, {"AT+SOCKAEN=\"off\"", "AT+SOCKBEN=\"on\"", "AT+SOCKBSL=\"short\"", "AT+HEARTEN=\"off\""});
    EXPECT_FALSE(net(dut).links[B].open) << "732 §3.1.7.34: a short connection waits for data";
    frame(dut, "burst");
    ASSERT_TRUE(net(dut).links[B].open);
    net(dut).accept(B);
    EXPECT_EQ(net(dut).stream(B), "burst");
    dut.advance(10000); // not documented: 10 s without data either way (spec net-transparent §5.3)
    EXPECT_FALSE(net(dut).links[B].open);
    EXPECT_EQ(sock(dut, 1).state, LinkState::Idle);
}

TEST(Gprs732Net, AShortConnectionThatCannotConnectForShortimRestarts) {
    Dut dut("gprs732");
    configure(dut, {"AT+SOCKASL=\"short\"", "AT+SHORTIM=10"});
    frame(dut, "data");
    for (int i = 0; i < 3 && dut.bench.system.resets.empty(); ++i) {
        if (net(dut).links[A].open) net(dut).refuse(A);
        dut.advance(5000);
    }
    ASSERT_EQ(dut.bench.system.resets.size(), 1u) << "732 §3.1.7.42";
    EXPECT_EQ(dut.bench.system.resets[0], ResetCause::Watchdog);
}

TEST(Gprs732Net, CachenOffDropsDataWhileDisconnected) {
    Dut dut("gprs732");
    configure(dut, {"AT+CACHEN=\"off\""});
    frame(dut, "lost");
    net(dut).accept(A);
    EXPECT_TRUE(net(dut).links[A].sent.empty());
    EXPECT_EQ(sock(dut, 0).cache_dropped_bytes, 4u);
}

TEST(Gprs732Net, NetworkAtIsTheDataWhenNatenIsOff) {
    Dut dut("gprs732");
    configure(dut, {"AT+NATEN=\"off\""});
    net(dut).accept(A);
    dut.out();
    net(dut).deliver(A, "usr.cn#AT+VER\r");
    EXPECT_EQ(dut.out(), "usr.cn#AT+VER\r");
}

TEST(Gprs732Udc, LoginOnConnectThenFramedDataBothWays) {
    Dut dut("gprs732");
    dut.bench.modem.radio_state.local_ip = "10.0.0.7";
    configure(dut, {"AT+WKMOD=\"UDC\"", "AT+REGEN=\"ON\"", "AT+REGTP=\"UDC\"",
                    "AT+REGDT=\"3030303030303030303031\""});
    net(dut).accept(A);
    ASSERT_EQ(net(dut).links[A].sent.size(), 1u);
    const std::string login = net(dut).links[A].sent[0];
    EXPECT_EQ(login, udc(0x03, std::string("\x0A\x00\x00\x07\x00\x00", 6))) << "login: IP, port";
    net(dut).deliver(A, udc(0x83)); // login answered: nothing for the serial port
    dut.out();
    frame(dut, "up");
    EXPECT_EQ(net(dut).links[A].sent.back(), udc(0x09, "up"));
    net(dut).deliver(A, udc(0x85));
    net(dut).deliver(A, udc(0x89, "down"));
    EXPECT_EQ(dut.out(), "down") << "only the body of server data";
    const std::string split = udc(0x89, "two parts");
    net(dut).deliver(A, split.substr(0, 5));
    EXPECT_EQ(dut.out(), "");
    net(dut).deliver(A, split.substr(5));
    EXPECT_EQ(dut.out(), "two parts") << "frames are reassembled from the TCP stream";
}

TEST(Gprs732Udc, HeartbeatFramesAndOffline) {
    Dut dut("gprs732");
    configure(dut, {"AT+WKMOD=\"UDC\"", "AT+HEARTTM=30", "AT+REGTP=\"UDC\"", "AT+REGDT=\"31\""});
    net(dut).accept(A);
    net(dut).links[A].sent.clear();
    dut.advance(30000);
    EXPECT_EQ(net(dut).stream(A), udc(0x01)) << "the heartbeat is a UDC frame (ID \"1\" padded)";
    net(dut).links[A].sent.clear();
    net(dut).deliver(A, udc(0x82));
    EXPECT_EQ(net(dut).stream(A), udc(0x02)) << "offline answered";
}

TEST(Gprs732Udc, NetworkAtInsideServerData) {
    Dut dut("gprs732");
    configure(dut, {"AT+WKMOD=\"UDC\"", "AT+REGTP=\"UDC\"", "AT+REGDT=\"3030303030303030303031\"",
                    "AT+HEARTEN=\"off\""});
    net(dut).accept(A);
    net(dut).links[A].sent.clear();
    dut.out();
    net(dut).deliver(A, udc(0x89, "usr.cn#AT+WKMOD?\r"));
    EXPECT_EQ(net(dut).stream(A), udc(0x09, "\r\n+WKMOD:UDC\r\n\r\nOK\r\n")) << "answered in a data frame";
    EXPECT_EQ(dut.out(), "");
}
