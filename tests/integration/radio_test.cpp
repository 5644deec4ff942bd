// The radio and SIM model of a real dtu-sim process: GET/PUT /api/v1/radio, what AT+CSQ, AT+SYSINFO,
// AT+LBS, AT+ICCID ... answer, registration loss with an open TCP connection, the CLI defaults, and
// the SIM switches that happen at once (the 30 s / 5 min rules are unit tests: sim_switch_test.cpp).
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
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

const std::string kOk = "\r\nOK\r\n";
const std::string kExternalIccid = "89860000000000000001";
const std::string kInternalIccid = "89860320000000000002";

std::string answer(const std::string& name, const std::string& value) {
    return "\r\n+" + name + ":" + value + "\r\n\r\nOK\r\n";
}

/// The control API, with shorthands for the radio.
class Api : public Control {
public:
    using Control::Control;
    QJsonObject radio() { return get("/api/v1/radio").json; }
    QJsonObject status() { return get("/api/v1/status").json; }
    /// PUT /api/v1/radio; true on 200.
    bool set_radio(const std::string& json) { return put("/api/v1/radio", json).status == 200; }
};

std::string text(const QJsonValue& v) {
    if (v.isObject()) return QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact).toStdString();
    return v.toVariant().toString().toStdString();
}

/// A booted device with the control API, the serial port open past the start message; commands
/// given are applied and saved (the device restarts once more).
struct Device {
    explicit Device(std::vector<std::string> commands = {}, std::vector<std::string> args = {})
        : sim([&] {
              args.insert(args.begin(), {"--control", "127.0.0.1:0"});
              return args;
          }()) {
        EXPECT_TRUE(sim.start());
        api = std::make_unique<Api>(sim.control());
        port = std::make_unique<SerialClient>(sim.serial());
        EXPECT_EQ(port->read_until(kStartMessage, 3s), kStartMessage);
        if (commands.empty()) return;
        configure_and_restart(*port, commands);
    }
    /// AT+S in command mode; waits for the start message of the restart.
    void save() {
        EXPECT_EQ(at_command(*port, "AT+S"), kOk);
        EXPECT_EQ(port->read_until(kStartMessage, 3s), kStartMessage);
    }
    std::string at(const std::string& line) { return at_command(*port, line); }
    void frame(std::string_view bytes) {
        EXPECT_TRUE(port->expect_silence(60ms)) << port->buffered();
        port->write(bytes);
    }

    SimProcess sim;
    std::unique_ptr<Api> api;
    std::unique_ptr<SerialClient> port;
};

std::string tcp_to(const TcpServer& s) { return "AT+SOCKA=TCP,127.0.0.1," + std::to_string(s.port()); }

/// Wait (up to 5 s) until the server's connection has closed.
bool wait_closed(TcpServer& server) {
    server.read_until("\x01no such data\x01", 5s);
    return server.peer_closed();
}

// ---- the API and the AT answers --------------------------------------------------------------

TEST(RadioApi, GetShowsTheModelTheActiveCardAndWhatTheModuleMakesOfIt) {
    Device dut;
    const QJsonObject r = dut.api->radio();
    EXPECT_EQ(r.value("rssi").toInt(), 27);
    EXPECT_EQ(r.value("ber").toInt(), 99);
    EXPECT_EQ(text(r.value("network")), "LTE");
    EXPECT_TRUE(r.value("registered").toBool());
    EXPECT_EQ(text(r.value("serving_cell")), R"({"cid":30321,"lac":21269})");
    EXPECT_EQ(r.value("neighbours").toArray().size(), 2);
    EXPECT_TRUE(r.value("network_time").toBool());
    EXPECT_EQ(r.value("tz_quarter_hours").toInt(), 32);
    EXPECT_EQ(r.value("time_offset_s").toInt(-1), 0);
    const QJsonObject sims = r.value("sims").toObject();
    EXPECT_EQ(text(sims.value("external").toObject().value("iccid")), kExternalIccid);
    EXPECT_EQ(text(sims.value("internal").toObject().value("iccid")), kInternalIccid);
    EXPECT_TRUE(sims.value("external").toObject().value("present").toBool());
    EXPECT_EQ(text(r.value("active_sim")), "external");
    EXPECT_EQ(text(r.value("module")), R"({"local_ip":"10.0.0.2","online":true,"registered":true})");
    const QJsonObject status = dut.api->status();
    EXPECT_EQ(text(status.value("radio")), R"({"active_sim":"external","online":true,"registered":true,"sim_lock":"ready"})");
    // A GET body PUT back unchanged is accepted (read-only fields included).
    const Answer back = dut.api->put("/api/v1/radio", QJsonDocument(r).toJson().toStdString());
    EXPECT_EQ(back.status, 200) << back.raw;
    EXPECT_EQ(back.json, r);
}

TEST(RadioApi, CsqSysinfoLbsCnumCipFollowThePut) {
    Device dut;
    enter_command_mode(*dut.port);
    EXPECT_EQ(dut.at("AT+CSQ"), answer("CSQ", " 27,99"));
    EXPECT_EQ(dut.at("AT+SYSINFO"), answer("SYSINFO", "4,LTE"));
    EXPECT_EQ(dut.at("AT+CIP"), answer("CIP", "10.0.0.2"));
    EXPECT_EQ(dut.at("AT+LBS"), answer("LBS", "21269,30321"));

    ASSERT_TRUE(dut.api->set_radio(R"({"rssi": 12, "ber": 3, "network": "GSM/GPRS",
        "serving_cell": {"lac": 4660, "cid": 22136}, "neighbours": [{"lac": 1, "cid": 2}],
        "sims": {"external": {"phone_number": "+8613800000000"}}})"));
    EXPECT_EQ(dut.at("AT+CSQ"), answer("CSQ", " 12,3"));
    EXPECT_EQ(dut.at("AT+SYSINFO"), answer("SYSINFO", "4,GSM/GPRS"));
    EXPECT_EQ(dut.at("AT+LBS"), answer("LBS", "4660,22136"));
    EXPECT_EQ(dut.at("AT+LBSN"), "\r\n+LBSN:1,2\r\n\r\nOK\r\n");
    EXPECT_EQ(dut.at("AT+CNUM"), answer("CNUM", "+8613800000000"));

    ASSERT_TRUE(dut.api->set_radio(R"({"serving_cell": {"cid": 7}, "neighbours": []})"));
    EXPECT_EQ(dut.at("AT+LBS"), answer("LBS", "4660,7")) << "a merge patch: lac kept";
    EXPECT_EQ(dut.at("AT+LBSN"), kOk);

    ASSERT_TRUE(dut.api->set_radio(R"({"registered": false})"));
    EXPECT_EQ(dut.at("AT+CSQ"), answer("CSQ", " 99,99"));
    EXPECT_EQ(dut.at("AT+SYSINFO"), answer("SYSINFO", "0,No Network"));
    EXPECT_EQ(dut.at("AT+CIP"), answer("CIP", ""));
    EXPECT_EQ(text(dut.api->radio().value("module")), R"({"local_ip":"","online":false,"registered":false})");

    ASSERT_TRUE(dut.api->set_radio(R"({"registered": true, "network": "LTE"})"));
    EXPECT_EQ(dut.at("AT+CSQ"), answer("CSQ", " 12,3"));
    EXPECT_EQ(dut.at("AT+SYSINFO"), answer("SYSINFO", "4,LTE"));
}

TEST(RadioApi, BadValuesAreRefusedWith400AndChangeNothing) {
    Device dut;
    const QJsonObject before = dut.api->radio();
    struct Case {
        const char* what;
        const char* body;
        const char* field; ///< the message must name it
    };
    const Case cases[] = {
        {"rssi above 31", R"({"rssi": 32})", "rssi"},
        {"negative rssi", R"({"rssi": -1})", "rssi"},
        {"fractional rssi", R"({"rssi": 20.5})", "rssi"},
        {"rssi as a string", R"({"rssi": "27"})", "rssi"},
        {"ber 8", R"({"ber": 8})", "ber"},
        {"unknown network", R"({"network": "5G"})", "network"},
        {"registered not a bool", R"({"registered": 1})", "registered"},
        {"lac too large", R"({"serving_cell": {"lac": 65536}})", "serving_cell.lac"},
        {"seven neighbours", R"({"neighbours": [{"lac":1,"cid":1},{"lac":1,"cid":2},{"lac":1,"cid":3},
            {"lac":1,"cid":4},{"lac":1,"cid":5},{"lac":1,"cid":6},{"lac":1,"cid":7}]})",
         "neighbours"},
        {"neighbour without cid", R"({"neighbours": [{"lac": 1}]})", "neighbours[0].cid"},
        {"tz out of range", R"({"tz_quarter_hours": 57})", "tz_quarter_hours"},
        {"short ICCID", R"({"sims": {"internal": {"iccid": "1234"}}})", "sims.internal.iccid"},
        {"letters in the number", R"({"sims": {"external": {"phone_number": "call me"}}})",
         "sims.external.phone_number"},
        {"unknown SIM slot", R"({"sims": {"third": {}}})", "sims.third"},
        {"unknown field", R"({"rssi": 20, "snr": 3})", "snr"},
        {"active SIM is the firmware's", R"({"active_sim": "internal"})", "active_sim"},
        {"good field then a bad one", R"({"rssi": 5, "ber": 100})", "ber"},
    };
    for (const Case& c : cases) {
        const Answer a = dut.api->put("/api/v1/radio", c.body);
        EXPECT_EQ(a.status, 400) << c.what << ": " << a.raw;
        EXPECT_NE(a.json.value("error").toString().toStdString().find(c.field), std::string::npos)
            << c.what << ": " << a.raw;
    }
    for (const char* body : {"{\"rssi\": ", "[1]", ""}) {
        const Answer a = dut.api->put("/api/v1/radio", body);
        EXPECT_EQ(a.status, 400) << body << ": " << a.raw;
        EXPECT_TRUE(a.json.contains("error")) << a.raw;
    }
    EXPECT_EQ(dut.api->radio(), before) << "nothing changed";
    EXPECT_EQ(dut.api->post("/api/v1/radio", "{}").status, 405);
    enter_command_mode(*dut.port);
    EXPECT_EQ(dut.at("AT+CSQ"), answer("CSQ", " 27,99")) << "the device keeps running";
}

TEST(RadioCli, OptionsSetTheRadioAtStart) {
    Device dut({}, {"--rssi", "5", "--network", "gsm", "--no-external-sim", "--internal-iccid",
                    "89860399999999999999", "--iccid", "89860011111111111111"});
    const QJsonObject r = dut.api->radio();
    EXPECT_EQ(r.value("rssi").toInt(), 5);
    EXPECT_EQ(text(r.value("network")), "GSM/GPRS");
    const QJsonObject sims = r.value("sims").toObject();
    EXPECT_FALSE(sims.value("external").toObject().value("present").toBool());
    EXPECT_EQ(text(sims.value("external").toObject().value("iccid")), "89860011111111111111");
    EXPECT_EQ(text(sims.value("internal").toObject().value("iccid")), "89860399999999999999");
    // Mode 1 (factory): the empty external slot is still in use until the ~30 s switch.
    enter_command_mode(*dut.port);
    EXPECT_EQ(dut.at("AT+ICCID"), answer("ICCID", ""));
    EXPECT_EQ(dut.at("AT+CSQ"), answer("CSQ", " 99,99"));
}

TEST(RadioCli, BadRadioOptionsExit2WithAMessage) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--rssi", "32"}, {"--rssi", "x"}, {"--network", "5G"}, {"--internal-iccid", "12"}}) {
        const RunResult r = run_sim(args);
        EXPECT_TRUE(r.status.exited() && r.status.code == 2)
            << args[0] << " " << args[1] << ": " << r.status.describe();
        EXPECT_NE(r.err.find(args[0]), std::string::npos) << r.err;
    }
}

// ---- registration and the data link ----------------------------------------------------------

TEST(RadioNet, RegistrationLossDropsTheSocketAndItReconnectsWhenRegisteredAgain) {
    TcpServer server;
    Device dut({tcp_to(server), "AT+HEARTEN=OFF", "AT+SOCKRSTIM=1"});
    ASSERT_TRUE(server.accept(5s));
    enter_command_mode(*dut.port);
    EXPECT_EQ(dut.at("AT+SOCKALK"), answer("SOCKALK", "Connected"));

    ASSERT_TRUE(dut.api->set_radio(R"({"registered": false})"));
    EXPECT_TRUE(wait_closed(server)) << "registration lost: the server sees the connection close";
    EXPECT_TRUE(
        wait_until([&] { return dut.at("AT+SOCKALK") == answer("SOCKALK", "Disconnected"); }, 3s, 20ms));
    EXPECT_FALSE(dut.api->status().value("attached").toBool(true));
    EXPECT_FALSE(server.accept(1500ms)) << "no connection while not registered (SOCKRSTIM is 1 s)";

    ASSERT_TRUE(dut.api->set_radio(R"({"registered": true})"));
    ASSERT_TRUE(server.accept(5s)) << "reconnects once registered";
    EXPECT_TRUE(wait_until([&] { return dut.at("AT+SOCKALK") == answer("SOCKALK", "Connected"); }, 3s, 20ms));
    EXPECT_TRUE(dut.api->status().value("attached").toBool());
    EXPECT_EQ(dut.at("AT+ENTM"), "\r\n+OK\r\n");
    dut.frame("after the outage");
    EXPECT_EQ(server.read_until("outage", 3s), "after the outage");
    server.write("hello again");
    EXPECT_EQ(dut.port->read_until("again", 3s), "hello again");
}

TEST(RadioNet, OutOfCreditStaysRegisteredButHasNoDataLink) {
    TcpServer server;
    Device dut({tcp_to(server), "AT+HEARTEN=OFF", "AT+SOCKRSTIM=1"});
    ASSERT_TRUE(server.accept(5s));
    ASSERT_TRUE(dut.api->set_radio(R"({"sims": {"external": {"has_credit": false}}})"));
    EXPECT_TRUE(wait_closed(server));
    enter_command_mode(*dut.port);
    EXPECT_EQ(dut.at("AT+SYSINFO"), answer("SYSINFO", "4,LTE")) << "still registered";
    EXPECT_EQ(dut.at("AT+CSQ"), answer("CSQ", " 27,99"));
    EXPECT_EQ(dut.at("AT+CIP"), answer("CIP", "")) << "no data bearer";
    EXPECT_EQ(text(dut.api->status().value("radio")),
              R"({"active_sim":"external","online":false,"registered":true,"sim_lock":"ready"})");
    ASSERT_TRUE(dut.api->set_radio(R"({"sims": {"external": {"has_credit": true}}})"));
    EXPECT_TRUE(server.accept(5s)) << "topped up: connects again";
}

// ---- SIM cards -------------------------------------------------------------------------------

TEST(RadioSim, LockedCardAnswersIccidAndCnumAndBackToExternalFirst) {
    Device dut;
    ASSERT_TRUE(dut.api->set_radio(R"({"sims": {"internal": {"phone_number": "1064800000001"}}})"));
    enter_command_mode(*dut.port);
    EXPECT_EQ(dut.at("AT+ICCID"), answer("ICCID", kExternalIccid));
    EXPECT_EQ(dut.at("AT+SIMSWITCH=0,1"), kOk);
    dut.save();
    EXPECT_EQ(text(dut.api->radio().value("active_sim")), "internal");
    enter_command_mode(*dut.port);
    EXPECT_EQ(dut.at("AT+ICCID"), answer("ICCID", kInternalIccid));
    EXPECT_EQ(dut.at("AT+CNUM"), answer("CNUM", "1064800000001"));
    EXPECT_EQ(dut.at("AT+SIMSWITCH?"), answer("SIMSWITCH", "0,1"));
    // The internal card has no service: locked means it stays anyway.
    ASSERT_TRUE(dut.api->set_radio(R"({"sims": {"internal": {"can_register": false}}})"));
    EXPECT_EQ(dut.at("AT+SYSINFO"), answer("SYSINFO", "0,No Network"));
    EXPECT_EQ(dut.at("AT+SIMSWITCH=1"), kOk);
    dut.save();
    EXPECT_EQ(text(dut.api->radio().value("active_sim")), "external") << "external first, card present";
    enter_command_mode(*dut.port);
    EXPECT_EQ(dut.at("AT+ICCID"), answer("ICCID", kExternalIccid));
    EXPECT_EQ(dut.at("AT+SYSINFO"), answer("SYSINFO", "4,LTE"));
}

TEST(RadioSim, DualBackupWithoutExternalCardSwitchesToInternalRestartsAndGetsOnline) {
    TcpServer server;
    Device dut({tcp_to(server), "AT+HEARTEN=OFF", "AT+SOCKRSTIM=1", "AT+REGEN=ON", "AT+REGTP=ICCID"});
    ASSERT_TRUE(server.accept(5s));
    EXPECT_EQ(server.read_n(20, 3s), kExternalIccid) << "registration packet: the external card";
    ASSERT_TRUE(dut.api->set_radio(R"({"sims": {"external": {"present": false}}})"));
    enter_command_mode(*dut.port);
    EXPECT_EQ(dut.at("AT+SIMSWITCH=2"), kOk);
    EXPECT_EQ(dut.at("AT+S"), kOk);
    const std::string expected =
        std::string(kStartMessage) + "\r\nSIM switch to INT\r\n" + std::string(kStartMessage);
    EXPECT_EQ(dut.port->read_until(expected, 5s), expected);
    EXPECT_TRUE(wait_until([&] { return text(dut.api->radio().value("active_sim")) == "internal"; }, 3s));
    EXPECT_EQ(dut.api->status().value("resets").toObject().value("SIMSWITCH").toInt(), 1);
    ASSERT_TRUE(server.accept(5s));
    EXPECT_EQ(server.read_n(20, 3s), kInternalIccid) << "online with the internal card";

    // Power-on starts on the external card again (the module forgets its selection); a card is
    // back in the slot and gets online, so dual backup stays there.
    ASSERT_TRUE(dut.api->set_radio(R"({"sims": {"external": {"present": true}}})"));
    ASSERT_EQ(dut.api->post("/api/v1/power", R"({"action": "cycle"})").status, 200);
    ASSERT_TRUE(server.accept(5s));
    EXPECT_EQ(server.read_n(20, 3s), kExternalIccid);
    EXPECT_EQ(text(dut.api->radio().value("active_sim")), "external");
}

} // namespace
} // namespace dtu::itest
