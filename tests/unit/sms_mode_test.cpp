// SMS transparent mode, the SMSFLT filter and SMS AT on a scripted SMS centre (G771 §2.4, §3.4.3;
// spec sms.md §1-§2, modes-and-timing §4.3-§4.4).
#include "dut.hpp"

using namespace dtu::test;
using dtu::hal::SmsEncoding;
using dtu::hal::SmsSegment;

namespace {

FakeSms& sms(Dut& dut) { return dut.bench.sms; }
dtu::device::SmsCounters counters(Dut& dut) { return dut.bench.device->status().sms; }

/// The texts of the SMS sent so far, joined per message (parts in order), then forgotten.
std::vector<std::string> sent_texts(Dut& dut) {
    std::vector<std::string> out;
    for (const auto& s : sms(dut).sent) {
        if (s.seq == 1) out.emplace_back();
        out.back() += s.text;
    }
    sms(dut).sent.clear();
    return out;
}

} // namespace

TEST(SmsMode, SerialFramesGoToDstnumAsOneSmsEach) {
    Dut dut;
    dut.configure({"AT+WKMOD=SMS", "AT+DSTNUM=13800138000"});
    dut.frame("temperature=21.5");
    dut.frame("温度");
    ASSERT_EQ(sms(dut).sent.size(), 2u);
    EXPECT_EQ(sms(dut).sent[0].number, "13800138000");
    EXPECT_EQ(sms(dut).sent[0].text, "temperature=21.5");
    EXPECT_EQ(sms(dut).sent[0].encoding, SmsEncoding::Gsm7);
    EXPECT_EQ(sms(dut).sent[0].total, 1);
    EXPECT_EQ(sms(dut).sent[1].encoding, SmsEncoding::Ucs2);
    EXPECT_EQ(counters(dut).sent, 2u);
    EXPECT_EQ(dut.bench.device->status().counters.data_bytes_dropped, 0u);
}

TEST(SmsMode, ALongFrameBecomesConcatenatedPartsWithOneReference) {
    Dut dut;
    dut.configure({"AT+WKMOD=SMS", "AT+UARTFL=1024"});
    std::string text;
    for (int i = 0; i < 100; ++i)
        text += "数据";
    dut.frame(text); // 200 UCS-2 characters: 3 parts of at most 67
    ASSERT_EQ(sms(dut).sent.size(), 3u);
    for (std::uint8_t i = 0; i < 3; ++i) {
        EXPECT_EQ(sms(dut).sent[i].total, 3);
        EXPECT_EQ(sms(dut).sent[i].seq, i + 1);
        EXPECT_EQ(sms(dut).sent[i].ref, sms(dut).sent[0].ref);
        EXPECT_EQ(sms(dut).sent[i].number, "1008610010") << "factory DSTNUM";
    }
    EXPECT_EQ(sent_texts(dut), std::vector<std::string>{text});
    EXPECT_EQ(counters(dut).parts_sent, 3u);
}

TEST(SmsMode, ReceivedSmsReachTheSerialPortAsTheirTextAlone) {
    Dut dut;
    dut.configure({"AT+WKMOD=SMS"});
    dut.out();
    sms(dut).deliver("+8613900139000", "open valve 3");
    EXPECT_EQ(dut.out(), "open valve 3");
    // A concatenated Chinese message arrives as its parts, in any order; the serial side sees it once.
    sms(dut).deliver(SmsSegment{"10086", SmsEncoding::Ucs2, "世界", 9, 2, 2});
    EXPECT_EQ(dut.out(), "");
    sms(dut).deliver(SmsSegment{"10086", SmsEncoding::Ucs2, "你好", 9, 2, 1});
    EXPECT_EQ(dut.out(), "你好世界");
    EXPECT_EQ(counters(dut).to_serial, 2u);
}

TEST(SmsMode, FilterOnPassesOnlyDstnumIgnoringTheCountryCode) {
    Dut dut;
    dut.configure({"AT+WKMOD=SMS", "AT+DSTNUM=13800138000", "AT+SMSFLT=ON"});
    dut.out();
    sms(dut).deliver("13900139000", "from a stranger");
    EXPECT_EQ(dut.out(), "");
    sms(dut).deliver("+8613800138000", "from the target");
    EXPECT_EQ(dut.out(), "from the target");
    EXPECT_EQ(counters(dut).filtered, 1u);
}

TEST(SmsMode, FilterOffPassesEveryNumber) {
    Dut dut;
    dut.configure({"AT+WKMOD=SMS", "AT+DSTNUM=13800138000", "AT+SMSFLT=OFF"});
    dut.out();
    sms(dut).deliver("13900139000", "from a stranger");
    EXPECT_EQ(dut.out(), "from a stranger");
}

TEST(SmsAt, QueryIsAnsweredBySmsToTheSenderNotOnTheSerialPort) {
    Dut dut; // NET mode: SMS AT works in every work mode
    dut.out();
    sms(dut).deliver("13900139000", "usr.cn#AT+CSQ");
    EXPECT_EQ(dut.out(), "");
    ASSERT_EQ(sms(dut).sent.size(), 1u);
    EXPECT_EQ(sms(dut).sent[0].number, "13900139000");
    EXPECT_EQ(sms(dut).sent[0].text, "\r\n+CSQ: 27,99\r\n\r\nOK\r\n");
    EXPECT_EQ(counters(dut).at_commands, 1u);
}

TEST(SmsAt, NonTargetNumbersMayStillConfigureWithTheFilterOn) {
    Dut dut;
    dut.configure({"AT+WKMOD=SMS", "AT+DSTNUM=13800138000", "AT+SMSFLT=ON"});
    sms(dut).deliver("13900139000", "usr.cn#AT+DSTNUM=13700137000\r");
    EXPECT_EQ(sent_texts(dut), std::vector<std::string>{ok()});
    sms(dut).deliver("13900139000", "usr.cn#AT+DSTNUM?");
    EXPECT_EQ(sent_texts(dut), std::vector<std::string>{answer("DSTNUM", "13700137000")});
}

TEST(SmsAt, SeveralCommandsInOneSmsRunInOrderAndTheRestartComesLast) {
    Dut dut;
    dut.out();
    sms(dut).deliver("13900139000", "usr.cn#AT+S;AT+WKMOD=SMS;AT+DSTNUM=10010;AT+WKMOD?;");
    ASSERT_EQ(sms(dut).sent.size(), 1u);
    EXPECT_EQ(sms(dut).sent[0].text, ok() + ok() + answer("WKMOD", "SMS") + ok());
    ASSERT_EQ(dut.bench.system.resets.size(), 1u) << "AT+S restarts after the reply";
    dut.reboot();
    dut.frame("hello");
    ASSERT_FALSE(sms(dut).sent.empty());
    EXPECT_EQ(sms(dut).sent.back().number, "10010") << "the settings before AT+S were saved";
}

TEST(SmsAt, WrongPasswordIsCountedAndNeverAnswered) {
    Dut dut;
    sms(dut).deliver("13900139000", "guess#AT+CMDPW?");
    sms(dut).deliver("13900139000", "usr.cn#AT+CMDPW?");
    ASSERT_EQ(sms(dut).sent.size(), 1u) << "only the right password gets an answer";
    EXPECT_EQ(counters(dut).at_rejected, 1u);
    for (const auto& [level, line] : dut.bench.log.lines)
        EXPECT_EQ(line.find("guess"), std::string::npos)
            << "the log must not show password guesses: " << line;
}

TEST(SmsAt, PlainTextOutsideSmsModeIsIgnoredAndCounted) {
    Dut dut;
    dut.out();
    sms(dut).deliver("10086", "Your balance is 10 yuan");
    EXPECT_EQ(dut.out(), "");
    EXPECT_TRUE(sms(dut).sent.empty());
    EXPECT_EQ(counters(dut).ignored, 1u);
}

TEST(SmsAt, ARefusedReplyIsCountedNotRetried) {
    Dut dut;
    sms(dut).registered = false;
    sms(dut).deliver("13900139000", "usr.cn#AT+VER");
    EXPECT_EQ(counters(dut).send_failed, 1u);
    EXPECT_EQ(counters(dut).sent, 0u);
}
