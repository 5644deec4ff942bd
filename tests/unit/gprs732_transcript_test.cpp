// The USR-GPRS232-732 manual's own lines, byte for byte: every "示例" of 732 §3.1.7 and the format
// lines of §3.1.6 / §3.1.7 ({CR} = \r, {LF} = \n).
#include "gprs732_dut.hpp"

using namespace dtu::test;
using namespace dtu::test::gprs732;

namespace {

/// Send exactly these bytes (echo off, as the manual's answers assume: 732 §3.1.6.2).
std::string talk(Dut& dut, std::string_view bytes) {
    dut.rx(bytes);
    return dut.out();
}

struct Dut732Quiet : Dut732 {
    Dut732Quiet() { EXPECT_EQ(cmd("AT+E=\"off\""), ok()); }
};

TEST(Gprs732Transcript, EveryExampleOfSection3_1_7IsAccepted) {
    // 732 §3.1.7.x "示例：" lines as printed (the ones written with ASCII quotes and no typesetting
    // blank inside the command name); each answers {CR}{LF}OK{CR}{LF}.
    const char* examples[] = {
        "AT+WKMOD=\"NET\"",
        "AT+CALEN=\"off\"",
        "AT+NATEN=\"on\"",
        "AT+UATEN=\"on\"",
        "AT+CMDPW=\"usr.cn\"",
        "AT+CACHEN=\"on\"",
        "AT+UART=115200,\"NONE\",8,1,\"RS485\"",
        "AT+APN=\"usr\",\"usr.cn\",\"123\"",
        "AT+SOCKA=\"TCP\",\"test.usr.cn\",2317",
        "AT+SOCKB=\"TCP\",\"test.usr.cn\",2317",
        "AT+SOCKC=\"TCP\",\"test.usr.cn\",2317",
        "AT+SOCKD=\"TCP\",\"test.usr.cn\",2317",
        "AT+SOCKAEN=\"on\"",
        "AT+SOCKBEN=\"on\"",
        "AT+SOCKCEN=\"on\"",
        "AT+SOCKDEN=\"on\"",
        "AT+SOCKASL=\"long\"",
        "AT+SOCKBSL=\"long\"",
        "AT+SOCKCSL=\"long\"",
        "AT+SOCKDSL=\"long\"",
        "AT+SOCKRSTIM=180",
        "AT+SOCKRSTIM=10",
        "AT+SOCKIDEN=\"on\"",
        "AT+REGEN=\"on\"",
        "AT+REGID=123",
        "AT+REGSND=\"link\"",
        "AT+HEARTEN=\"on\"",
        "AT+HEARTTP=\"NET\"",
        "AT+HEARTTM=60",
        "AT+HTPTP=\"GET\"",
        "AT+HTPURL=\"/1.php?\"",
        "AT+HTPSV=\"test.usr.cn\",80",
        "AT+HTPHD=\"Accept:text/html[0D][0A]Accept-Language:zh-CN[0D][0A]\"",
        "AT+HTPPK=\"on\"",
        "AT+HTPTIM=10",
        "AT+DSTNUM=\"1008610010\"",
        "AT+CLOUDEN=\"on\"",
        "AT+CLOUDID=\"12345678901234567890\"",
        "AT+CLOUDPA=\"12345678\"",
    };
    Dut732Quiet dut;
    for (const char* line : examples)
        EXPECT_EQ(talk(dut, std::string(line) + "\r"), "\r\nOK\r\n") << line;
}

TEST(Gprs732Transcript, ExamplesTheManualMisprintsAreRefused) {
    Dut732Quiet dut;
    // 732 §3.1.7.48's example sets REGEN to a REGTP value: a parameter error.
    EXPECT_EQ(talk(dut, "AT+REGEN=\"ICCID\"\r"), err(3));
    // Typesetting blanks inside "AT+CMD" (§3.1.7.11, .12, .23): spec at-syntax §2, an unknown command.
    EXPECT_EQ(talk(dut, "AT+ STMSG =\"www.usr.cn\"\r"), err(58));
    EXPECT_EQ(talk(dut, "AT+ RSTIM =180\r"), err(58));
    EXPECT_EQ(talk(dut, "AT+ RFCEN =\"on\"\r"), err(58));
    // Typographic quotes (§3.1.7.50, .53, .68) never come from a serial terminal: not quotes.
    EXPECT_EQ(talk(dut, "AT+REGDT=\xE2\x80\x9D"
                        "7777772E7573722E636E\xE2\x80\x9D\r"),
              err(3));
    EXPECT_EQ(talk(dut, "AT+UCPIN=\xE2\x80\x9D"
                        "1234\xE2\x80\x9D\r"),
              err(3));
    // ... and the same lines with ASCII quotes are fine.
    EXPECT_EQ(talk(dut, "AT+STMSG=\"www.usr.cn\"\r"), ok());
    EXPECT_EQ(talk(dut, "AT+RSTIM=180\r"), ok());
    EXPECT_EQ(talk(dut, "AT+RFCEN=\"on\"\r"), ok());
    EXPECT_EQ(talk(dut, "AT+REGDT=\"7777772E7573722E636E\"\r"), ok());
    EXPECT_EQ(talk(dut, "AT+UCPIN=\"1234\"\r"), ok());
    EXPECT_EQ(talk(dut, "AT+PING=\"www.baidu.com\"\r"), ok());
}

TEST(Gprs732Transcript, FormatLinesOfSection3_1_7) {
    Dut732Quiet dut;
    struct Line {
        const char* ask;
        const char* answer;
    };
    const Line lines[] = {
        // 732 §3.1.7.3
        {"AT+E=?\r", "\r\n+E:<\"on\",\"off\">\r\n\r\nOK\r\n"},
        // §3.1.7.5, and spec at-syntax §4.1's examples
        {"AT+WKMOD=?\r", "\r\n+WKMOD:<\"CMD\",\"SMS\",\"NET\",\"HTTPD\">\r\n\r\nOK\r\n"},
        {"AT+WKMOD\r", "\r\n+WKMOD:NET\r\n\r\nOK\r\n"},
        {"AT+WKMOD?\r", "\r\n+WKMOD:NET\r\n\r\nOK\r\n"},
        // §3.1.7.9 `+CMDPW: "password"`, §3.1.7.11, §3.1.7.25
        {"AT+CMDPW\r", "\r\n+CMDPW: \"usr.cn\"\r\n\r\nOK\r\n"},
        {"AT+STMSG?\r", "\r\n+STMSG: \"USR-GM3 V3.0.0\"\r\n\r\nOK\r\n"},
        {"AT+SOCKA\r", "\r\n+SOCKA: TCP,\"test.usr.cn\",2317\r\n\r\nOK\r\n"},
        // §3.1.7.22: default 115200,"NONE",8,1,"RS485" shown in the +UART:baud,parity,... form
        {"AT+UART?\r", "\r\n+UART:115200,NONE,8,1,RS485\r\n\r\nOK\r\n"},
        {"AT+UART=?\r",
         "\r\n+UART:<2400,4800,9600,14400,19200,28800,33600,38400,57600,115200,230400,460800,"
         "921600>,<\"NONE\",\"ODD\",\"EVEN\">,<7,8>,<1,2>,<\"NONE\",\"CRTS\",\"RS485\">\r\n\r\nOK\r\n"},
        // §3.1.7.24 `+APN: ”code”, ”name”, ”pass”` (ASCII quotes: GAP-02)
        {"AT+APN\r", "\r\n+APN: \"usr\", \"usr.cn\", \"123\"\r\n\r\nOK\r\n"},
        // §3.1.7.37
        {"AT+SOCKALK\r", "\r\n+SOCKALK:disconnected\r\n\r\nOK\r\n"},
        // §3.1.7.59 with §3.1.7.59's example stored above
        {"AT+HTPHD\r", "\r\n+HTPHD: \"Accept:text/html[0D][0A]Accept-Language:zh-CN[0D][0A]\"\r\n\r\nOK\r\n"},
    };
    // Set what the answers above show.
    ASSERT_EQ(talk(dut, "AT+APN=\"usr\",\"usr.cn\",\"123\"\r"), ok());
    ASSERT_EQ(talk(dut, "AT+HTPHD=\"Accept:text/html[0D][0A]Accept-Language:zh-CN[0D][0A]\"\r"), ok());
    for (const auto& l : lines)
        EXPECT_EQ(talk(dut, l.ask), l.answer) << l.ask;
}

TEST(Gprs732Transcript, EchoOnReturnsTheLineBeforeTheAnswer) {
    Dut732 dut; // factory: echo "on" (732 §3.1.7.3)
    EXPECT_EQ(talk(dut, "AT+E\r"), "AT+E\r\r\n+E:on\r\n\r\nOK\r\n");
    EXPECT_EQ(talk(dut, "AT+E=\"off\"\r"), "AT+E=\"off\"\r\r\nOK\r\n");
    EXPECT_EQ(talk(dut, "AT+E\r"), "\r\n+E:off\r\n\r\nOK\r\n");
}

TEST(Gprs732Transcript, StartMessageAndHandshakeOfSection3_1_2) {
    Dut dut("gprs732");
    EXPECT_EQ(dut.out(), "\r\nUSR-GM3 V3.0.0\r\n") << "732 §3.1.7.11's default, spec modes-and-timing §7";
    dut.advance(300);
    dut.rx("+++");
    dut.advance(210);
    EXPECT_EQ(dut.out(), "a");
    dut.rx("a");
    EXPECT_EQ(dut.out(), "+ok\r\n");
    EXPECT_EQ(talk(dut, "AT+ENTM\r"), "AT+ENTM\r\r\nOK\r\n") << "732 §3.1.7.4 (GAP-13)";
}

} // namespace
