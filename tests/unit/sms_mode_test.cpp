// SMS transparent mode, the SMSFLT filter and SMS AT on a scripted SMS centre (G771 §2.4, §3.4.3;
// spec sms.md §1-§2, modes-and-timing §4.3-§4.4).
#include <tuple>

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

/// The SMS sent so far as (text, total, seq, ref), then forgotten.
std::vector<std::tuple<std::string, int, int, int>> sent_sms(Dut& dut) {
    std::vector<std::tuple<std::string, int, int, int>> out;
    for (const auto& s : sms(dut).sent)
        out.emplace_back(s.text, s.total, s.seq, s.ref);
    sms(dut).sent.clear();
    return out;
}

std::string repeat(std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += s;
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

// Spec sms.md §1.2 (GAP-35): a frame longer than one SMS goes as consecutive plain SMS of 160 GSM /
// 70 UCS-2 characters, no concatenation header (total 1, seq 1, ref 0 in each).
TEST(SmsMode, ALongFrameBecomesConsecutivePlainSmsOf160Or70Characters) {
    Dut dut;
    dut.configure({"AT+WKMOD=SMS", "AT+UARTFL=1024"});
    dut.frame(repeat("a", 200));
    EXPECT_EQ(sent_sms(dut), (std::vector<std::tuple<std::string, int, int, int>>{
                                 {repeat("a", 160), 1, 1, 0}, {repeat("a", 40), 1, 1, 0}}));
    dut.frame(repeat("数据", 100)); // 200 UCS-2 characters
    EXPECT_EQ(sent_sms(dut),
              (std::vector<std::tuple<std::string, int, int, int>>{{repeat("数据", 35), 1, 1, 0},
                                                                   {repeat("数据", 35), 1, 1, 0},
                                                                   {repeat("数据", 30), 1, 1, 0}}));
    EXPECT_EQ(counters(dut).parts_sent, 5u);
    EXPECT_EQ(counters(dut).sent, 5u) << "each plain SMS is a message of its own";
    dut.frame(repeat("b", 160));
    ASSERT_EQ(sms(dut).sent.size(), 1u) << "160 GSM characters still fit in one";
    EXPECT_EQ(sms(dut).sent[0].number, "1008610010") << "factory DSTNUM";
}

TEST(SmsAt, ALongAnswerIsSplitTheSameWay) {
    Dut dut;
    // Nine AT+VER answers: 9 * 34 = 306 characters -> 160 + 146.
    std::string commands = "usr.cn#";
    for (int i = 0; i < 9; ++i)
        commands += "AT+VER;";
    sms(dut).deliver("13900139000", commands);
    ASSERT_EQ(sms(dut).sent.size(), 2u);
    EXPECT_EQ(sms(dut).sent[0].text.size(), 160u);
    EXPECT_EQ(sms(dut).sent[0].total, 1);
    EXPECT_EQ(sms(dut).sent[0].text + sms(dut).sent[1].text, repeat(answer("VER", "V1.3.25.000000.0000"), 9));
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

/// One data SMS in SMS transparent mode with SMSFLT=ON.
struct FilterCase {
    const char* dstnum;
    const char* sender;
    bool passes;
};

// Spec sms.md §1.2: "+86"/"86" in front of either number is ignored, whatever its length (issue
// 13: DSTNUM 10086, the G771 §2.4 example, dropped an SMS from +8610086).
const FilterCase kFilter[] = {
    {"13800138000", "+8613800138000", true},
    {"13800138000", "13900139000", false},
    {"10086", "+8610086", true},
    {"10086", "8610086", true},
    {"+8610086", "10086", true},
    {"8610086", "+8610086", true},
    {"10086", "+8510086", false},
    {"10086", "10010", false},
};

class SmsFilter : public ::testing::TestWithParam<FilterCase> {};

TEST_P(SmsFilter, PassesOnlyDstnumIgnoringTheCountryCode) {
    const FilterCase& c = GetParam();
    Dut dut;
    dut.configure({"AT+WKMOD=SMS", std::string("AT+DSTNUM=") + c.dstnum, "AT+SMSFLT=ON"});
    dut.out();
    sms(dut).deliver(c.sender, "data");
    EXPECT_EQ(dut.out(), c.passes ? "data" : "") << c.sender << " to DSTNUM " << c.dstnum;
    EXPECT_EQ(counters(dut).filtered, c.passes ? 0u : 1u);
}

INSTANTIATE_TEST_SUITE_P(SmsMode, SmsFilter, ::testing::ValuesIn(kFilter));

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
