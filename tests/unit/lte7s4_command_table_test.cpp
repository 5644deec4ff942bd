// Table-driven: every row of the USR-LTE-7S4 command table (7S4 §3.1.7 table 14), through the
// serial port in command mode: query (both forms), "=?", a valid set read back, an invalid set
// answered with its ErrN and the value unchanged.
#include <set>

#include "dtu/at/answer.hpp"
#include "dtu/params/store.hpp"
#include "lte7s4_dut.hpp"
#include "row_coverage.hpp"

using namespace dtu::test::s4;
using dtu::test::command_of;
using dtu::test::rows_not_in;

namespace {

struct ParamCase {
    const char* name;
    const char* factory;
    const char* set;
    const char* readback;
    const char* bad; ///< answered Err4, nullptr = every value is accepted
};

// Factory values: the 7S4 manual where given (tables 5-7, §3.1.7 examples), otherwise spec
// devices.md §2 (R). Read-backs show ',' '=' '?' as [2C] [3D] [3F] (7S4 §3.1.6.4).
const ParamCase kParams[] = {
    {"E", "ON", "off", "OFF", "MAYBE"},
    {"WKMOD", "NET", "httpd", "HTTPD", "SMS"},
    {"CMDPW", "usr.cn", "www.usr.cn#", "www.usr.cn#", "www.usr.cn#1"}, // §3.1.7.8's example: 11 bytes
    {"STMSG", "USR-LTE-7S4 V1.0.5", "www.usr.cn", "www.usr.cn", "123456789012345678901"},
    {"RSTIM", "1800", "0", "0", "59"},
    {"UART", "115200,8,1,NONE,NFC", "9600,7,2,odd,nfc", "9600,7,2,ODD,NFC", "14400,8,1,NONE,NFC"},
    {"UARTFT", "50", "60000", "60000", "49"},
    {"UARTFL", "1024", "1", "1", "1025"},
    {"RFCEN", "OFF", "ON", "ON", "YES"},
    {"APN", "CMNET,,", "3gnet,admin,admin", "3gnet,admin,admin",
     "apn-name-longer-than-fifty-bytes-is-too-long-for-it-x"},
    {"SOCKA", "TCP,test.usr.cn,2317", "TCP,test.usr.cn,8899", "TCP,test.usr.cn,8899", "TCP,host,0"},
    {"SOCKB", "TCP,test.usr.cn,2317", "udp,10.0.0.1,7", "UDP,10.0.0.1,7", "SCTP,b,1"},
    {"SOCKC", "TCP,test.usr.cn,2317", "TCP,c,65535", "TCP,c,65535", "TCP,c,65536"},
    {"SOCKD", "TCP,test.usr.cn,2317", "UDP,d,2", "UDP,d,2", "UDP,d"},
    {"SOCKAEN", "ON", "OFF", "OFF", ""},
    {"SOCKBEN", "OFF", "ON", "ON", "2"},
    {"SOCKCEN", "OFF", "ON", "ON", "2"},
    {"SOCKDEN", "OFF", "ON", "ON", "2"},
    {"SOCKASL", "LONG", "short", "SHORT", "MEDIUM"},
    {"SOCKBSL", "LONG", "SHORT", "SHORT", "S"},
    {"SOCKCSL", "LONG", "SHORT", "SHORT", "1"},
    {"SOCKDSL", "LONG", "SHORT", "SHORT", ""},
    {"SOCKATO", "10", "100", "100", "101"},
    {"SOCKBTO", "10", "1", "1", "0"},
    {"SOCKCTO", "10", "55", "55", "x"},
    {"SOCKDTO", "10", "99", "99", "-1"},
    {"SHORATO", "10", "100", "100", "0"},
    {"SHORBTO", "10", "1", "1", "101"},
    {"SHORCTO", "10", "20", "20", ""},
    {"SHORDTO", "10", "30", "30", "3 0"},
    {"SOCKIND", "OFF", "ON", "ON", "2"},
    {"SDPEN", "OFF", "ON", "ON", "1"},
    {"REGEN", "OFF", "ON", "ON", "TRUE"},
    {"REGTP", "USER", "d2did", "D2DID", "SN"},
    {"REGDT", "7777772E7573722E636E", "0a0b", "0A0B", "777772E7573722E636E"},
    {"REGSND", "LINK", "DATA", "DATA", "LINK&DATA"},
    {"CLOUD", ",", "12345678901234567890,12345678", "12345678901234567890,12345678",
     "123456789012345678901,1"},
    {"CLOUDEN", "OFF", "ON", "ON", "1"},
    {"CLOUDID", "", "01234567890123456789", "01234567890123456789", "012345678901234567890"},
    {"CLOUDPA", "", "12345678", "12345678", "123456789"},
    {"HEARTEN", "ON", "OFF", "OFF", "0"},
    {"HEARTDT", "7777772E7573722E636E", "41", "41", "4G"},
    {"HEARTSND", "NET", "com", "COM", "UART"},
    {"HEARTTP", "NET", "COM", "COM", "BOTH"},
    {"HEARTTM", "30", "6000", "6000", "6001"},
    {"HTPTP", "GET", "post", "POST", "PUT"},
    {"HTPURL", "/1.php[3F]", "/a.php[3F]x[3D]1", "/a.php[3F]x[3D]1", ""},
    {"HTPSV", "test.usr.cn,80", "example.com,8080", "example.com,8080", "example.com,0"},
    {"HTPHD", "Connection: close[0D][0A]", "Accept: text/html[0D][0A]", "Accept: text/html[0D][0A]", nullptr},
    {"HTPTO", "10", "600", "600", "601"},
    {"HTPFLT", "ON", "OFF", "OFF", "NO"},
};

struct QueryCase {
    const char* line;
    std::string reply;
};

const QueryCase kQueries[] = {
    {"AT", "\r\nOK\r\n\r\n"}, // 7S4 §3.1.7.1, as printed
    {"AT+VER", answer("VER", "V1.0.5")},
    {"AT+VER?", answer("VER", "V1.0.5")},
    {"AT+SN", answer("SN", "02400122052700000529")},
    {"AT+ICCID?", answer("ICCID", "89860000000000000001")},
    {"AT+IMEI", answer("IMEI", "868000000000001")},
    // Fake radio: LTE, GSM-scale rssi 27 (-59 dBm) -> LTE table 82, +100 (7S4 §3.1.7.11 table 18).
    {"AT+CSQ", answer("CSQ", " 182,,99")},
    {"AT+SYSINFO?", answer("SYSINFO", " 4,LTE")},
    {"AT+SOCKALK", answer("SOCKALK", "OFF")},
    {"AT+SOCKBLK?", answer("SOCKBLK", "OFF")},
    {"AT+SOCKCLK", answer("SOCKCLK", "OFF")},
    {"AT+SOCKDLK", answer("SOCKDLK", "OFF")},
    {"AT+UPDATE=0123456789ABCDEF", ok()},
    {"AT+UARTFT=?", answer("UARTFT", "<50~60000>")},
    {"AT+UARTFL=?", answer("UARTFL", "<1~1024>")},
    {"AT+HEARTTM=?", answer("HEARTTM", "<1~6000>")},
    {"AT+SOCKATO=?", answer("SOCKATO", "<1~100>")},
    {"AT+SHORDTO=?", answer("SHORDTO", "<1~100>")},
    {"AT+HTPTO=?", answer("HTPTO", "<1~600>")},
    {"AT+WKMOD=?", answer("WKMOD", "<NET,HTTPD>")},
    {"AT+REGTP=?", answer("REGTP", "<ICCID,IMEI,D2DID,CLOUD,USER>")},
    {"AT+REGSND=?", answer("REGSND", "<LINK,DATA>")},
    {"AT+UART=?", answer("UART", "<300,600,1200,2400,4800,9600,19200,38400,57600,115200,230400>,<7,8>,<1,2>,"
                                 "<NONE,ODD,EVEN>,<NFC>")},
};

} // namespace

class Lte7s4ParamRow : public ::testing::TestWithParam<ParamCase> {};

TEST_P(Lte7s4ParamRow, FactoryQuerySetReadbackAndRejectedSet) {
    const ParamCase& c = GetParam();
    Dut7s4 dut;
    dut.enter_command();
    const std::string name = c.name;
    EXPECT_EQ(dut.cmd("AT+" + name), answer(name, c.factory));
    EXPECT_EQ(dut.cmd("at+" + name + "?"), answer(name, c.factory)) << "7S4 §3.1.6: not case-sensitive";
    EXPECT_EQ(dut.cmd("AT+" + name + "=" + c.set), ok());
    EXPECT_EQ(dut.cmd("AT+" + name + "?"), answer(name, c.readback));
    if (c.bad) {
        EXPECT_EQ(dut.cmd("AT+" + name + "=" + c.bad), err(4));
        EXPECT_EQ(dut.cmd("AT+" + name + "?"), answer(name, c.readback)) << "a rejected set changes nothing";
    }
    const std::string test = dut.cmd("AT+" + name + "=?");
    EXPECT_EQ(test.rfind("\r\n+" + name + ":<", 0), 0u) << test;
    EXPECT_EQ(test.substr(test.size() - 4), "\r\n\r\n") << test;
}

INSTANTIATE_TEST_SUITE_P(Lte7s4, Lte7s4ParamRow, ::testing::ValuesIn(kParams),
                         [](const auto& info) { return std::string(info.param.name); });

class Lte7s4QueryRow : public ::testing::TestWithParam<QueryCase> {};

TEST_P(Lte7s4QueryRow, Answers) {
    Dut7s4 dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd(GetParam().line), GetParam().reply);
}

INSTANTIATE_TEST_SUITE_P(Lte7s4, Lte7s4QueryRow, ::testing::ValuesIn(kQueries));

TEST(Lte7s4CommandTable, EveryRowIsCovered) {
    std::set<std::string> covered;
    for (const auto& c : kParams)
        covered.insert(c.name);
    for (const auto& q : kQueries)
        covered.insert(command_of(q.line));
    // Rows with tests of their own: lte7s4_persistence_test (Z, REBOOT, RELD, CLEAR, CFGTF),
    // lte7s4_transcript_test (H, ENTM).
    // SMSEND and CISMSSEND: SmsendAndCismssendSendOneSms below.
    for (const char* n : {"Z", "REBOOT", "RELD", "CLEAR", "CFGTF", "H", "ENTM", "SMSEND", "CISMSSEND"})
        covered.insert(n);
    EXPECT_EQ(rows_not_in("lte7s4", covered), std::vector<std::string>{});
}

TEST(Lte7s4CommandTable, EveryFactoryValuePassesItsOwnRow) {
    for (const auto& slot : dtu::params::slots(*dtu::profile::find("lte7s4")))
        EXPECT_EQ(slot.factory.size(), slot.spec->params.size()) << slot.key;
}

// 7S4 §3.1.7 table 15: each cause has its own error.
TEST(Lte7s4CommandTable, ErrorsByCause) {
    Dut7s4 dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("HELLO"), err(1)) << "does not start with AT";
    EXPECT_EQ(dut.cmd("A+VER"), err(1));
    for (const char* line : {"AT+FOO", "AT+S", "AT+UATEN", "AT+NATEN=ON", "AT+CACHEN", "AT+HTPTIM",
                             "AT+HTPPK", "AT+SOCKRSTIM", "AT+BUILD", "AT+SOCKEEN", "AT+HEARTSORT"})
        EXPECT_EQ(dut.cmd(line), err(2)) << line << ": not a 7S4 command";
    for (const char* line : {"AT+VER=1", "AT+VER=?", "AT+Z?", "AT+Z=1", "AT+SOCKALK=ON", "AT+ENTM?",
                             "AT+CSQ=1", "AT+RELD?", "AT+CFGTF=?", "AT+UPDATE", "AT+UPDATE?", "AT+REBOOT=1"})
        EXPECT_EQ(dut.cmd(line), err(3)) << line << ": the row does not take that form";
    for (const char* line : {"AT+SOCKA=TCP,h", "AT+SOCKA=TCP,h,1,2", "AT+UART=9600,8,1,NONE",
                             "AT+UPDATE=", "AT+HEARTTM=", "AT+E=ON,OFF"})
        EXPECT_EQ(dut.cmd(line), err(4)) << line << ": parameter count or range";
    EXPECT_EQ(dut.cmd("AT+SOCKA"), answer("SOCKA", "TCP,test.usr.cn,2317")) << "nothing changed";
}

// 7S4 §3.1.6.4: '=', ',', '?', CR and LF are written [3D] [2C] [3F] [0D] [0A], in and out.
TEST(Lte7s4CommandTable, EscapesBothWays) {
    Dut7s4 dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HTPURL?"), answer("HTPURL", "/1.php[3F]"));
    EXPECT_EQ(dut.cmd("AT+HTPURL=/q[3F]a[3D]1[2C]2"), ok());
    EXPECT_EQ(dut.cmd("AT+HTPURL"), answer("HTPURL", "/q[3F]a[3D]1[2C]2"));
    EXPECT_EQ(dut.cmd("AT+STMSG=hi[0D][0A]there"), ok());
    EXPECT_EQ(dut.cmd("AT+STMSG"), answer("STMSG", "hi[0D][0A]there"));
    EXPECT_EQ(dut.cmd("AT+STMSG=a,b"), err(4)) << "a literal ',' makes a second parameter";
    EXPECT_EQ(dut.cmd("AT+STMSG=a[2C]b"), ok());
    EXPECT_EQ(dut.cmd("AT+STMSG"), answer("STMSG", "a[2C]b"));
    EXPECT_EQ(dut.cmd("AT+APN=a,b,c,d"), err(4)) << "four parameters for three";
    EXPECT_EQ(dut.cmd("AT+APN"), answer("APN", "CMNET,,"));
    EXPECT_EQ(dut.cmd("AT+HTPSV=a[2C]b,81"), ok());
    EXPECT_EQ(dut.cmd("AT+HTPSV"), answer("HTPSV", "a[2C]b,81")) << "an escaped ',' is not a separator";
}

// The alias rows share the storage of the row they stand for (spec net-transparent §15, §7.2).
TEST(Lte7s4CommandTable, AliasesShareTheirRowsStorage) {
    Dut7s4 dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+HEARTTP=COM"), ok());
    EXPECT_EQ(dut.cmd("AT+HEARTSND"), answer("HEARTSND", "COM"));
    EXPECT_EQ(dut.cmd("AT+HEARTSND=NET"), ok());
    EXPECT_EQ(dut.cmd("AT+HEARTTP"), answer("HEARTTP", "NET"));
    EXPECT_EQ(dut.cmd("AT+CLOUDID=01234567890123456789"), ok());
    EXPECT_EQ(dut.cmd("AT+CLOUDPA=12345678"), ok());
    EXPECT_EQ(dut.cmd("AT+CLOUD"), answer("CLOUD", "01234567890123456789,12345678"));
    EXPECT_EQ(dut.cmd("AT+CLOUD=11111111111111111111,22222222"), ok());
    EXPECT_EQ(dut.cmd("AT+CLOUDID"), answer("CLOUDID", "11111111111111111111"));
    EXPECT_EQ(dut.cmd("AT+CLOUDPA"), answer("CLOUDPA", "22222222"));
    EXPECT_EQ(dut.cmd("AT+CLOUDPA=123456789"), err(4));
    EXPECT_EQ(dut.cmd("AT+CLOUD"), answer("CLOUD", "11111111111111111111,22222222")) << "unchanged";
}

// 7S4 §3.1.7.11 tables 16-18: the rssi scale of the network in use, a null field, ber.
TEST(Lte7s4CommandTable, SignalInTheTableOfTheNetwork) {
    Dut7s4 dut;
    dut.enter_command();
    auto& radio = dut.bench.modem.radio_state;
    radio.network = "GSM/GPRS";
    radio.rssi = 12;
    radio.ber = 3;
    EXPECT_EQ(dut.cmd("AT+CSQ"), answer("CSQ", " 12,,3")) << "table 16: GSM as is";
    radio.network = "LTE";
    radio.rssi = 0; // -113 dBm -> LTE table 28
    radio.ber = 99;
    EXPECT_EQ(dut.cmd("AT+CSQ"), answer("CSQ", " 128,,99"));
    radio.rssi = 31; // >= -51 dBm -> 90 (-51 dBm) + 100
    EXPECT_EQ(dut.cmd("AT+CSQ"), answer("CSQ", " 190,,99"));
    radio.network = "TD-SCDMA";
    radio.rssi = 20; // -73 dBm -> TD table 43 (1 = -115 dBm)
    EXPECT_EQ(dut.cmd("AT+CSQ"), answer("CSQ", " 143,,99"));
    radio.rssi = 99;
    EXPECT_EQ(dut.cmd("AT+CSQ"), answer("CSQ", " 99,,99")) << "99: unknown in every table";
    radio.service_state = 0;
    radio.network = "No Network";
    EXPECT_EQ(dut.cmd("AT+SYSINFO"), answer("SYSINFO", " 0,No Network"));
}

// 7S4 §3.1.7.66-67: AT+SMSEND / AT+CISMSSEND=number,data send one SMS; the text is the second
// parameter, so a ',' in it is written [2C] like in any 7S4 value (§3.1.6.4).
TEST(Lte7s4CommandTable, SmsendAndCismssendSendOneSms) {
    Dut7s4 dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+SMSEND=8613854123456,\xE4\xBD\xA0\xE5\xA5\xBD\xE5\x95\x8A"), ok()); // the example
    EXPECT_EQ(dut.cmd("AT+CISMSSEND=10086,a[2C]b"), ok());
    EXPECT_EQ(dut.cmd("AT+SMSEND=10086,a,b"), err(4)) << "a literal ',' is a parameter too many";
    const auto& sent = dut.bench.sms.sent;
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[0].number, "8613854123456");
    EXPECT_EQ(sent[0].text, "\xE4\xBD\xA0\xE5\xA5\xBD\xE5\x95\x8A");
    EXPECT_EQ(sent[1].number, "10086");
    EXPECT_EQ(sent[1].text, "a,b");
    dut.bench.sms.registered = false;
    EXPECT_EQ(dut.cmd("AT+SMSEND=10086,hi"), err(4)) << "no registration: not possible now";
    EXPECT_EQ(sent.size(), 2u);
}
