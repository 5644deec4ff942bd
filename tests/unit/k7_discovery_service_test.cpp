// The USR-K7's UDP 1901 search / configuration service on the fake bench (K7 §5.1.2, spec
// k7-ethernet §11): search, read, basic / serial writes through the AT engine, credentials, other
// devices' frames, bad frames, store and restart.
#include "dut.hpp"

#include <sstream>

#include "device/discovery_service.hpp"
#include "dtu/proto/k7_discovery.hpp"

using namespace dtu::test;
namespace k7 = dtu::proto::k7_discovery;
namespace hal = dtu::hal;

namespace {

constexpr hal::LinkId kLink = hal::links::kDiscovery;
const hal::NetAddress kPc{0xC0A80064, 50000}; // 192.168.0.100, the setup software
// The K7 profile's factory MAC (AT+MAC / AT+USERMAC D8B04C000007).
const k7::Mac kMac{0xD8, 0xB0, 0x4C, 0x00, 0x00, 0x07};

std::string hex(const std::string& text) {
    std::istringstream in(text);
    std::string out, tok;
    while (in >> tok)
        out.push_back(static_cast<char>(std::stoi(tok, nullptr, 16)));
    return out;
}
std::string k7_ok() { return "\r\n+OK\r\n"; }
std::string k7_value(std::string_view v) { return "\r\n+OK=" + std::string(v) + "\r\n"; }

class K7DiscoveryService : public ::testing::Test {
protected:
    K7DiscoveryService() { dut.bench.net.bound(kLink); }

    /// One datagram from the PC; the answers it caused (and only those).
    std::vector<std::string> send(std::string_view bytes) {
        auto& sent = dut.bench.net.links[kLink].sent_to;
        const std::size_t before = sent.size();
        dut.bench.net.datagram(kLink, kPc, bytes);
        std::vector<std::string> out;
        for (std::size_t i = before; i < sent.size(); ++i) {
            EXPECT_EQ(sent[i].first, kPc) << "answered to the sender (spec k7 §11.5)";
            out.push_back(sent[i].second);
        }
        return out;
    }
    std::string command(std::uint8_t cmd, std::string_view params = {}, std::string_view password = "admin") {
        return k7::build_command(cmd, kMac, "admin", password, params);
    }
    /// The serial block as a read shows it now.
    k7::Serial read_serial() {
        const auto r = send(command(0x03));
        k7::Serial s;
        EXPECT_EQ(r.size(), 1u);
        if (r.size() == 1 && r[0].size() == k7::kReadReplyBytes)
            EXPECT_TRUE(k7::decode_serial(r[0].substr(k7::kBasicBytes, k7::kSerialBytes), s));
        return s;
    }
    std::string at(std::string_view line) {
        dut.enter_command(50, "+ok");
        std::string answer = dut.cmd(line);
        dut.cmd("AT+ENTM");
        return answer;
    }
    dtu::device::DiscoveryStatus status() { return dut.bench.device->status().discovery; }

    Dut dut{"k7"};
};

} // namespace

TEST(K7DiscoveryBoot, ListensOnUdp1901ForTheK7Only) {
    Dut k7dut("k7");
    const auto& link = k7dut.bench.net.links[kLink];
    EXPECT_TRUE(link.listening);
    EXPECT_EQ(link.proto, hal::Proto::Udp);
    EXPECT_EQ(link.port, 1901); // K7 §5.1.2 1.①
    EXPECT_FALSE(k7dut.bench.device->status().discovery.listening) << "not before on_listening";
    k7dut.bench.net.bound(kLink);
    EXPECT_TRUE(k7dut.bench.device->status().discovery.listening);

    Dut g771("g771");
    EXPECT_EQ(g771.bench.net.links.count(kLink), 0u) << "Profile::lan.discovery is the K7's only";
}

TEST(K7DiscoveryBoot, ListensAgainWhenTheLinkComesBackAfterNotAttached) {
    Dut d("k7");
    auto& links = d.bench.net.links;
    d.bench.net.listener->on_listen_failed(kLink, hal::NetError::NotAttached);
    links.erase(kLink); // the network bound nothing
    d.bench.net.listener->on_attach_changed(true);
    ASSERT_EQ(links.count(kLink), 1u);
    EXPECT_TRUE(links[kLink].listening);
    EXPECT_EQ(links[kLink].port, 1901);
    d.bench.net.bound(kLink);
    EXPECT_TRUE(d.bench.device->status().discovery.listening);
    links.erase(kLink);
    d.bench.net.listener->on_attach_changed(true);
    EXPECT_EQ(links.count(kLink), 0u) << "listening already: no second listen";
    // hal::Net::listen: losing the link ends the accepted clients, not the listeners.
    d.bench.net.listener->on_attach_changed(false);
    EXPECT_TRUE(d.bench.device->status().discovery.listening);
    d.bench.net.listener->on_attach_changed(true);
    EXPECT_EQ(links.count(kLink), 0u) << "still listening: no second listen";
}

TEST(K7DiscoveryBoot, OtherListenFailureIsNotRetried) {
    Dut d("k7");
    d.bench.net.listener->on_listen_failed(kLink, hal::NetError::Invalid);
    d.bench.net.links.erase(kLink);
    d.bench.net.listener->on_attach_changed(true);
    EXPECT_EQ(d.bench.net.links.count(kLink), 0u);
}

TEST(K7DiscoveryBoot, NoServerSocketsLeavesTheDeviceWorking) {
    Bench b("k7");
    b.net.server_sockets = false;
    b.power_on();
    EXPECT_EQ(b.net.links.count(kLink), 0u);
    EXPECT_FALSE(b.device->status().discovery.listening);
}

TEST_F(K7DiscoveryService, SearchAnswersTheExact36ByteReply) {
    // Form 5.1.2-7: FF 24 01, board 00 00, IP 192.168.0.7 (K7 §1.2), MAC, firmware 3016 = C8 0B,
    // encryption 00 00, "USR-K7", checksum 0x00 minus every byte before it.
    const std::string expected = hex("FF 24 01 00 00 C0 A8 00 07 D8 B0 4C 00 00 07 C8 0B 00 00 "
                                     "55 53 52 2D 4B 37 00 00 00 00 00 00 00 00 00 00 16");
    const auto r = send(hex("FF 01 01 02"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0], expected);
    EXPECT_EQ(status().searches, 1u);
}

TEST_F(K7DiscoveryService, SearchShowsTheStaticIpInEffect) {
    EXPECT_EQ(at("AT+WANN=static,10.1.2.3,255.0.0.0,10.0.0.1"), k7_ok());
    auto before = send(hex("FF 01 01 02"));
    ASSERT_EQ(before.size(), 1u);
    EXPECT_EQ(before[0].substr(5, 4), hex("C0 A8 00 07")) << "a set applies at the restart";
    EXPECT_EQ(at("AT+Z"), k7_ok());
    dut.reboot();
    dut.bench.net.bound(kLink);
    const auto after = send(hex("FF 01 01 02"));
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].substr(5, 4), hex("0A 01 02 03"));
}

TEST_F(K7DiscoveryService, ReadReturns180BytesWithTheBaudSetByAt) {
    EXPECT_EQ(at("AT+UART1=9600,7,2,EVEN,FCH"), k7_ok());
    const auto r = send(command(0x03));
    ASSERT_EQ(r.size(), 1u);
    ASSERT_EQ(r[0].size(), 180u); // K7 §5.1.2 3.③
    k7::Basic b;
    ASSERT_TRUE(k7::decode_basic(r[0].substr(0, k7::kBasicBytes), b));
    EXPECT_EQ(b.ip, 0xC0A80007u);
    EXPECT_EQ(b.mask, 0xFFFFFF00u);
    EXPECT_EQ(b.gateway, 0xC0A80001u);
    EXPECT_EQ(b.flags & k7::kFlagStaticIp, k7::kFlagStaticIp);
    EXPECT_EQ(b.http_port, 80);
    EXPECT_EQ(b.location_port, 6432);
    EXPECT_EQ(b.name, "USR-K7");
    EXPECT_EQ(b.user, "admin");
    EXPECT_EQ(b.user_mac, kMac);
    k7::Serial s;
    ASSERT_TRUE(k7::decode_serial(r[0].substr(k7::kBasicBytes, k7::kSerialBytes), s));
    EXPECT_EQ(s.baud, 9600u);
    EXPECT_EQ(s.data_bits, 7);
    EXPECT_EQ(s.stop_bits, 2);
    EXPECT_EQ(s.parity, 3); // even
    EXPECT_EQ(s.flow, 3);   // hardware
    EXPECT_EQ(s.work_mode, 3) << "TCPS (K7 §1.2)";
    EXPECT_EQ(s.local_port, 23);
    EXPECT_EQ(s.url, "192.168.0.201");
    EXPECT_EQ(s.pack_len, 1460u);
    EXPECT_EQ(r[0].substr(130), std::string(50, '\0')) << "USR-cloud part: zeros";
}

TEST_F(K7DiscoveryService, SerialWriteSetsTheBaudAppliedAfterRestart) {
    k7::Serial s = read_serial();
    s.baud = 57600;
    EXPECT_EQ(send(command(0x06, k7::encode_serial(s))), std::vector<std::string>{hex("FF 01 06 4B")});
    EXPECT_EQ(at("AT+UART1"), k7_value("57600,8,1,NONE,NFC"));
    EXPECT_EQ(dut.bench.uart.settings.baud, 115200u) << "the line changes at the restart";
    EXPECT_EQ(send(command(0x04)), std::vector<std::string>{hex("FF 01 04 4B")}); // K7 §5.1.2 3.④
    EXPECT_EQ(send(command(0x02)), std::vector<std::string>{hex("FF 01 02 4B")}); // 3.②
    EXPECT_TRUE(dut.bench.system.resets.empty()) << "the reply goes first";
    dut.advance(dtu::device::DiscoveryService::kRestartDelayMs);
    ASSERT_EQ(dut.bench.system.resets.size(), 1u);
    EXPECT_EQ(dut.bench.system.resets[0], hal::ResetCause::AtRestart);
    dut.reboot();
    EXPECT_EQ(dut.bench.uart.settings.baud, 57600u);
}

TEST_F(K7DiscoveryService, SerialWriteMapsModePortsFlagsAndPacking) {
    k7::Serial s = read_serial();
    s.work_mode = 1; // TCP client
    s.url = "10.0.0.9";
    s.remote_port = 8234;
    s.local_port = 23;
    s.flags = k7::kSerialFlagRfc2217 | k7::kSerialFlagModbus | 0x01;
    s.pack_time = 10;
    s.pack_len = 200;
    s.reconnect_timeout = 100;
    EXPECT_EQ(send(command(0x06, k7::encode_serial(s))), std::vector<std::string>{hex("FF 01 06 4B")});
    EXPECT_EQ(at("AT+SOCKA1"), k7_value("TCPC,10.0.0.9,8234")) << "client mode: the remote port";
    EXPECT_EQ(at("AT+RFCEN1"), k7_value("ON"));
    EXPECT_EQ(at("AT+MODTCP1"), k7_value("ON"));
    EXPECT_EQ(at("AT+UARTTL1"), k7_value("10,200"));
    EXPECT_EQ(at("AT+SOCKTON1"), k7_value("100"));
    const k7::Serial back = read_serial();
    EXPECT_EQ(back.flags, s.flags) << "bit 0 is echoed (fill what you read)";
}

TEST_F(K7DiscoveryService, BasicWriteSetsNetworkNameAndLogin) {
    const auto r = send(command(0x03));
    ASSERT_EQ(r.size(), 1u);
    k7::Basic b;
    ASSERT_TRUE(k7::decode_basic(r[0].substr(0, k7::kBasicBytes), b));
    b.ip = 0xC0A80138; // 192.168.1.56
    b.flags = 0x00;    // DHCP
    b.name = "K7-lab";
    b.http_port = 8080;
    b.password = "pw123";
    EXPECT_EQ(send(command(0x05, k7::encode_basic(b))), std::vector<std::string>{hex("FF 01 05 4B")});
    EXPECT_EQ(at("AT+WANN"), k7_value("DHCP,192.168.1.56,255.255.255.0,192.168.0.1"));
    EXPECT_EQ(at("AT+MID"), k7_value("K7-lab"));
    EXPECT_EQ(at("AT+WEBPORT"), k7_value("8080"));
    EXPECT_EQ(at("AT+WEBU"), k7_value("admin,pw123"));
    EXPECT_EQ(send(command(0x03)), std::vector<std::string>{hex("FF 01 03 50")}) << "the old password";
    EXPECT_EQ(send(command(0x03, {}, "pw123")).size(), 1u);
}

TEST_F(K7DiscoveryService, WrongPasswordIsRefusedAndChangesNothing) {
    k7::Serial s = read_serial();
    s.baud = 9600;
    EXPECT_EQ(send(command(0x06, k7::encode_serial(s), "nope")),
              std::vector<std::string>{hex("FF 01 06 50")});
    EXPECT_EQ(send(command(0x02, {}, "nope")), std::vector<std::string>{hex("FF 01 02 50")});
    dut.advance(1000);
    EXPECT_TRUE(dut.bench.system.resets.empty());
    EXPECT_EQ(at("AT+UART1"), k7_value("115200,8,1,NONE,NFC"));
    EXPECT_EQ(status().refused, 2u);
}

TEST_F(K7DiscoveryService, AnotherDevicesFrameIsIgnored) {
    k7::Serial s = read_serial();
    s.baud = 9600;
    const k7::Mac other{0xD8, 0xB0, 0x4C, 0xC0, 0x0D, 0x65};
    EXPECT_TRUE(send(k7::build_command(0x06, other, "admin", "admin", k7::encode_serial(s))).empty());
    EXPECT_TRUE(send(k7::build_command(0x02, other, "admin", "admin")).empty());
    dut.advance(1000);
    EXPECT_TRUE(dut.bench.system.resets.empty());
    EXPECT_EQ(at("AT+UART1"), k7_value("115200,8,1,NONE,NFC"));
    EXPECT_EQ(status().ignored, 2u);
}

TEST_F(K7DiscoveryService, BadChecksumIsCountedAnsweredEAndChangesNothing) {
    k7::Serial s = read_serial();
    s.baud = 9600;
    std::string frame = command(0x06, k7::encode_serial(s));
    frame.back() = static_cast<char>(frame.back() + 1);
    EXPECT_EQ(send(frame), std::vector<std::string>{hex("FF 01 06 45")});
    std::string cut = command(0x03);
    cut.pop_back();
    EXPECT_EQ(send(cut), std::vector<std::string>{hex("FF 01 03 45")});
    EXPECT_TRUE(send(hex("FF")).empty()) << "no command byte to name";
    EXPECT_TRUE(send("www.usr.cn").empty()) << "not a frame";
    EXPECT_EQ(at("AT+UART1"), k7_value("115200,8,1,NONE,NFC"));
    EXPECT_EQ(status().bad_frames, 3u);
    EXPECT_EQ(status().ignored, 1u);
}

TEST_F(K7DiscoveryService, InvalidValueIsAnsweredEAndUndoesTheSettingsAlreadyMade) {
    k7::Serial s = read_serial();
    s.baud = 9600;     // valid: made first
    s.pack_len = 5000; // AT+UARTTL: 0~1460 (K7 §4.3.3)
    EXPECT_EQ(send(command(0x06, k7::encode_serial(s))), std::vector<std::string>{hex("FF 01 06 45")});
    EXPECT_EQ(at("AT+UART1"), k7_value("115200,8,1,NONE,NFC")) << "the block is all or nothing";
    s = read_serial();
    s.parity = 7; // no such code (form 5.1.2-3: 1-5)
    EXPECT_EQ(send(command(0x06, k7::encode_serial(s))), std::vector<std::string>{hex("FF 01 06 45")});
    EXPECT_EQ(send(command(0x06, "short")), std::vector<std::string>{hex("FF 01 06 45")});
    EXPECT_EQ(send(command(0x07, k7::encode_serial(read_serial()))),
              std::vector<std::string>{hex("FF 01 07 45")})
        << "one serial port";
    EXPECT_EQ(status().rejected, 4u);
}

TEST_F(K7DiscoveryService, WorksInEveryWorkModeAndInCommandMode) {
    EXPECT_EQ(at("AT+SOCKA1=TCPC,10.0.0.9,8234"), k7_ok());
    EXPECT_EQ(at("AT+Z"), k7_ok());
    dut.reboot();
    dut.bench.net.bound(kLink);
    dut.enter_command(50, "+ok");
    EXPECT_EQ(send(hex("FF 01 01 02")).size(), 1u);
    EXPECT_EQ(read_serial().work_mode, 1);
}

TEST_F(K7DiscoveryService, TheManualsSerialExampleBlockApplies) {
    // K7 §5.1.2 form 5.1.2-3 example (the 63 parameter bytes of the 85-byte frame).
    const std::string block =
        hex("00 C2 01 00 08 01 01 01 00 00 00 00 17 00 17 00 31 39 32 2E 31 36 38 2E 30 2E "
            "32 30 31 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 09 03 "
            "00 00 00 00 00 00 81 01 01 01 01");
    ASSERT_EQ(block.size(), k7::kSerialBytes);
    EXPECT_EQ(send(command(0x06, block)), std::vector<std::string>{hex("FF 01 06 4B")});
    EXPECT_EQ(at("AT+UART1"), k7_value("115200,8,1,NONE,NFC"));
    EXPECT_EQ(at("AT+SOCKA1"), k7_value("TCPS,192.168.0.201,23"));
    EXPECT_EQ(at("AT+UARTTL1"), k7_value("0,0"));
    EXPECT_EQ(at("AT+RFCEN1"), k7_value("ON")) << "flags 0x09: bit 3";
    EXPECT_EQ(at("AT+SOCKTON1"), k7_value("86400")) << "timeout 0 keeps SOCKTON (1~99999)";
    const auto r = send(command(0x03));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].substr(k7::kBasicBytes + 57, 6), hex("00 81 01 01 01 01")) << "fill-what-you-read echoed";
}

TEST_F(K7DiscoveryService, TheManualsBasicExampleSetsTheCustomMacUsedAfterRestart) {
    // K7 §5.1.2 form 5.1.2-2 example (the 67 parameter bytes of the 89-byte frame).
    const std::string block =
        hex("04 78 03 00 20 19 50 00 02 07 00 A8 C0 01 00 A8 C0 00 FF FF FF 55 53 52 2D 4B 33 "
            "00 00 00 00 00 00 00 00 00 00 61 64 6D 69 6E 00 61 64 6D 69 6E 00 02 01 00 00 "
            "D8 B0 4C C0 0D 65 10 0E 00 00 01 00 00 00");
    ASSERT_EQ(block.size(), k7::kBasicBytes);
    EXPECT_EQ(send(command(0x05, block)), std::vector<std::string>{hex("FF 01 05 4B")});
    EXPECT_EQ(at("AT+WANN"), k7_value("DHCP,192.168.0.7,255.255.255.0,192.168.0.1")) << "flags 00: DHCP";
    EXPECT_EQ(at("AT+MID"), k7_value("USR-K3"));
    const auto read = send(command(0x03));
    ASSERT_EQ(read.size(), 1u);
    EXPECT_EQ(read[0].substr(0, 3), hex("04 78 03")) << "sequence, CRC, version echoed (until the restart)";
    EXPECT_EQ(send(command(0x02)), std::vector<std::string>{hex("FF 01 02 4B")});
    dut.advance(dtu::device::DiscoveryService::kRestartDelayMs);
    dut.reboot();
    dut.bench.net.bound(kLink);
    const auto found = send(hex("FF 01 01 02"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].substr(9, 6), hex("D8 B0 4C C0 0D 65")) << "K7 §4.4.7: the custom MAC after restart";
    EXPECT_EQ(found[0].substr(19, 7), std::string("USR-K3\0", 7));
    EXPECT_TRUE(send(command(0x03)).empty()) << "the old MAC is another device's now";
    const k7::Mac custom{0xD8, 0xB0, 0x4C, 0xC0, 0x0D, 0x65};
    EXPECT_EQ(send(k7::build_command(0x03, custom, "admin", "admin")).size(), 1u);
}
