// Table-driven: every row of the USR-GPRS232-732 command table (732 §3.1.7 table 13), through the
// serial port in command mode: query, "=?", a valid set and its read-back, an invalid set.
#include <set>

#include "dtu/params/store.hpp"
#include "gprs732_dut.hpp"

using namespace dtu::test;
using namespace dtu::test::gprs732;

namespace {

/// One stored-parameter row. Answers are the text after "+NAME:" (with the row's blank, if any).
struct Row {
    const char* name;
    const char* factory;
    const char* test; ///< "=?" answer as 732 §3.1.7.x prints it; nullptr = the row has no "=?"
    const char* set;
    const char* readback;
    const char* bad;
};

constexpr const char* kOnOff = "<\"on\",\"off\">";

// Factory values and "=?" lines: 732 §3.1.7.x; answer forms: spec at-syntax §4.2 (GAP-02).
const Row kRows[] = {
    {"E", "on", kOnOff, "\"off\"", "off", "\"maybe\""},
    {"WKMOD", "NET", "<\"CMD\",\"SMS\",\"NET\",\"HTTPD\">", "\"UDC\"", "UDC", "\"MQTT\""},
    {"CALEN", "off", kOnOff, "\"on\"", "on", "1"},
    {"NATEN", "on", kOnOff, "off", "off", "\"of\""},
    {"UATEN", "off", kOnOff, "\"ON\"", "on", "\"\""},
    {"CMDPW", " \"usr.cn\"", "<\"password\">", "\"abc123\"", " \"abc123\"", "\"1234567\""},
    {"CACHEN", "on", kOnOff, "\"off\"", "off", "\"no\""},
    {"STMSG", " \"USR-GM3 V3.0.0\"", "<\"welcome message\">", "\"www.usr.cn\"", " \"www.usr.cn\"",
     "\"123456789012345678\""},
    {"RSTIM", "1800", "<time>", "180", "180", "65536"},
    {"UART", "115200,NONE,8,1,RS485",
     "<2400,4800,9600,14400,19200,28800,33600,38400,57600,115200,230400,460800,921600>,"
     "<\"NONE\",\"ODD\",\"EVEN\">,<7,8>,<1,2>,<\"NONE\",\"CRTS\",\"RS485\">",
     "9600,\"even\",7,2,\"CRTS\"", "9600,EVEN,7,2,CRTS", "128000,\"NONE\",8,1,\"NONE\""},
    {"RFCEN", "off", kOnOff, "\"on\"", "on", "\"yes\""},
    {"APN", " \"CMNET\", \"\", \"\"", "<\"code\">,<\"name\">,<\"pass\">", "\"usr\",\"usr.cn\",\"123\"",
     " \"usr\", \"usr.cn\", \"123\"", "\"\",\"a\",\"b\""},
    {"SOCKA", " TCP,\"test.usr.cn\",2317", "<protocol>,<\"address\">,<port>", "\"UDP\",\"10.0.0.1\",7",
     " UDP,\"10.0.0.1\",7", "\"TCP\",\"x\",0"},
    {"SOCKB", " TCP,\"test.usr.cn\",2317", "<protocol>,<\"address\">,<port>", "TCP,b.example,65535",
     " TCP,\"b.example\",65535", "\"TCP\",\"\",80"},
    {"SOCKC", " TCP,\"test.usr.cn\",2317", "<protocol>,<\"address\">,<port>", "\"tcp\",\"c\",1",
     " TCP,\"c\",1", "\"SCTP\",\"c\",1"},
    {"SOCKD", " TCP,\"test.usr.cn\",2317", "<protocol>,<\"address\">,<port>", "\"UDP\",\"d\",2",
     " UDP,\"d\",2", "\"UDP\",\"d\""},
    {"SOCKAEN", "on", kOnOff, "\"off\"", "off", "2"},
    {"SOCKBEN", "off", kOnOff, "\"on\"", "on", "2"},
    {"SOCKCEN", "off", kOnOff, "\"on\"", "on", "2"},
    {"SOCKDEN", "off", kOnOff, "\"on\"", "on", "2"},
    {"SOCKASL", "long", "<\"short\",\"long\">", "\"short\"", "short", "\"medium\""},
    {"SOCKBSL", "long", "<\"short\",\"long\">", "\"SHORT\"", "short", "\"\""},
    {"SOCKCSL", "long", "<\"short\",\"long\">", "short", "short", "1"},
    {"SOCKDSL", "long", "<\"short\",\"long\">", "\"short\"", "short", "\"shorter\""},
    {"SOCKRSTIM", "60", "<time>", "180", "180", "0"},
    {"SHORTIM", "10", "<time>", "65535", "65535", "65536"},
    {"SOCKIDEN", "off", kOnOff, "\"on\"", "on", "\"1\""},
    {"REGEN", "off", kOnOff, "\"on\"", "on", "\"ICCID\""},
    {"REGTP", "REGDT", "<\"ICCID\",\"IMEI\",\"REGID\",\"REGDT\">", "\"iccid\"", "ICCID", "\"MAC\""},
    {"REGID", "100", "<id>", "65536", "65536", "65537"},
    {"REGDT", "\"7777772E7573722E636E\"", "<\"data\">", "\"0a0b\"", "\"0A0B\"", "\"777\""},
    {"REGSND", "link", "<\"link\",\"data\",\"link&data\">", "\"link&data\"", "link&data", "\"both\""},
    {"HEARTEN", "on", kOnOff, "\"off\"", "off", "\"0\""},
    {"HEARTDT", "\"7777772E7573722E636E\"", "<\"data\">", "\"41\"", "\"41\"",
     "\"414243444546474849505152535455565758596061\""},
    {"HEARTTP", "NET", "<\"COM\",\"NET\">", "\"com\"", "COM", "\"UART\""},
    {"HEARTTM", "30", "<time>", "60", "60", "0"},
    {"HTPTP", "GET", "<\"GET\",\"POST\">", "\"post\"", "POST", "\"PUT\""},
    {"HTPURL", "\"/1.php?\"", "<\"URL\">", "\"/2.php?a=1\"", "\"/2.php?a=1\"", "\"\""},
    {"HTPSV", " \"test.usr.cn\",80", "<\"address\">,<port>", "\"example.com\",8080", " \"example.com\",8080",
     "\"example.com\",0"},
    {"HTPHD", " \"Accept:text/html[0D][0A]\"", "<\"head\">",
     "\"Accept:text/html[0D][0A]Accept-Language:zh-CN[0D][0A]\"",
     " \"Accept:text/html[0D][0A]Accept-Language:zh-CN[0D][0A]\"", nullptr},
    {"HTPPK", "on", kOnOff, "\"off\"", "off", "\"no\""},
    {"HTPTIM", "10", "<\"time\">", "1", "1", "0"},
    {"DSTNUM", " \"1008610010\"", "<\"number\">", "\"13800000000\"", " \"13800000000\"", "\"1380-0000\""},
    {"CLOUDEN", " off", kOnOff, "\"on\"", " on", "\"cloud\""},
    {"CLOUDID", " \"\"", "<\"id\">", "\"12345678901234567890\"", " \"12345678901234567890\"", "\"1234\""},
    {"CLOUDPA", " \"\"", "<\"pass\">", "\"0000test\"", " \"0000test\"", "\"1234567\""},
    {"UCPIN", "\"\"", nullptr, "\"1234\"", "\"1234\"", "\"12a4\""},
};

class Row732 : public ::testing::TestWithParam<Row> {};

TEST_P(Row732, QueryTestSetReadbackAndRejectedSet) {
    const Row& r = GetParam();
    Dut732 dut;
    const std::string name = r.name;
    EXPECT_EQ(dut.cmd("AT+" + name), answer(name, r.factory));
    EXPECT_EQ(dut.cmd("at+" + name + "?"), answer(name, r.factory)) << "732 §3.1.6: case-insensitive";
    EXPECT_EQ(dut.cmd("AT+" + name + "=?"), r.test ? answer(name, r.test) : err(58));
    EXPECT_EQ(dut.cmd("AT+" + name + "=" + r.set), ok());
    EXPECT_EQ(dut.cmd("AT+" + name + "?"), answer(name, r.readback));
    if (r.bad) {
        EXPECT_EQ(dut.cmd("AT+" + name + "=" + r.bad), err(3));
        EXPECT_EQ(dut.cmd("AT+" + name + "?"), answer(name, r.readback)) << "a rejected set changes nothing";
    }
    // An empty value is a value where the row allows one (no PIN, no cloud ID, no headers).
    const bool empty_ok = name == "UCPIN" || name == "CLOUDID" || name == "CLOUDPA" || name == "HTPHD";
    EXPECT_EQ(dut.cmd("AT+" + name + "="), empty_ok ? ok() : err(3)) << "a missing parameter";
}

INSTANTIATE_TEST_SUITE_P(Gprs732, Row732, ::testing::ValuesIn(kRows),
                         [](const auto& info) { return std::string(info.param.name); });

/// Rows that are not stored parameters, with their answer on the fake modem.
struct Query {
    const char* line;
    std::string reply;
};

const Query kQueries[] = {
    {"AT", ok()},
    {"AT+VER", answer("VER", "V3.0.0")},
    {"AT+VER?", answer("VER", "V3.0.0")},
    {"AT+SN", answer("SN", "02400122052700000529")},
    {"AT+ICCID?", answer("ICCID", "89860000000000000001")},
    {"AT+IMEI", answer("IMEI", "868000000000001")},
    {"AT+CNUM", answer("CNUM", "")},
    {"AT+CSQ", answer("CSQ", " 27,99")},
    {"AT+LBS?", answer("LBS", " 0,0")},
    {"AT+CIP", "\r\n+CIP:\r\n\r\nOK\r\n"}, // no socket connected: no SOCKET:IP line
    {"AT+SOCKALK", answer("SOCKALK", "disconnected")},
    {"AT+SOCKBLK?", answer("SOCKBLK", "disconnected")},
    {"AT+SOCKCLK", answer("SOCKCLK", "disconnected")},
    {"AT+SOCKDLK", answer("SOCKDLK", "disconnected")},
    {"AT+PING=?", answer("PING", "<\"DNS/IP address\">")},
    {"AT+PING=\"www.baidu.com\"", ok()},
    {"AT+PING=\"\"", err(3)},
    {"AT+PING", err(58)},
    {"AT+CFGTF", ok()},
    {"AT+SMSEND=?", answer("SMSEND", "<\"number\">,<1,2,3>,<\"data\">")},
    {"AT+SMSEND=\"10086\",2,\"hi\"", ok()},
    {"AT+SMSEND", err(58)},
};

class Query732 : public ::testing::TestWithParam<Query> {};

TEST_P(Query732, Answers) {
    Dut732 dut;
    EXPECT_EQ(dut.cmd(GetParam().line), GetParam().reply);
}

INSTANTIATE_TEST_SUITE_P(Gprs732, Query732, ::testing::ValuesIn(kQueries));

TEST(Gprs732Table, EveryRowIsCovered) {
    std::set<std::string> covered;
    for (const auto& r : kRows)
        covered.insert(r.name);
    for (const auto& q : kQueries) {
        std::string n = q.line;
        n = n.size() > 3 ? n.substr(3, n.find_first_of("?=", 3) - 3) : "";
        covered.insert(n);
    }
    // Rows with their own tests below or in gprs732_procedures_test.cpp.
    for (const char* n : {"H", "Z", "S", "RELD", "CLEAR", "ENTM"})
        covered.insert(n);
    for (const auto& spec : dtu::profile::find("gprs732")->commands) {
        const std::size_t variants = spec.variants.empty() ? 1 : spec.variants.size();
        for (std::size_t i = 0; i < variants; ++i)
            EXPECT_TRUE(covered.count(dtu::at::concrete_name(spec, i))) << dtu::at::concrete_name(spec, i);
    }
}

TEST(Gprs732Table, EveryFactoryValuePassesItsOwnRow) {
    for (const auto& slot : dtu::params::slots(*dtu::profile::find("gprs732")))
        EXPECT_EQ(slot.factory.size(), slot.spec->params.size()) << slot.key;
}

TEST(Gprs732Table, EveryRowOfTable13IsThere) {
    // 732 §3.1.7 table 13, rows 1-68.
    const char* table13[] = {
        "H",       "Z",       "E",       "ENTM",    "WKMOD",     "CALEN",   "NATEN",    "UATEN",   "CMDPW",
        "CACHEN",  "STMSG",   "RSTIM",   "S",       "RELD",      "CLEAR",   "CFGTF",    "VER",     "SN",
        "ICCID",   "IMEI",    "CNUM",    "UART",    "RFCEN",     "APN",     "SOCKA",    "SOCKB",   "SOCKC",
        "SOCKD",   "SOCKAEN", "SOCKBEN", "SOCKCEN", "SOCKDEN",   "SOCKASL", "SOCKBSL",  "SOCKCSL", "SOCKDSL",
        "SOCKALK", "SOCKBLK", "SOCKCLK", "SOCKDLK", "SOCKRSTIM", "SHORTIM", "SOCKIDEN", "CIP",     "PING",
        "CSQ",     "REGEN",   "REGTP",   "REGID",   "REGDT",     "REGSND",  "HEARTEN",  "HEARTDT", "HEARTTP",
        "HEARTTM", "HTPTP",   "HTPURL",  "HTPSV",   "HTPHD",     "HTPPK",   "HTPTIM",   "DSTNUM",  "SMSEND",
        "CLOUDEN", "CLOUDID", "CLOUDPA", "LBS",     "UCPIN"};
    std::set<std::string> names;
    for (const auto& spec : dtu::profile::find("gprs732")->commands) {
        const std::size_t variants = spec.variants.empty() ? 1 : spec.variants.size();
        for (std::size_t i = 0; i < variants; ++i)
            names.insert(dtu::at::concrete_name(spec, i));
    }
    for (const char* name : table13)
        EXPECT_TRUE(names.count(name)) << name;
}

TEST(Gprs732Table, CommandsTheG771HasAndThe732NotAreUnknown) {
    Dut732 dut;
    // 732 §2.2.2: no packing commands; no MQTT, SSL, NTP, SIM switch, security login, backups.
    for (const char* line : {"AT+UARTFT", "AT+UARTFL=10", "AT+BUILD", "AT+SYSINFO", "AT+MQTTSVR?", "AT+SSLEN",
                             "AT+NTPEN", "AT+SIMSWITCH", "AT+SAFEATEN", "AT+SOCKABK", "AT+SHORTATM",
                             "AT+SOCKRSNUM", "AT+HEARTSORT", "AT+SDPEN", "AT+CCLK", "AT+LBSN"})
        EXPECT_EQ(dut.cmd(line), err(58)) << line;
}

TEST(Gprs732Table, OperatorsARowDoesNotTakeAreFormatErrors) {
    Dut732 dut;
    for (const char* line :
         {"AT+VER=1", "AT+VER=?", "AT+Z?", "AT+S=1", "AT+SOCKALK=connected", "AT+ENTM?", "AT+H=?", "AT+RELD?",
          "AT+CFGTF=1", "AT+CIP=?", "AT+CSQ=?", "AT+LBS=1", "AT+PING?", "AT+UCPIN=?"})
        EXPECT_EQ(dut.cmd(line), err(58)) << line;
}

TEST(Gprs732Table, ABlankBeforeAQuotedParameterIsAllowed) {
    Dut732 dut;
    // 732 §3.1.7.63 writes `AT+SMSEND="number",type, "data"`; §3.1.7.24 answers `"code", "name", "pass"`.
    EXPECT_EQ(dut.cmd("AT+APN=\"usr\", \"usr.cn\", \"123\""), ok());
    EXPECT_EQ(dut.cmd("AT+APN?"), answer("APN", " \"usr\", \"usr.cn\", \"123\""));
    EXPECT_EQ(dut.cmd("AT+CMDPW= \"abc\""), ok());
    EXPECT_EQ(dut.cmd("AT+CMDPW?"), answer("CMDPW", " \"abc\""));
    EXPECT_EQ(dut.cmd("AT+STMSG=hello world"), ok()) << "unquoted text keeps its blanks";
    EXPECT_EQ(dut.cmd("AT+STMSG?"), answer("STMSG", " \"hello world\""));
    EXPECT_EQ(dut.cmd("AT+STMSG= hello"), ok()) << "a blank before an unquoted value is part of it";
    EXPECT_EQ(dut.cmd("AT+STMSG?"), answer("STMSG", " \" hello\""));
}

TEST(Gprs732Table, HelpListsEveryCommand) {
    Dut732 dut;
    const std::string help = dut.cmd("AT+H");
    EXPECT_EQ(help.rfind("\r\n", 0), 0u);
    EXPECT_EQ(help.substr(help.size() - 8), "\r\n\r\nOK\r\n") << "732 §3.1.7.1: help message, blank line, OK";
    for (const char* line :
         {"AT+WKMOD: work mode\r\n", "AT+SOCKA: socket server: protocol,address,port\r\n",
          "AT+SOCKDSL: short/long TCP connection\r\n", "AT+CFGTF: keep the current parameters"})
        EXPECT_NE(help.find(line), std::string::npos) << line << " in " << help;
    EXPECT_EQ(help.find("AT+UARTFT"), std::string::npos);
}

} // namespace
