// The features the 732 and the 7S4 share, on the fake HAL with a test profile: the G771's table plus
// their rows (AT+RFCEN, socket-ID indication, AT+SMSEND in both forms, AT+UCPIN), so the device
// code is checked apart from either model's table (732 §2.2.4, §3.1.7.23, §3.1.7.43, §3.1.7.63,
// §3.1.7.68; 7S4 §2.2.3, §3.1.7.49, §3.1.7.66-67; spec net-transparent §10, §13, sms.md §3).
#include <string>

#include "dtu/proto/rfc2217.hpp"
#include "dut.hpp"

using namespace dtu;
using namespace dtu::test;
using dtu::hal::SmsEncoding;

namespace dtu::profile::fragments {
// The 7S4's SMSEND/CISMSSEND rows (firmware_core/src/profile/lte7s4_smsend.cpp; the profile tables'
// fragment header is private to firmware_core).
void lte7s4_smsend(std::vector<at::CommandSpec>& t);
} // namespace dtu::profile::fragments

namespace {

at::ParamSpec on_off() { return {"status", at::Kind::Enum, "ON|OFF"}; }

at::CommandSpec stored(std::string_view name, std::vector<at::ParamSpec> params, std::string_view factory) {
    return {name,
            {},
            at::kExec | at::kQuery | at::kTest | at::kSet,
            at::Behavior::Stored,
            std::move(params),
            factory,
            "test",
            "test"};
}

at::CommandSpec send_sms(std::string_view name, std::vector<at::ParamSpec> params) {
    return {name, {}, at::kTest | at::kSet, at::Behavior::SendSms, std::move(params), {}, "test", "test"};
}

/// The G771 with the shared rows added.
const profile::Profile& shared_profile() {
    static const profile::Profile p = [] {
        profile::Profile t = *profile::find("g771");
        t.name = "shared-test";
        t.commands.push_back(stored("RFCEN", {on_off()}, "OFF"));
        t.commands.push_back(stored("SOCKIDEN", {on_off()}, "OFF"));
        t.commands.push_back(stored("UCPIN", {{"pin", at::Kind::Text, {}, 0, 8}}, ""));
        // 732 form: number,type,data; the 7S4's rows give the number,data form (its SMSEND comes after
        // this one, so only CISMSSEND is reached).
        t.commands.push_back(send_sms("SMSEND", {{"number", at::Kind::Phone, {}, 1, 20},
                                                 {"type", at::Kind::Int, {}, 1, 3},
                                                 {"data", at::Kind::Text, {}, 0, 640}}));
        profile::fragments::lte7s4_smsend(t.commands);
        t.net.socket_id_param = "SOCKIDEN";
        t.sim_pin = {"UCPIN", 300000};
        return t;
    }();
    return p;
}

constexpr hal::LinkId A = 0, B = 1;

std::string frame_9600_7e2() { return proto::rfc2217::encode({9600, 7, 2, proto::rfc2217::Parity::Even}); }
std::string frame_9600_8n1() { return proto::rfc2217::encode({9600, 8, 1, proto::rfc2217::Parity::None}); }

bool logged(const Dut& dut, std::string_view text) {
    for (const auto& [level, line] : dut.bench.log.lines)
        if (line.find(text) != std::string::npos) return true;
    return false;
}

class Shared : public ::testing::Test {
protected:
    Shared() : dut(shared_profile()) {}
    /// NET mode with sockets A and B on (A is on at the factory), both connected.
    void net_up(std::initializer_list<std::string> extra) {
        std::vector<std::string> c{"AT+SOCKBEN=ON", "AT+SOCKB=TCP,192.0.2.2,2000", "AT+HEARTEN=OFF"};
        c.insert(c.end(), extra.begin(), extra.end());
        dut.enter_command();
        for (const auto& line : c)
            EXPECT_EQ(dut.cmd(line), ok()) << line;
        EXPECT_EQ(dut.cmd("AT+S"), ok());
        dut.reboot();
        dut.bench.net.accept(A);
        dut.bench.net.accept(B);
        dut.out();
    }
    void server(hal::LinkId id, std::string_view bytes) { dut.bench.net.deliver(id, bytes); }
    device::Status status() { return dut.bench.device->status(); }
    Dut dut;
};

} // namespace

// --- RFC2217-like frame ---------------------------------------------------------------------------

TEST_F(Shared, WithRfcenOffTheFrameIsData) {
    net_up({});
    const int before = dut.bench.uart.configured;
    server(A, frame_9600_8n1());
    EXPECT_EQ(dut.out(), frame_9600_8n1());
    EXPECT_EQ(dut.bench.uart.configured, before);
}

TEST_F(Shared, WithRfcenOnTheFrameIsConsumedAndSetsTheRunningLine) {
    net_up({"AT+RFCEN=ON"});
    const int before = dut.bench.uart.configured;
    server(A, frame_9600_8n1());
    EXPECT_EQ(dut.out(), "") << "never passed to the serial port";
    ASSERT_EQ(dut.bench.uart.configured, before + 1);
    EXPECT_EQ(dut.bench.uart.settings.baud, 9600u);
    EXPECT_EQ(status().rfc2217.applied, 1u);
    EXPECT_EQ(status().rfc2217.last, "9600,8,1,NONE");
    EXPECT_TRUE(logged(dut, "serial port set to 9600,8,1,NONE"));
    // The saved AT+UART is unchanged, and a restart brings it back (modes-and-timing §6.4).
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+UART?"), answer("UART", "115200,8,1,NONE,NFC"));
    EXPECT_EQ(dut.cmd("AT+Z"), ok());
    dut.reboot();
    EXPECT_EQ(dut.bench.uart.settings.baud, 115200u);
}

TEST_F(Shared, AFrameSplitOverTwoReadsIsStillConsumed) {
    net_up({"AT+RFCEN=ON"});
    const std::string f = frame_9600_8n1();
    server(A, f.substr(0, 3));
    server(A, f.substr(3));
    EXPECT_EQ(dut.out(), "");
    EXPECT_EQ(status().rfc2217.applied, 1u);
}

TEST_F(Shared, DataAroundAFrameReachesTheSerialPortInOrder) {
    net_up({"AT+RFCEN=ON"});
    server(A, frame_9600_8n1() + "after");
    EXPECT_EQ(dut.out(), "after");
    server(A, "plain data");
    EXPECT_EQ(dut.out(), "plain data");
}

TEST_F(Shared, AHeaderLookAlikeWithABadChecksumIsDataCountedAndLogged) {
    net_up({"AT+RFCEN=ON"});
    std::string fake = frame_9600_8n1();
    fake[7] = static_cast<char>(fake[7] + 1);
    server(A, fake);
    EXPECT_EQ(dut.out(), fake);
    EXPECT_EQ(status().rfc2217.bad_checksums, 1u);
    EXPECT_EQ(status().rfc2217.applied, 0u);
    EXPECT_TRUE(logged(dut, "wrong checksum"));
}

TEST_F(Shared, AnIncompleteFrameStartIsReleasedAsDataAfterTheHoldTime) {
    net_up({"AT+RFCEN=ON"});
    server(A, "\x55\xAA");
    EXPECT_EQ(dut.out(), "");
    dut.advance(100); // SerialReconfig::kHoldMs
    EXPECT_EQ(dut.out(), "\x55\xAA");
    EXPECT_EQ(status().rfc2217.held_released, 1u);
    EXPECT_TRUE(logged(dut, "stayed incomplete"));
}

TEST_F(Shared, SettingsTheModelsUartRowRefusesAreConsumedAndIgnored) {
    net_up({"AT+RFCEN=ON"});
    const int before = dut.bench.uart.configured;
    server(A, frame_9600_7e2()); // the G771's row has 8 data bits only
    server(A, proto::rfc2217::encode({1000, 8, 1, proto::rfc2217::Parity::None})); // not in the baud list
    server(A, proto::rfc2217::encode({9600, 8, 1, proto::rfc2217::Parity::Mark}));
    EXPECT_EQ(dut.out(), "");
    EXPECT_EQ(dut.bench.uart.configured, before);
    EXPECT_EQ(status().rfc2217.refused, 3u);
    EXPECT_TRUE(logged(dut, "does not allow"));
}

TEST_F(Shared, FramesOnEverySocketAreRecognised) {
    net_up({"AT+RFCEN=ON"});
    server(B, proto::rfc2217::encode({19200, 8, 2, proto::rfc2217::Parity::Odd}));
    EXPECT_EQ(dut.out(), "");
    EXPECT_EQ(dut.bench.uart.settings.baud, 19200u);
    EXPECT_EQ(dut.bench.uart.settings.stop_bits, 2u);
    EXPECT_EQ(dut.bench.uart.settings.parity, hal::Parity::Odd);
}

// --- Socket-ID indication ------------------------------------------------------------------------

TEST_F(Shared, SocketIdOffLeavesServerDataUnchanged) {
    net_up({});
    server(A, "hello");
    EXPECT_EQ(dut.out(), "hello");
}

TEST_F(Shared, SocketIdOnMarksEachServersDataWithItsSocket) {
    net_up({"AT+SOCKIDEN=ON"});
    server(A, "from a");
    server(B, "from b");
    EXPECT_EQ(dut.out(), "A:from aB:from b");
}

TEST_F(Shared, SocketIdAndRfc2217Together) {
    net_up({"AT+SOCKIDEN=ON", "AT+RFCEN=ON"});
    server(B, frame_9600_8n1() + "x");
    EXPECT_EQ(dut.out(), "B:x");
}

TEST_F(Shared, SocketDistributionFramesAreNotMarkedAgain) {
    net_up({"AT+SOCKIDEN=ON", "AT+SDPEN=ON"});
    server(A, "d");
    EXPECT_EQ(dut.out().substr(0, 3), "\xAA\xFD\x55");
}

// --- AT+SMSEND / AT+CISMSSEND --------------------------------------------------------------------

TEST_F(Shared, SmsendTypesGoOutInTheirAlphabets) {
    dut.enter_command();
    EXPECT_EQ(dut.cmd(R"(AT+SMSEND="1008610010",1,"ww.usr.cn")"), ok()); // 732 §3.1.7.63 example
    EXPECT_EQ(dut.cmd(R"(AT+SMSEND="1008610010",2,"bytes")"), ok());
    EXPECT_EQ(dut.cmd("AT+SMSEND=\"1008610010\",3,\"\xE4\xBD\xA0\xE5\xA5\xBD\""), ok());
    const auto& sent = dut.bench.sms.sent;
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_EQ(sent[0].number, "1008610010");
    EXPECT_EQ(sent[0].text, "ww.usr.cn");
    EXPECT_EQ(sent[0].encoding, SmsEncoding::Gsm7);
    EXPECT_EQ(sent[1].encoding, SmsEncoding::Data8);
    EXPECT_EQ(sent[2].encoding, SmsEncoding::Ucs2);
    EXPECT_EQ(sent[2].total, 1);
    EXPECT_EQ(status().sms.sent, 3u);
}

TEST_F(Shared, SmsendOverItsTypesLimitIsAParameterErrorAndSendsNothing) {
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+SMSEND=\"10086\",1,\"" + std::string(160, 'a') + "\""), ok());
    EXPECT_EQ(dut.cmd("AT+SMSEND=\"10086\",1,\"" + std::string(161, 'a') + "\""), err(3));
    EXPECT_EQ(dut.cmd("AT+SMSEND=\"10086\",2,\"" + std::string(141, 'a') + "\""), err(3));
    EXPECT_EQ(dut.cmd("AT+SMSEND=\"10086\",3,\"" + std::string(71, 'a') + "\""), err(3));
    EXPECT_EQ(dut.cmd("AT+SMSEND=\"10086\",1,\"caf\xC3\xA9\""), err(3)) << "type 1 is ASCII";
    EXPECT_EQ(dut.cmd("AT+SMSEND=\"10086\",4,\"x\""), err(3));
    EXPECT_EQ(dut.cmd("AT+SMSEND=\"ten\",1,\"x\""), err(3));
    EXPECT_EQ(dut.bench.sms.sent.size(), 1u);
}

TEST_F(Shared, SmsendWithoutRegistrationIsAParameterError) {
    dut.bench.sms.registered = false;
    dut.enter_command();
    EXPECT_EQ(dut.cmd(R"(AT+SMSEND="10086",1,"hi")"), err(3));
    EXPECT_EQ(status().sms.send_failed, 1u);
    EXPECT_TRUE(logged(dut, "no network registration"));
}

TEST_F(Shared, TheTwoFieldFormSendsEverythingAfterTheFirstCommaInTheAlphabetAPhonePicks) {
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+CISMSSEND=8613854123456,\xE4\xBD\xA0\xE5\xA5\xBD\xE5\x95\x8A"),
              ok()); // 7S4 example
    EXPECT_EQ(dut.cmd("AT+CISMSSEND=8613854123456,a,b,c"), ok());
    const auto& sent = dut.bench.sms.sent;
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[0].number, "8613854123456");
    EXPECT_EQ(sent[0].encoding, SmsEncoding::Ucs2);
    EXPECT_EQ(sent[0].text, "\xE4\xBD\xA0\xE5\xA5\xBD\xE5\x95\x8A");
    EXPECT_EQ(sent[1].text, "a,b,c");
    EXPECT_EQ(sent[1].encoding, SmsEncoding::Gsm7);
    EXPECT_EQ(dut.cmd("AT+CISMSSEND=8613854123456," + std::string(161, 'a')), err(3));
}

// --- AT+UCPIN ------------------------------------------------------------------------------------

TEST_F(Shared, ACardWithoutAPinIsNotGivenOne) {
    dut.configure({"AT+UCPIN=1234"});
    EXPECT_TRUE(dut.bench.modem.pins_entered.empty());
}

TEST_F(Shared, TheStoredPinUnlocksTheCardAtStart) {
    dut.configure({"AT+UCPIN=1234"});
    dut.bench.modem.lock = hal::SimLock::PinRequired;
    dut.bench.modem.pin = "1234";
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+Z"), ok());
    dut.reboot();
    ASSERT_EQ(dut.bench.modem.pins_entered.size(), 1u);
    EXPECT_EQ(dut.bench.modem.pins_entered[0], "1234");
    EXPECT_EQ(dut.bench.modem.lock, hal::SimLock::Ready);
    EXPECT_TRUE(logged(dut, "PIN accepted"));
    dut.advance(300000);
    EXPECT_TRUE(dut.bench.system.resets.empty());
}

TEST_F(Shared, AWrongPinMeansNoNetworkAndARestartAfterFiveMinutes) {
    dut.configure({"AT+UCPIN=1111"});
    dut.bench.modem.lock = hal::SimLock::PinRequired;
    dut.bench.modem.pin = "1234";
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+Z"), ok());
    dut.reboot();
    EXPECT_EQ(dut.bench.modem.pins_entered, std::vector<std::string>{"1111"});
    EXPECT_EQ(dut.bench.modem.lock, hal::SimLock::PinRequired);
    EXPECT_TRUE(logged(dut, "refused the PIN of AT+UCPIN"));
    dut.advance(299999);
    EXPECT_TRUE(dut.bench.system.resets.empty());
    dut.advance(1);
    ASSERT_EQ(dut.bench.system.resets.size(), 1u);
    EXPECT_EQ(dut.bench.system.resets[0], hal::ResetCause::Watchdog);
}

TEST_F(Shared, NoStoredPinIsNotTriedAndIsLogged) {
    dut.bench.modem.lock = hal::SimLock::PinRequired;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+Z"), ok());
    dut.reboot();
    EXPECT_TRUE(dut.bench.modem.pins_entered.empty());
    EXPECT_TRUE(logged(dut, "AT+UCPIN is empty"));
}

TEST_F(Shared, ABlockedCardIsNotGivenThePin) {
    dut.configure({"AT+UCPIN=1234"});
    dut.bench.modem.lock = hal::SimLock::PukRequired;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+Z"), ok());
    dut.reboot();
    EXPECT_TRUE(dut.bench.modem.pins_entered.empty());
    EXPECT_TRUE(logged(dut, "blocked (PUK required)"));
}

TEST(SharedG771, TheG771EntersNoPinAndMarksNothing) {
    Dut dut;
    dut.bench.modem.lock = hal::SimLock::PinRequired;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+Z"), ok());
    dut.reboot();
    EXPECT_TRUE(dut.bench.modem.pins_entered.empty());
    dut.advance(600000);
    EXPECT_TRUE(dut.bench.system.resets.empty()) << "the G771 has no 5-minute PIN restart";
}
