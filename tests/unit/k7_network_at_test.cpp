// The USR-K7's network AT commands over UDP on the fake bench (K7 §5.3.1; spec k7-ethernet §10
// RECOMMENDED, GAP-52): the SEARCH port and keyword, the session and its 30 s, the answers as the
// serial port gives them, AT+ENTM, other senders.
#include "dut.hpp"

#include "device/network_at_service.hpp"

using namespace dtu;
using namespace dtu::test;

namespace {

constexpr hal::LinkId kLink = hal::links::kNetworkAt;
constexpr hal::NetAddress kPc{0xC0A80064, 50000};    // 192.168.0.100, the setup tool
constexpr hal::NetAddress kOther{0xC0A80065, 50001}; // 192.168.0.101
const std::string kOk = "\r\n+OK\r\n";
// Factory WANN 192.168.0.7, USERMAC D8B04C000007, MID USR-K7 (K7 §1.2, §5.3.5 #7, #31, #32).
const std::string kIdentity = "192.168.0.7,D8B04C000007,USR-K7";

std::string value(std::string_view v) { return "\r\n+OK=" + std::string(v) + "\r\n"; }

class K7NetworkAt : public ::testing::Test {
protected:
    K7NetworkAt() { start(); }
    void start() {
        dut.bench.net.bound(kLink);
        dut.out();
    }

    /// One datagram from `from`; the answers it caused (each checked to go back to the sender).
    std::vector<std::string> send(std::string_view bytes, const hal::NetAddress& from = kPc) {
        auto& sent = dut.bench.net.links[kLink].sent_to;
        const std::size_t before = sent.size();
        dut.bench.net.datagram(kLink, from, bytes);
        std::vector<std::string> out;
        for (std::size_t i = before; i < sent.size(); ++i) {
            EXPECT_EQ(sent[i].first, from) << "answered to the sender (spec k7 §10)";
            out.push_back(sent[i].second);
        }
        return out;
    }
    using Answers = std::vector<std::string>;

    /// A command on the serial port (K7 §5.3.2: "+++", 'a' -> "+ok").
    std::string serial(std::string_view line) {
        dut.enter_command(50, "+ok");
        std::string answer = dut.cmd(line);
        EXPECT_EQ(dut.cmd("AT+ENTM"), kOk);
        return answer;
    }
    device::NetworkAtStatus status() { return dut.bench.device->status().network_at; }

    Dut dut{"k7"};
};

} // namespace

TEST(K7NetworkAtBoot, ListensOnTheSearchPortForTheK7Only) {
    Dut k7("k7");
    const auto& link = k7.bench.net.links[kLink];
    EXPECT_TRUE(link.listening);
    EXPECT_EQ(link.proto, hal::Proto::Udp);
    EXPECT_EQ(link.port, 48899) << "factory AT+SEARCH=48899,www.usr.cn (K7 §5.3.5 #11)";
    EXPECT_FALSE(k7.bench.device->status().network_at.listening) << "not before on_listening";
    k7.bench.net.bound(kLink);
    EXPECT_TRUE(k7.bench.device->status().network_at.listening);
    EXPECT_EQ(k7.bench.device->status().network_at.port, 48899);

    for (const char* other : {"g771", "gprs732", "lte7s4", "gm5"}) {
        Dut d(other);
        EXPECT_EQ(d.bench.net.links.count(kLink), 0u) << other << ": Profile::lan.network_at_udp is the K7's";
    }
}

TEST(K7NetworkAtBoot, NoServerSocketsLeavesTheDeviceWorking) {
    Bench b("k7");
    b.net.server_sockets = false;
    b.power_on();
    EXPECT_EQ(b.net.links.count(kLink), 0u);
    EXPECT_FALSE(b.device->status().network_at.listening);
}

TEST(K7NetworkAtBoot, ListensAgainWhenTheLinkComesBack) {
    Dut d("k7");
    auto& links = d.bench.net.links;
    d.bench.net.listener->on_listen_failed(kLink, hal::NetError::NotAttached);
    links.erase(kLink);
    d.bench.net.listener->on_attach_changed(true);
    ASSERT_EQ(links.count(kLink), 1u);
    EXPECT_TRUE(links[kLink].listening);
    EXPECT_EQ(links[kLink].port, 48899);
}

TEST_F(K7NetworkAt, KeywordIsAnsweredWithIpMacAndName) {
    EXPECT_EQ(send("www.usr.cn"), Answers{kIdentity}) << "spec k7 §10: <IP>,<MAC>,<MID>";
    EXPECT_TRUE(status().in_session);
    EXPECT_EQ(status().peer, "192.168.0.100:50000");
    EXPECT_EQ(status().sessions, 1u);
    EXPECT_TRUE(dut.out().empty()) << "nothing on the serial port";
}

TEST_F(K7NetworkAt, KeywordWithATerminatorOpensTooButNotAnotherWord) {
    EXPECT_EQ(send("www.usr.cn\r\n"), Answers{kIdentity});
    Dut fresh("k7");
    fresh.bench.net.datagram(kLink, kPc, "WWW.USR.CN");
    fresh.bench.net.datagram(kLink, kPc, "www.usr.cn.");
    EXPECT_TRUE(fresh.bench.net.links[kLink].sent_to.empty()) << "the keyword is matched exactly";
}

TEST_F(K7NetworkAt, CommandInTheSessionGetsTheSerialAnswer) {
    send("www.usr.cn");
    EXPECT_EQ(send("AT+SEARCH"), Answers{value("48899,www.usr.cn")});
    EXPECT_EQ(send("AT+MID\r\n"), Answers{value("USR-K7")}) << "a terminator is allowed";
    EXPECT_EQ(send("AT+MID\r"), Answers{value("USR-K7")});
    EXPECT_EQ(send("AT+WANN"), Answers{serial("AT+WANN")}) << "exactly the serial bytes";
    EXPECT_EQ(send("AT+NOSUCH"), Answers{"\r\n+ERR=-2\r\n"}) << "K7 §5.3.3: -2 invalid command";
    EXPECT_EQ(send("hello"), Answers{"\r\n+ERR=-1\r\n"}) << "K7 §5.3.3: -1 invalid format";
    EXPECT_EQ(status().commands, 6u);
    EXPECT_TRUE(dut.out().empty()) << "network answers do not go to the serial port";
}

TEST_F(K7NetworkAt, SetPersistsAndShowsOnTheSerialPort) {
    send("www.usr.cn");
    EXPECT_EQ(send("AT+MID=PLANT-7"), Answers{kOk});
    EXPECT_EQ(serial("AT+MID"), value("PLANT-7"));
    // Spec k7 §3.3: kept at once, in effect after AT+Z; the restart follows the answer.
    EXPECT_EQ(send("AT+Z"), Answers{kOk});
    ASSERT_EQ(dut.bench.system.resets.size(), 1u);
    dut.reboot();
    start();
    EXPECT_EQ(serial("AT+MID"), value("PLANT-7"));
    EXPECT_EQ(send("www.usr.cn"), Answers{"192.168.0.7,D8B04C000007,PLANT-7"});
}

TEST_F(K7NetworkAt, CommandWithoutASessionIsIgnored) {
    EXPECT_TRUE(send("AT+MID").empty());
    EXPECT_TRUE(send("AT+MID=HACKED").empty());
    EXPECT_EQ(serial("AT+MID"), value("USR-K7")) << "not run either";
    EXPECT_EQ(status().ignored, 2u);
    EXPECT_EQ(status().commands, 0u);
}

TEST_F(K7NetworkAt, SessionExpiresAfter30sWithoutACommand) {
    send("www.usr.cn");
    dut.advance(29'999);
    EXPECT_EQ(send("AT+MID"), Answers{value("USR-K7")}) << "within 30 s";
    dut.advance(29'999);
    EXPECT_EQ(send("AT+MID"), Answers{value("USR-K7")}) << "each command restarts the 30 s";
    dut.advance(30'000);
    EXPECT_FALSE(status().in_session);
    EXPECT_EQ(status().expired, 1u);
    EXPECT_TRUE(send("AT+MID").empty()) << "K7 §5.3.1: no command for 30 s exits network AT";
    EXPECT_EQ(send("www.usr.cn"), Answers{kIdentity}) << "the keyword opens a new one";
    EXPECT_EQ(send("AT+MID"), Answers{value("USR-K7")});
}

TEST_F(K7NetworkAt, EntmEndsTheSession) {
    send("www.usr.cn");
    EXPECT_EQ(send("AT+ENTM"), Answers{kOk}) << "K7 §5.3.5 #4: answered, then the session ends";
    EXPECT_FALSE(status().in_session);
    EXPECT_TRUE(send("AT+MID").empty());
    EXPECT_EQ(dut.bench.device->status().serial_mode, device::SerialMode::Transparent)
        << "the serial port is not affected";
    dut.advance(40'000);
    EXPECT_EQ(status().expired, 0u) << "no expiry left running";
}

TEST_F(K7NetworkAt, EntmOnTheSerialPortLeavesTheNetworkSessionOpen) {
    send("www.usr.cn");
    serial("AT+MID"); // enters and leaves serial command mode with AT+ENTM
    EXPECT_EQ(send("AT+MID"), Answers{value("USR-K7")});
}

TEST_F(K7NetworkAt, OtherSenderIsIgnoredAndItsKeywordReplacesTheSession) {
    send("www.usr.cn");
    EXPECT_TRUE(send("AT+MID", kOther).empty()) << "GAP-52: one session, its source only";
    EXPECT_TRUE(send("AT+MID", {kPc.ip, 50009}).empty()) << "the port is part of the source";
    EXPECT_EQ(send("www.usr.cn", kOther), Answers{kIdentity});
    EXPECT_EQ(status().peer, "192.168.0.101:50001");
    EXPECT_EQ(send("AT+MID", kOther), Answers{value("USR-K7")});
    EXPECT_TRUE(send("AT+MID").empty()) << "GAP-52: the newer session replaced the first";
}

TEST_F(K7NetworkAt, ChangedSearchPortAndKeywordApplyAfterRestart) {
    send("www.usr.cn");
    EXPECT_EQ(send("AT+SEARCH=50000,find.k7"), Answers{kOk});
    EXPECT_EQ(dut.bench.net.links[kLink].port, 48899) << "still the port of boot";
    EXPECT_EQ(send("AT+Z"), Answers{kOk});
    dut.reboot();
    start();
    EXPECT_EQ(dut.bench.net.links[kLink].port, 50000);
    EXPECT_EQ(status().port, 50000);
    EXPECT_TRUE(send("www.usr.cn").empty()) << "the old keyword is just a datagram";
    EXPECT_EQ(send("find.k7"), Answers{kIdentity});
    EXPECT_EQ(send("AT+SEARCH"), Answers{value("50000,find.k7")});
}

TEST_F(K7NetworkAt, CustomMacAndStaticAddressShowAfterRestart) {
    dut.enter_command(50, "+ok");
    EXPECT_EQ(dut.cmd("AT+USERMAC=d8b04cc00d65"), kOk);
    EXPECT_EQ(dut.cmd("AT+WANN=static,192.168.1.50,255.255.255.0,192.168.1.1"), kOk);
    EXPECT_EQ(dut.cmd("AT+Z"), kOk);
    dut.reboot();
    start();
    EXPECT_EQ(send("www.usr.cn"), Answers{"192.168.1.50,D8B04CC00D65,USR-K7"})
        << "K7 §5.3.5 #32: the custom MAC of this start, in capitals as the spec's example";
}
