// The USR-LTE-7S4 manual's own examples and procedures, byte for byte (echo off, as the manual's
// answers are printed: 7S4 §3.1.6.3 "在以下说明中，均以无回显模式为例").
#include "lte7s4_dut.hpp"

using namespace dtu::test::s4;

namespace {

/// Command mode with echo off, so every answer is exactly what the manual prints.
void quiet_command_mode(Dut7s4& dut) {
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+E=OFF"), ok());
}

std::string send(Dut7s4& dut, std::string_view line) {
    dut.rx(std::string(line) + "\r");
    return dut.out();
}

} // namespace

// 7S4 §3.1.7.1 - §3.1.7.7: AT, E, ENTM, WKMOD.
TEST(Lte7s4Transcript, ManagementCommands) {
    Dut7s4 dut;
    quiet_command_mode(dut);
    EXPECT_EQ(send(dut, "AT"), "\r\nOK\r\n\r\n");
    EXPECT_EQ(send(dut, "AT+E"), "\r\n+E:OFF\r\n\r\n");
    EXPECT_EQ(send(dut, "AT+E?"), "\r\n+E:OFF\r\n\r\n");
    EXPECT_EQ(send(dut, "AT+WKMOD"), "\r\n+WKMOD:NET\r\n\r\n");
    EXPECT_EQ(send(dut, "AT+WKMOD=NET"), "\r\nOK\r\n");
    EXPECT_EQ(send(dut, "AT+CMDPW=www.usr.cn#"), "\r\nOK\r\n"); // §3.1.7.8's example (11 bytes)
    EXPECT_EQ(send(dut, "AT+CMDPW"), "\r\n+CMDPW:www.usr.cn#\r\n\r\n");
    EXPECT_EQ(send(dut, "AT+STMSG=www.usr.cn"), "\r\nOK\r\n");         // §3.1.7.9
    EXPECT_EQ(send(dut, "AT+UART=115200,8,1,NONE,NFC"), "\r\nOK\r\n"); // §3.1.7.20
    EXPECT_EQ(send(dut, "AT+UARTFT=200"), "\r\nOK\r\n");               // §3.1.7.21
    EXPECT_EQ(send(dut, "AT+UARTFL=1000"), "\r\nOK\r\n");              // §3.1.7.22
    EXPECT_EQ(send(dut, "AT+APN=3gnet,admin,admin"), "\r\nOK\r\n");    // §3.1.7.24
    EXPECT_EQ(send(dut, "AT+APN"), "\r\n+APN:3gnet,admin,admin\r\n\r\n");
    EXPECT_EQ(send(dut, "AT+SOCKA=TCP,test.usr.cn,8899"), "\r\nOK\r\n"); // §3.1.7.25
    EXPECT_EQ(send(dut, "AT+SOCKA"), "\r\n+SOCKA:TCP,test.usr.cn,8899\r\n\r\n");
    EXPECT_EQ(send(dut, "AT+SOCKATO=10"), "\r\nOK\r\n");                          // §3.1.7.41
    EXPECT_EQ(send(dut, "AT+REGTP=ICCID"), "\r\nOK\r\n");                         // §3.1.7.52
    EXPECT_EQ(send(dut, "AT+REGSND=DATA"), "\r\nOK\r\n");                         // §3.1.7.54
    EXPECT_EQ(send(dut, "AT+CLOUD=12345678901234567890,12345678"), "\r\nOK\r\n"); // §3.1.7.55
    EXPECT_EQ(send(dut, "AT+HEARTSND=COM"), "\r\nOK\r\n");                        // §3.1.7.58
    EXPECT_EQ(send(dut, "AT+HTPTP=POST"), "\r\nOK\r\n");                          // §3.1.7.60
    EXPECT_EQ(send(dut, "AT+HTPTO=10"), "\r\nOK\r\n");                            // §3.1.7.64
    EXPECT_EQ(send(dut, "AT+ENTM"), "\r\nOK\r\n");                                // §3.1.7.6
}

// 7S4 §3.1.7.2: the help lists the commands, printed like a query answer (no OK).
TEST(Lte7s4Transcript, Help) {
    Dut7s4 dut;
    quiet_command_mode(dut);
    const std::string help = send(dut, "AT+H");
    EXPECT_EQ(help.rfind("\r\n", 0), 0u);
    EXPECT_EQ(help.substr(help.size() - 4), "\r\n\r\n");
    EXPECT_EQ(help.find("OK"), std::string::npos) << help;
    for (const char* line : {"AT+WKMOD: work mode", "AT+SOCKATO: reconnect time after a disconnect in s",
                             "AT+SOCKDTO: reconnect time after a disconnect in s",
                             "AT+HEARTSND: heartbeat direction", "AT+REBOOT: reboot the system"})
        EXPECT_NE(help.find(line), std::string::npos) << line;
}

// 7S4 §2.1.1: network transparent mode set up as the manual lists it, ending with AT+Z.
TEST(Lte7s4Transcript, NetProcedure) {
    Dut7s4 dut;
    quiet_command_mode(dut);
    for (const char* line :
         {"AT+WKMOD=NET", "AT+SOCKAEN=ON", "AT+SOCKA=TCP,test.usr.cn,2317", "AT+SOCKASL=LONG", "AT+Z"})
        EXPECT_EQ(send(dut, line), "\r\nOK\r\n") << line;
    EXPECT_EQ(dut.reboot(), "\r\nUSR-LTE-7S4 V1.0.5\r\n");
    ASSERT_TRUE(dut.bench.net.links.count(0));
    EXPECT_EQ(dut.bench.net.links[0].host, "test.usr.cn");
    EXPECT_EQ(dut.bench.net.links[0].port, 2317);
}

// 7S4 §2.1.2: HTTPD set up as the manual lists it.
TEST(Lte7s4Transcript, HttpdProcedure) {
    Dut7s4 dut;
    quiet_command_mode(dut);
    for (const char* line :
         {"AT+WKMOD=HTTPD", "AT+HTPTP=GET", "AT+HTPURL=/1.php[3F]", "AT+HTPSV=test.usr.cn,80",
          "AT+HTPHD=Connection: close[0D][0A]", "AT+HTPTO=10", "AT+HTPFLT=ON"})
        EXPECT_EQ(send(dut, line), "\r\nOK\r\n") << line;
    EXPECT_EQ(send(dut, "AT+HTPURL"), "\r\n+HTPURL:/1.php[3F]\r\n\r\n");
    EXPECT_EQ(send(dut, "AT+HTPHD"), "\r\n+HTPHD:Connection: close[0D][0A]\r\n\r\n");
    EXPECT_EQ(send(dut, "AT+Z"), "\r\nOK\r\n");
    dut.reboot();
    EXPECT_EQ(dut.bench.device->status().work_mode, "HTTPD");
}

// 7S4 §2.3.1 - §2.3.3: registration, heartbeat (written AT+HEARTTP=NET there) and cloud.
TEST(Lte7s4Transcript, RegistrationHeartbeatAndCloudProcedures) {
    Dut7s4 dut;
    quiet_command_mode(dut);
    for (const char* line :
         {"AT+REGEN=ON", "AT+REGTP=USER", "AT+REGDT=7777772E7573722E636E", "AT+REGSND=LINK", "AT+HEARTEN=ON",
          "AT+HEARTDT=7777772E7573722E636E", "AT+HEARTTP=NET", "AT+HEARTTM=30", "AT+CLOUDEN=ON",
          "AT+CLOUDID=01234567890123456789", "AT+CLOUDPA=12345678"})
        EXPECT_EQ(send(dut, line), "\r\nOK\r\n") << line;
    EXPECT_EQ(send(dut, "AT+Z"), "\r\nOK\r\n");
    dut.reboot();
    dut.bench.net.accept(0);
    EXPECT_EQ(dut.bench.net.stream(0), "www.usr.cn") << "§2.3.1: the registration packet on connect";
}

// 7S4 §3.1.3: serial AT in transparent mode is the password followed by the command, no '#'.
TEST(Lte7s4Transcript, SerialAtWithoutHash) {
    Dut7s4 dut;
    dut.out();
    dut.frame("usr.cnAT+VER\r");
    EXPECT_EQ(dut.out(), "\r\n+VER:V1.0.5\r\n\r\n");
    dut.frame("usr.cn#AT+VER\r");
    EXPECT_EQ(dut.out(), "") << "with '#' it is data (for the server)";
}
