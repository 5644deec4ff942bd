// NTP time update on a scripted network (G771 §2.6.4; spec device-info §5, GAP-38; SNTP v4,
// RFC 4330): the request on the wire, which replies set the clock, server order, retries, period.
#include <cstdint>
#include <string>

#include "dut.hpp"

using namespace dtu::test;
using dtu::hal::NetError;

namespace {

constexpr dtu::hal::LinkId kNtp = 4; // the NTP client's link id (NET sockets are 0..3)
constexpr std::int64_t kNtpToUnix = 2208988800;
constexpr std::int64_t k2031 = 1935817689; // 2031-05-06 07:08:09 UTC
constexpr std::int64_t k2023 = 1700000000; // 2023-11-14 22:13:20 UTC

FakeNet& net(Dut& dut) { return dut.bench.net; }
dtu::device::Status status(Dut& dut) { return dut.bench.device->status(); }

std::string cclk(Dut& dut) {
    dut.enter_command();
    std::string a = dut.cmd("AT+CCLK");
    dut.cmd("AT+ENTM");
    return a;
}

std::uint64_t read64(const std::string& b, std::size_t at) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i)
        v = v << 8 | static_cast<unsigned char>(b[at + i]);
    return v;
}

void write64(std::string& b, std::size_t at, std::uint64_t v) {
    for (std::size_t i = 0; i < 8; ++i)
        b[at + i] = static_cast<char>(v >> (56 - 8 * i) & 0xFF);
}

std::uint64_t ntp_time(std::int64_t unix_seconds, std::uint32_t fraction = 0) {
    return static_cast<std::uint64_t>(unix_seconds + kNtpToUnix) << 32 | fraction;
}

/// The server accepts the UDP "connection"; returns the request the device sent.
std::string take_request(Dut& dut) {
    net(dut).links[kNtp].sent.clear();
    net(dut).accept(kNtp);
    const auto& sent = net(dut).links[kNtp].sent;
    EXPECT_EQ(sent.size(), 1u);
    return sent.empty() ? std::string() : sent.back();
}

/// A valid server reply (LI 0, VN 4, mode 4, stratum 2) to request, saying it is unix_seconds.
std::string reply_to(const std::string& request, std::int64_t unix_seconds) {
    std::string r(48, '\0');
    r[0] = 0x24;
    r[1] = 2;
    r.replace(24, 8, request.substr(40, 8)); // origin = the client's transmit timestamp
    write64(r, 32, ntp_time(unix_seconds));  // receive
    write64(r, 40, ntp_time(unix_seconds));  // transmit
    return r;
}

TEST(Ntp, OffAtTheFactory) {
    Dut dut;
    dut.advance(120000);
    EXPECT_FALSE(net(dut).links.count(kNtp)) << "AT+NTPEN is OFF at the factory";
    EXPECT_FALSE(status(dut).clock_synced);
}

TEST(Ntp, RequestIsAnSntpV4ClientPacketToPort123OfTheFirstServer) {
    Dut dut;
    dut.configure({"AT+NTPEN=ON", "AT+NTPSVR=ntp1.example,ntp2.example"});
    ASSERT_TRUE(net(dut).links.count(kNtp)) << "NTP starts at power-on";
    const auto& link = net(dut).links[kNtp];
    EXPECT_EQ(link.proto, dtu::hal::Proto::Udp);
    EXPECT_EQ(link.host, "ntp1.example");
    EXPECT_EQ(link.port, 123);
    const std::string req = take_request(dut);
    ASSERT_EQ(req.size(), 48u);
    EXPECT_EQ(static_cast<unsigned char>(req[0]), 0x23) << "LI 0, VN 4, mode 3 (client)";
    EXPECT_EQ(req.substr(1, 39), std::string(39, '\0')) << "only the transmit timestamp is set";
    // The device's clock before any update: 2000-01-01 00:00:00 at power-on (no network time).
    EXPECT_EQ(read64(req, 40) >> 32, static_cast<std::uint64_t>(946684800 + kNtpToUnix));
}

TEST(Ntp, ValidReplySetsTheClockThatCclkShowsInTheOperatorsZone) {
    Dut dut;
    dut.bench.modem.time = {true, k2023, 32}; // the network's time, UTC+8
    dut.configure({"AT+NTPEN=ON", "AT+NTPSVR=10.0.0.123"});
    EXPECT_EQ(cclk(dut), answer("CCLK", "\"23/11/15,06:13:20+32\"")) << "network time before the update";
    const std::string req = take_request(dut);
    dut.advance(2000); // 2 s round trip: the server's time + 1 s
    net(dut).deliver(kNtp, reply_to(req, k2031));
    EXPECT_EQ(cclk(dut), answer("CCLK", "\"31/05/06,15:08:10+32\""));
    EXPECT_TRUE(status(dut).clock_synced);
    EXPECT_EQ(status(dut).ntp_syncs, 1u);
    EXPECT_EQ(status(dut).ntp_failures, 0u);
    EXPECT_FALSE(net(dut).links[kNtp].open) << "the socket is closed after the update";
    dut.advance(61000);
    EXPECT_EQ(cclk(dut), answer("CCLK", "\"31/05/06,15:09:11+32\"")) << "the clock runs on";
    bool logged = false;
    for (const auto& [level, line] : dut.bench.log.lines)
        logged = logged || line.rfind("NTP: time set from 10.0.0.123 (offset ", 0) == 0;
    EXPECT_TRUE(logged);
}

TEST(Ntp, WithoutNetworkTimeTheZoneIsUtc) {
    Dut dut;
    dut.configure({"AT+NTPEN=ON", "AT+NTPSVR=10.0.0.123"});
    EXPECT_EQ(cclk(dut), answer("CCLK", "\"00/01/01,00:00:00+00\""));
    net(dut).deliver(kNtp, reply_to(take_request(dut), k2031));
    EXPECT_EQ(cclk(dut), answer("CCLK", "\"31/05/06,07:08:09+00\""));
}

TEST(Ntp, ServerHoldTimeIsNotPartOfTheRoundTrip) {
    Dut dut;
    dut.configure({"AT+NTPEN=ON", "AT+NTPSVR=10.0.0.123"});
    const std::string req = take_request(dut);
    dut.advance(4000);
    std::string r = reply_to(req, k2031);
    write64(r, 32, ntp_time(k2031 - 2)); // the server held the request 2 s: one-way delay 1 s
    net(dut).deliver(kNtp, r);
    EXPECT_EQ(cclk(dut), answer("CCLK", "\"31/05/06,07:08:10+00\""));
}

TEST(Ntp, BadRepliesAreIgnoredAndCounted) {
    Dut dut;
    dut.configure({"AT+NTPEN=ON", "AT+NTPSVR=10.0.0.123"});
    const std::string req = take_request(dut);
    const std::string good = reply_to(req, k2031);
    std::string wrong_mode = good;
    wrong_mode[0] = 0x23; // mode 3: a client packet (e.g. our own request reflected)
    std::string wrong_origin = good;
    wrong_origin[31] = static_cast<char>(wrong_origin[31] ^ 1);
    std::string kiss = good;
    kiss[1] = 0;
    kiss.replace(12, 4, "RATE");
    std::string stratum16 = good;
    stratum16[1] = 16;
    std::string alarm = good;
    alarm[0] = static_cast<char>(0xE4); // LI 3: server not synchronised
    std::string zero_transmit = good;
    write64(zero_transmit, 40, 0);
    for (const std::string& bad :
         {good.substr(0, 47), wrong_mode, wrong_origin, kiss, stratum16, alarm, zero_transmit, std::string()})
        net(dut).deliver(kNtp, bad);
    EXPECT_EQ(status(dut).ntp_bad_replies, 8u);
    EXPECT_FALSE(status(dut).clock_synced);
    EXPECT_EQ(cclk(dut), answer("CCLK", "\"00/01/01,00:00:00+00\""));
    net(dut).deliver(kNtp, good); // still waiting: a valid reply within the timeout is taken
    EXPECT_TRUE(status(dut).clock_synced);
    EXPECT_EQ(status(dut).ntp_syncs, 1u);
}

TEST(Ntp, EachRequestHasItsOwnOrigin) {
    Dut dut;
    dut.configure({"AT+NTPEN=ON", "AT+NTPSVR=a.example,b.example"});
    const std::string first = take_request(dut);
    dut.advance(5000);
    const std::string second = take_request(dut);
    EXPECT_NE(first.substr(40, 8), second.substr(40, 8));
    net(dut).deliver(kNtp, reply_to(first, k2031)); // the first server's answer, too late
    EXPECT_EQ(status(dut).ntp_bad_replies, 1u) << "its origin is not the request in flight";
    EXPECT_FALSE(status(dut).clock_synced);
}

TEST(Ntp, TimeoutMovesOnToTheNextServer) {
    Dut dut;
    dut.configure({"AT+NTPEN=ON", "AT+NTPSVR=a.example,b.example,c.example"});
    EXPECT_EQ(net(dut).links[kNtp].host, "a.example");
    take_request(dut);
    dut.advance(4999);
    EXPECT_EQ(net(dut).links[kNtp].host, "a.example");
    dut.advance(1);
    EXPECT_EQ(net(dut).links[kNtp].host, "b.example") << "5 s without an answer";
    net(dut).refuse(kNtp, NetError::DnsFailed);
    EXPECT_EQ(net(dut).links[kNtp].host, "c.example") << "a failed lookup moves on at once";
    net(dut).deliver(kNtp, reply_to(take_request(dut), k2031));
    EXPECT_EQ(status(dut).ntp_syncs, 1u);
    EXPECT_EQ(status(dut).ntp_failures, 0u);
}

TEST(Ntp, FailedRoundIsRetriedAfterAMinute) {
    Dut dut;
    dut.configure({"AT+NTPEN=ON", "AT+NTPSVR=a.example,b.example"});
    take_request(dut);
    dut.advance(5000);
    take_request(dut);
    dut.advance(5000);
    EXPECT_EQ(status(dut).ntp_failures, 1u);
    EXPECT_FALSE(net(dut).links[kNtp].open);
    const int opens = net(dut).links[kNtp].opens;
    dut.advance(59999);
    EXPECT_EQ(net(dut).links[kNtp].opens, opens);
    dut.advance(1);
    EXPECT_EQ(net(dut).links[kNtp].opens, opens + 1);
    EXPECT_EQ(net(dut).links[kNtp].host, "a.example") << "a new round starts with the first server";
}

TEST(Ntp, ResyncsEveryNtptmMinutes) {
    Dut dut;
    dut.configure({"AT+NTPEN=ON", "AT+NTPSVR=10.0.0.123", "AT+NTPTM=2"});
    net(dut).deliver(kNtp, reply_to(take_request(dut), k2031));
    const int opens = net(dut).links[kNtp].opens;
    dut.advance(119999);
    EXPECT_EQ(net(dut).links[kNtp].opens, opens);
    dut.advance(1);
    EXPECT_EQ(net(dut).links[kNtp].opens, opens + 1);
    net(dut).deliver(kNtp, reply_to(take_request(dut), k2031 + 3600));
    EXPECT_EQ(status(dut).ntp_syncs, 2u);
    EXPECT_EQ(cclk(dut), answer("CCLK", "\"31/05/06,08:08:09+00\""));
}

TEST(Ntp, WaitsForTheDataLink) {
    Dut dut;
    dut.enter_command();
    for (const char* c : {"AT+NTPEN=ON", "AT+NTPSVR=10.0.0.123"})
        EXPECT_EQ(dut.cmd(c), ok());
    EXPECT_EQ(dut.cmd("AT+S"), ok());
    net(dut).attach = false;
    dut.reboot();
    dut.advance(10000);
    EXPECT_FALSE(net(dut).links.count(kNtp)) << "no request without a data link";
    net(dut).attach = true;
    net(dut).listener->on_attach_changed(true);
    ASSERT_TRUE(net(dut).links.count(kNtp));
    net(dut).deliver(kNtp, reply_to(take_request(dut), k2031));
    EXPECT_TRUE(status(dut).clock_synced);
    EXPECT_EQ(status(dut).ntp_failures, 0u);
}

TEST(Ntp, LosingTheLinkPostponesTheRound) {
    Dut dut;
    dut.configure({"AT+NTPEN=ON", "AT+NTPSVR=10.0.0.123"});
    take_request(dut);
    net(dut).attach = false;
    net(dut).listener->on_attach_changed(false);
    EXPECT_FALSE(net(dut).links[kNtp].open);
    dut.advance(120000);
    EXPECT_EQ(status(dut).ntp_failures, 0u) << "no link is not a failed update";
    net(dut).attach = true;
    net(dut).listener->on_attach_changed(true);
    EXPECT_TRUE(net(dut).links[kNtp].open);
}

TEST(Ntp, RunsInEveryWorkMode) {
    Dut dut;
    dut.configure({"AT+WKMOD=HTTPD", "AT+NTPEN=ON", "AT+NTPSVR=10.0.0.123"});
    net(dut).deliver(kNtp, reply_to(take_request(dut), k2031));
    EXPECT_TRUE(status(dut).clock_synced);
}

TEST(Ntp, SharesTheLinkWithNetSockets) {
    Dut dut;
    dut.configure({"AT+NTPEN=ON", "AT+NTPSVR=10.0.0.123"});
    net(dut).accept(0); // socket A
    const std::string req = take_request(dut);
    dut.out();
    net(dut).deliver(0, "to serial");
    EXPECT_EQ(dut.out(), "to serial");
    net(dut).deliver(kNtp, reply_to(req, k2031));
    EXPECT_EQ(dut.out(), "") << "NTP replies never reach the serial port";
    EXPECT_TRUE(status(dut).clock_synced);
    EXPECT_EQ(status(dut).sockets[0].rx_bytes, 9u);
}

} // namespace
