// The features the 732 and the 7S4 share, end to end: dtu-sim's PTY, real TCP servers on 127.0.0.1,
// the control API (status, SMS outbox, SIM PIN). RFC2217-like frame (732 §2.2.4 / AT+RFCEN
// §3.1.7.23, 7S4 §2.2.3 / §3.1.7.23), socket-ID indication (732 AT+SOCKIDEN §3.1.7.43, 7S4
// AT+SOCKIND §3.1.7.49), AT+SMSEND (732 §3.1.7.63; 7S4 §3.1.7.66) and AT+CISMSSEND (7S4
// §3.1.7.67), AT+UCPIN (732 §3.1.7.68). The cases run on the 732; the Model table and the
// helpers take the 7S4 too, for when its table is in this build.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonObject>

#include "at_session.hpp"
#include "control_client.hpp"
#include "net_peer.hpp"
#include "serial_client.hpp"
#include "sim_process.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;

/// What differs between the two models in these tests.
struct Model {
    std::string profile;
    std::string start_message;
    std::chrono::milliseconds plus_guard; ///< quiet before "+++"
    std::string save;                     ///< the command that saves and restarts
    std::string parameter_error;          ///< the line of a parameter error
};

const Model k732{"gprs732", "\r\nUSR-GM3 V3.0.0\r\n", 300ms, "AT+S", "\r\n+CME ERROR:3\r\n"};

std::string str(const QJsonValue& v) { return v.toString().toStdString(); }

/// One unit on its PTY with the control API.
class Unit {
public:
    explicit Unit(const Model& m) : m_(m), sim_({"--profile", m.profile, "--control", "127.0.0.1:0"}) {
        EXPECT_TRUE(sim_.start());
        port = std::make_unique<SerialClient>(sim_.serial());
        EXPECT_EQ(port->read_until(m_.start_message, 3s), m_.start_message);
        api = std::make_unique<Control>(sim_.control());
    }
    /// +++ and a (732 §3.1.2, 7S4 §3.1.2).
    void enter_command() {
        ASSERT_TRUE(port->expect_silence(m_.plus_guard)) << "unexpected output: " << port->buffered();
        port->write("+++");
        EXPECT_EQ(port->read_until("a", 2s), "a");
        port->write("a");
        EXPECT_EQ(port->read_until("+ok\r\n", 2s), "+ok\r\n");
    }
    /// One command in command mode, its answer up to the end of `until` (echo removed).
    std::string cmd(const std::string& line, std::string_view until = "\r\n") {
        return at_command(*port, line, until);
    }
    /// Commands, each answered OK, then save and restart; back in transparent mode.
    void configure(const std::vector<std::string>& commands) {
        enter_command();
        for (const auto& c : commands)
            EXPECT_EQ(at_command(*port, c), "\r\nOK\r\n") << c;
        restart();
    }
    /// In command mode: the save/restart command and the start message after it.
    void restart() {
        EXPECT_EQ(at_command(*port, m_.save), "\r\nOK\r\n");
        EXPECT_EQ(port->read_until(m_.start_message, 5s), m_.start_message);
    }
    QJsonObject status() { return api->get("/api/v1/status").json; }
    QJsonArray outbox() { return api->get("/api/v1/sms/outbox").json.value("messages").toArray(); }
    const SimProcess& sim() const { return sim_; }
    const Model& model() const { return m_; }

    std::unique_ptr<SerialClient> port;
    std::unique_ptr<Control> api;

private:
    const Model& m_;
    SimProcess sim_;
};

std::string bytes(std::initializer_list<int> b) {
    std::string s;
    for (int v : b)
        s.push_back(static_cast<char>(v));
    return s;
}

// 732 §2.2.4 table 4 / 7S4 §2.2.3 table 3: 9600,N,8,1, byte for byte.
const std::string k9600 = bytes({0x55, 0xAA, 0x55, 0x00, 0x25, 0x80, 0x83, 0x28});

std::string endpoint_732(const TcpServer& s) { return "\"TCP\",\"127.0.0.1\"," + std::to_string(s.port()); }
std::string endpoint_7s4(const TcpServer& s) { return "TCP,127.0.0.1," + std::to_string(s.port()); }

/// Sockets A (and B) at the servers, heartbeat off, plus extra commands, in the model's spelling.
std::vector<std::string> net_setup(const Model& m, const TcpServer& a, const TcpServer* b,
                                   std::vector<std::string> extra) {
    const bool q = m.profile == "gprs732";
    auto on = [&](const std::string& name) { return "AT+" + name + (q ? "=\"on\"" : "=ON"); };
    std::vector<std::string> c{"AT+SOCKA=" + (q ? endpoint_732(a) : endpoint_7s4(a)), on("SOCKAEN"),
                               std::string("AT+HEARTEN=") + (q ? "\"off\"" : "OFF")};
    if (b) {
        c.push_back("AT+SOCKB=" + (q ? endpoint_732(*b) : endpoint_7s4(*b)));
        c.push_back(on("SOCKBEN"));
    }
    c.insert(c.end(), extra.begin(), extra.end());
    return c;
}

QJsonObject rfc2217(Unit& u) { return u.status().value("rfc2217").toObject(); }

void rfc2217_frame_sets_the_running_line(const Model& m, const std::string& rfcen_on) {
    TcpServer server;
    Unit u(m);
    u.configure(net_setup(m, server, nullptr, {rfcen_on}));
    ASSERT_TRUE(server.accept(5s));
    // The frame split over two TCP writes: the second goes once the device has read the first.
    server.write(k9600.substr(0, 3));
    ASSERT_TRUE(wait_until(
        [&] { return u.status().value("sockets").toArray().at(0).toObject().value("rx_bytes").toInt() >= 3; },
        5s));
    server.write(k9600.substr(3));
    ASSERT_TRUE(wait_until([&] { return rfc2217(u).value("applied").toInt() == 1; }, 5s)) << u.sim().err();
    EXPECT_EQ(str(rfc2217(u)["last"]), "9600,8,1,NONE");
    EXPECT_EQ(u.status().value("serial").toObject().value("baud").toInt(), 9600);
    server.write("after the frame");
    EXPECT_EQ(u.port->read_until("frame", 5s), "after the frame")
        << "the frame itself never reaches the port";
    EXPECT_NE(u.sim().err().find("serial port set to 9600,8,1,NONE"), std::string::npos) << u.sim().err();
    // A look-alike with a wrong checksum is data.
    std::string fake = k9600;
    fake[7] = 0x00;
    server.write(fake);
    EXPECT_EQ(u.port->read_until(fake, 5s), fake);
    EXPECT_EQ(rfc2217(u).value("bad_checksums").toInt(), 1);
    // Lost on restart: the saved AT+UART is back (modes-and-timing §6.4).
    u.enter_command();
    u.restart();
    EXPECT_TRUE(wait_until(
        [&] { return u.status().value("serial").toObject().value("baud").toInt() == 115200; }, 5s));
    EXPECT_EQ(rfc2217(u).value("applied").toInt(), 0);
}

TEST(SharedRfc2217, Gprs732FrameFromTheServerSetsTheSerialPortAndIsConsumed) {
    rfc2217_frame_sets_the_running_line(k732, "AT+RFCEN=\"on\"");
}

TEST(SharedRfc2217, Gprs732WithRfcenOffTheFrameIsData) {
    TcpServer server;
    Unit u(k732);
    u.configure(net_setup(k732, server, nullptr, {}));
    ASSERT_TRUE(server.accept(5s));
    server.write(k9600);
    EXPECT_EQ(u.port->read_until(k9600, 5s), k9600);
    EXPECT_EQ(rfc2217(u).value("applied").toInt(), 0);
}

void socket_ids_mark_each_servers_data(const Model& m, const std::string& indication_on) {
    TcpServer a, b;
    Unit u(m);
    u.configure(net_setup(m, a, &b, {indication_on}));
    ASSERT_TRUE(a.accept(5s));
    ASSERT_TRUE(b.accept(5s));
    a.write("from server one");
    EXPECT_EQ(u.port->read_until("one", 5s), "A:from server one");
    b.write("from server two");
    EXPECT_EQ(u.port->read_until("two", 5s), "B:from server two");
}

TEST(SharedSocketId, Gprs732SockidenMarksDataWithItsSocket) {
    socket_ids_mark_each_servers_data(k732, "AT+SOCKIDEN=\"on\"");
}

TEST(SharedSocketId, Gprs732OffLeavesDataAlone) {
    TcpServer a;
    Unit u(k732);
    u.configure(net_setup(k732, a, nullptr, {}));
    ASSERT_TRUE(a.accept(5s));
    a.write("plain");
    EXPECT_EQ(u.port->read_until("plain", 5s), "plain");
}

QJsonObject last_sent(Unit& u, int n) {
    QJsonArray got;
    EXPECT_TRUE(wait_until([&] { return (got = u.outbox()).size() >= n; }, 5s));
    return got.size() >= n ? got.at(n - 1).toObject() : QJsonObject{};
}

TEST(SharedSmsend, Gprs732TheThreeTypesReachTheOutboxInTheirAlphabets) {
    Unit u(k732);
    u.enter_command();
    EXPECT_EQ(u.cmd(R"(AT+SMSEND="1008610010",1,"ww.usr.cn")", "OK\r\n"),
              "\r\nOK\r\n"); // 732 §3.1.7.63 example
    QJsonObject m = last_sent(u, 1);
    EXPECT_EQ(str(m["to"]), "1008610010");
    EXPECT_EQ(str(m["text"]), "ww.usr.cn");
    EXPECT_EQ(str(m["encoding"]), "gsm7");
    EXPECT_EQ(u.cmd("AT+SMSEND=\"1008610010\",3,\"\xE4\xBD\xA0\xE5\xA5\xBD\"", "OK\r\n"), "\r\nOK\r\n");
    m = last_sent(u, 2);
    EXPECT_EQ(str(m["encoding"]), "ucs2");
    EXPECT_EQ(str(m["text"]), "\xE4\xBD\xA0\xE5\xA5\xBD");
    EXPECT_EQ(u.cmd(R"(AT+SMSEND="1008610010",2,"octets")", "OK\r\n"), "\r\nOK\r\n");
    EXPECT_EQ(str(last_sent(u, 3)["encoding"]), "8bit");
    // Over the type's limit: the 732's parameter error, nothing sent.
    EXPECT_EQ(u.cmd("AT+SMSEND=\"1008610010\",1,\"" + std::string(161, 'x') + "\""), k732.parameter_error);
    EXPECT_EQ(u.cmd("AT+SMSEND=\"1008610010\",3,\"" + std::string(71, 'x') + "\""), k732.parameter_error);
    EXPECT_EQ(u.outbox().size(), 3);
}

TEST(SharedSmsend, Gprs732WithoutRegistrationIsTheParameterError) {
    Unit u(k732);
    ASSERT_EQ(u.api->put("/api/v1/radio", R"({"registered": false})").status, 200);
    u.enter_command();
    EXPECT_EQ(u.cmd(R"(AT+SMSEND="10086",1,"hi")"), k732.parameter_error);
    EXPECT_EQ(u.outbox().size(), 0);
}

TEST(SharedUcpin, Gprs732WrongPinMeansNoNetworkRightPinRegisters) {
    Unit u(k732);
    const Answer set = u.api->put("/api/v1/sim/pin", R"({"pin": "1234"})");
    ASSERT_EQ(set.status, 200) << set.raw;
    u.configure({"AT+UCPIN=\"1111\""});
    auto radio = [&] { return u.status().value("radio").toObject(); };
    EXPECT_FALSE(radio()["registered"].toBool());
    EXPECT_EQ(str(radio()["sim_lock"]), "pin_required");
    EXPECT_FALSE(u.status()["attached"].toBool());
    EXPECT_EQ(u.api->get("/api/v1/sim/pin").json["external"].toObject()["attempts_left"].toInt(), 2);
    EXPECT_TRUE(wait_until(
        [&] { return u.sim().err().find("refused the PIN of AT+UCPIN") != std::string::npos; }, 5s))
        << u.sim().err();
    // The right PIN: registered after the restart, the card's counter back to 3.
    u.configure({"AT+UCPIN=\"1234\""});
    EXPECT_TRUE(wait_until([&] { return radio()["registered"].toBool(); }, 5s));
    EXPECT_EQ(str(radio()["sim_lock"]), "ready");
    EXPECT_TRUE(wait_until([&] { return u.status()["attached"].toBool(); }, 5s));
    EXPECT_EQ(u.api->get("/api/v1/sim/pin").json["external"].toObject()["attempts_left"].toInt(), 3);
}

TEST(SharedUcpin, Gprs732ThreeWrongStartsBlockTheCard) {
    Unit u(k732);
    ASSERT_EQ(u.api->put("/api/v1/sim/pin", R"({"pin": "1234"})").status, 200);
    u.configure({"AT+UCPIN=\"9999\""}); // attempt 1
    for (int i = 0; i < 2; ++i) {       // attempts 2 and 3: AT+Z restarts
        u.enter_command();
        EXPECT_EQ(at_command(*u.port, "AT+Z"), "\r\nOK\r\n");
        EXPECT_EQ(u.port->read_until(k732.start_message, 5s), k732.start_message);
    }
    const QJsonObject pin = u.api->get("/api/v1/sim/pin").json["external"].toObject();
    EXPECT_EQ(str(pin["state"]), "puk_required");
    EXPECT_EQ(pin["attempts_left"].toInt(), 0);
    EXPECT_NE(u.sim().err().find("now blocked (PUK required)"), std::string::npos) << u.sim().err();
}

} // namespace
} // namespace dtu::itest
