// The shared features in the 732's own table (732 §2.2.4 / AT+RFCEN §3.1.7.23, AT+SOCKIDEN
// §3.1.7.43, AT+SMSEND §3.1.7.63, AT+UCPIN §3.1.7.68), byte for byte as the manual writes them.
#include <string>

#include "dtu/proto/rfc2217.hpp"
#include "gprs732_dut.hpp"

using namespace dtu;
using namespace dtu::test;
using namespace dtu::test::gprs732;

TEST(Gprs732Shared, SmsendTestFormAndTheManualsExample) {
    Dut732 dut;
    EXPECT_EQ(dut.cmd("AT+SMSEND=?"), answer("SMSEND", R"(<"number">,<1,2,3>,<"data">)"));
    EXPECT_EQ(dut.cmd(R"(AT+SMSEND="1008610010",1,"ww.usr.cn")"), ok());
    // The format line's blank before the quoted data (732 §3.1.7.63).
    EXPECT_EQ(dut.cmd(R"(AT+SMSEND="1008610010",3, "ww.usr.cn")"), ok());
    ASSERT_EQ(dut.bench.sms.sent.size(), 2u);
    EXPECT_EQ(dut.bench.sms.sent[0].number, "1008610010");
    EXPECT_EQ(dut.bench.sms.sent[0].text, "ww.usr.cn");
    EXPECT_EQ(dut.bench.sms.sent[0].encoding, hal::SmsEncoding::Gsm7);
    EXPECT_EQ(dut.bench.sms.sent[1].text, "ww.usr.cn");
    EXPECT_EQ(dut.bench.sms.sent[1].encoding, hal::SmsEncoding::Ucs2);
    EXPECT_EQ(dut.cmd("AT+SMSEND?"), err(58)) << "no query form";
    EXPECT_EQ(dut.cmd("AT+SMSEND=\"1008610010\",1,\"" + std::string(161, 'a') + "\""), err(3));
    EXPECT_EQ(dut.cmd(R"(AT+SMSEND="1008610010",0,"x")"), err(3));
    EXPECT_EQ(dut.bench.sms.sent.size(), 2u);
}

TEST(Gprs732Shared, SockidenMarksServerData) {
    Dut dut("gprs732");
    configure(dut, {R"(AT+SOCKBEN="on")", R"(AT+SOCKB="TCP","192.0.2.2",2000)", R"(AT+SOCKIDEN="on")",
                    R"(AT+HEARTEN="off")"});
    dut.bench.net.accept(0);
    dut.bench.net.accept(1);
    dut.out();
    dut.bench.net.deliver(0, "one");
    dut.bench.net.deliver(1, "two");
    EXPECT_EQ(dut.out(), "A:oneB:two");
}

TEST(Gprs732Shared, RfcenConsumesTheManualsFrame) {
    Dut dut("gprs732");
    configure(dut, {R"(AT+RFCEN="on")", R"(AT+HEARTEN="off")"});
    dut.bench.net.accept(0);
    dut.out();
    // 732 §2.2.4 table 4: 9600,N,8,1.
    dut.bench.net.deliver(0, std::string("\x55\xAA\x55\x00\x25\x80\x83\x28", 8));
    EXPECT_EQ(dut.out(), "");
    EXPECT_EQ(dut.bench.uart.settings.baud, 9600u);
    // 7 data bits with even parity is a 732 setting (AT+UART data 7|8).
    dut.bench.net.deliver(0, proto::rfc2217::encode({2400, 7, 1, proto::rfc2217::Parity::Even}));
    EXPECT_EQ(dut.bench.uart.settings.baud, 2400u);
    EXPECT_EQ(dut.bench.uart.settings.data_bits, 7u);
    EXPECT_EQ(dut.bench.uart.settings.parity, hal::Parity::Even);
    // 1200 baud is not in the 732's list: consumed, ignored.
    dut.bench.net.deliver(0, proto::rfc2217::encode({1200, 8, 1, proto::rfc2217::Parity::None}));
    EXPECT_EQ(dut.out(), "");
    EXPECT_EQ(dut.bench.uart.settings.baud, 2400u);
    EXPECT_EQ(dut.bench.device->status().rfc2217.refused, 1u);
}

TEST(Gprs732Shared, UcpinWrongPinRestartsAfterFiveMinutes) {
    Dut dut("gprs732");
    dut.bench.modem.lock = hal::SimLock::PinRequired;
    dut.bench.modem.pin = "1234";
    configure(dut, {R"(AT+UCPIN="4321")"});
    EXPECT_EQ(dut.bench.modem.pins_entered, std::vector<std::string>{"4321"});
    dut.bench.net.accept(0); // socket A up: AT+SOCKRSTIM's restart stays out of the way
    dut.advance(5 * 60 * 1000 - 1);
    EXPECT_TRUE(dut.bench.system.resets.empty());
    dut.advance(1);
    ASSERT_EQ(dut.bench.system.resets.size(), 1u);
    EXPECT_EQ(dut.bench.system.resets[0], hal::ResetCause::Watchdog);
}
