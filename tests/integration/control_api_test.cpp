// The control API of a real dtu-sim process (--control 127.0.0.1:0), over HTTP with httplib::Client,
// and its command line options (--control, --link, --seed).
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "at_session.hpp"
#include "control_client.hpp"
#include "loopback.hpp"
#include "serial_client.hpp"
#include "sim_process.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;

/// json[outer][inner].
QJsonValue at(const QJsonObject& json, const char* outer, const char* inner) {
    return json.value(outer).toObject().value(inner);
}

/// A plain TCP connection to the control API, for what httplib::Client never sends: a POST
/// without Content-Length, a request that trickles in byte by byte.
class RawConnection {
public:
    /// url: "http://127.0.0.1:PORT".
    explicit RawConnection(const std::string& url) {
        const auto port = static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
        const sockaddr_in to = loopback(port);
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        connected_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0;
    }
    ~RawConnection() {
        if (fd_ >= 0) ::close(fd_);
    }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    bool connected() const { return connected_; }
    /// False once the server has closed the connection.
    bool write(std::string_view bytes) {
        return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
    }
    /// What the server sends until it closes the connection; closed() tells whether it did.
    std::string read_to_end(std::chrono::milliseconds timeout) {
        std::string got;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!closed_) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            pollfd p{fd_, POLLIN, 0};
            if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
            char buf[4096];
            const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) closed_ = true;
            if (n > 0) got.append(buf, static_cast<std::size_t>(n));
        }
        return got;
    }
    bool closed() const { return closed_; }

private:
    int fd_ = -1;
    bool connected_ = false;
    bool closed_ = false;
};

/// One request on a fresh connection (closed after the answer): the whole answer, head and body.
std::string raw_exchange(const std::string& url, const std::string& request) {
    RawConnection c(url);
    if (!c.connected() || !c.write(request)) return {};
    return c.read_to_end(3s);
}

/// A simulator with the control API on a free loopback port.
class ControlApiTest : public ::testing::Test {
protected:
    void start(std::vector<std::string> extra = {}) {
        extra.insert(extra.begin(), {"--control", "127.0.0.1:0"});
        sim_ = std::make_unique<SimProcess>(extra);
        ASSERT_TRUE(sim_->start());
        ASSERT_FALSE(sim_->control().empty()) << "no \"control\" in the ready file";
        api_ = std::make_unique<Control>(sim_->control());
    }
    /// Open the serial port and read past the start message.
    void open_serial() {
        port_ = std::make_unique<SerialClient>(sim_->serial());
        ASSERT_EQ(port_->read_until(kStartMessage, 3s), kStartMessage);
    }

    std::unique_ptr<SimProcess> sim_;
    std::unique_ptr<Control> api_;
    std::unique_ptr<SerialClient> port_;
};

TEST_F(ControlApiTest, ReadyFileAndStartLineNameTheControlUrl) {
    start();
    EXPECT_EQ(sim_->control().rfind("http://127.0.0.1:", 0), 0u) << sim_->control();
    EXPECT_NE(sim_->control(), "http://127.0.0.1:0") << "the real port, not 0";
    EXPECT_NE(sim_->out().find("control " + sim_->control()), std::string::npos) << sim_->out();
    const QJsonObject ready = parse(read_text(sim_->ready_file()));
    EXPECT_EQ(ready.value("control").toString().toStdString(), sim_->control());
}

TEST(ControlApiOff, WithoutControlOptionTheReadyFileHasNoControl) {
    SimProcess sim;
    ASSERT_TRUE(sim.start());
    EXPECT_FALSE(parse(read_text(sim.ready_file())).contains("control"));
}

TEST_F(ControlApiTest, StatusShowsProfileSocketsCountersAndSerial) {
    start();
    const Answer a = api_->get("/api/v1/status");
    ASSERT_EQ(a.status, 200) << a.raw;
    EXPECT_EQ(a.content_type.rfind("application/json", 0), 0u) << a.content_type;
    const QJsonObject& s = a.json;
    EXPECT_EQ(s.value("profile").toString(), "g771");
    EXPECT_EQ(s.value("power").toString(), "on");
    EXPECT_EQ(s.value("serial_mode").toString(), "transparent");
    EXPECT_FALSE(s.value("work_mode").toString().isEmpty()) << a.raw;
    EXPECT_EQ(s.value("boot_count").toInteger(), 1);
    EXPECT_TRUE(s.value("logged_in").isBool());
    EXPECT_TRUE(s.value("attached").isBool());
    EXPECT_GE(s.value("uptime_ms").toInteger(-1), 0);
    EXPECT_EQ(s.value("resets").toObject().value("AT+Z").toInteger(-1), 0) << a.raw;

    const QJsonArray sockets = s.value("sockets").toArray();
    ASSERT_EQ(sockets.size(), 4) << a.raw;
    const char* names[] = {"A", "B", "C", "D"};
    for (int i = 0; i < 4; ++i) {
        const QJsonObject sock = sockets.at(i).toObject();
        EXPECT_EQ(sock.value("name").toString(), names[i]);
        for (const char* key :
             {"enabled", "protocol", "host", "port", "on_backup", "state", "tx_bytes", "rx_bytes",
              "tx_packets", "rx_packets", "connects", "reconnects", "cached_bytes", "cache_dropped_bytes"})
            EXPECT_TRUE(sock.contains(key)) << key << " missing from socket " << names[i];
        const QString state = sock.value("state").toString();
        EXPECT_TRUE(state == "disabled" || state == "connecting" || state == "connected" ||
                    state == "waiting" || state == "idle")
            << state.toStdString();
    }
    const QJsonObject counters = s.value("counters").toObject();
    for (const char* key : {"uart_rx_bytes", "uart_tx_bytes", "at_commands", "at_errors", "line_overflows",
                            "data_frames", "data_bytes", "data_bytes_dropped"})
        EXPECT_TRUE(counters.contains(key)) << key << " missing from counters: " << a.raw;
    const QJsonObject serial = s.value("serial").toObject();
    for (const char* key : {"client_connected", "tx_bytes", "rx_bytes", "overflow_bytes"})
        EXPECT_TRUE(serial.contains(key)) << key << " missing from serial: " << a.raw;
    EXPECT_GE(serial.value("tx_bytes").toInteger(), static_cast<qint64>(kStartMessage.size()))
        << "the start message went out";
    const QJsonObject net = s.value("net").toObject();
    for (const char* key : {"opens", "connects", "connect_failures", "tls_failures", "tls_errors"})
        EXPECT_TRUE(net.value("counters").toObject().contains(key)) << key << " missing from net: " << a.raw;
    EXPECT_TRUE(net.contains("last_tls_error") && net.value("last_tls_error").isNull()) << a.raw;
    const QJsonObject mqtt = s.value("mqtt_service").toObject();
    EXPECT_EQ(mqtt.value("state").toString(), "idle") << "NET mode does not use MQTT: " << a.raw;
    for (const char* key : {"broker", "client_id", "sessions", "messages_out", "bytes_in", "incoming_dropped",
                            "queue_full", "pending_messages", "last_error"})
        EXPECT_TRUE(mqtt.contains(key)) << key << " missing from mqtt_service: " << a.raw;
}

TEST_F(ControlApiTest, StatusFollowsTheSerialPort) {
    start();
    open_serial();
    ASSERT_TRUE(wait_until(
        [&] { return at(api_->get("/api/v1/status").json, "serial", "client_connected").toBool(); }, 3s));
    enter_command_mode(*port_);
    EXPECT_EQ(api_->get("/api/v1/status").json.value("serial_mode").toString(), "command");
    EXPECT_EQ(at_command(*port_, "AT+VER"), "\r\n+VER:V1.3.25.000000.0000\r\n\r\nOK\r\n");
    const QJsonObject counters = api_->get("/api/v1/status").json.value("counters").toObject();
    EXPECT_GE(counters.value("at_commands").toInteger(), 1);
}

TEST_F(ControlApiTest, PutLinkRoundTripsEveryField) {
    start();
    const std::string full = R"({"attached":false,"dns_failure":true,"refuse_connections":true,
        "connect_delay_ms":250,"tcp_retransmit_ms":400,
        "upstream":{"latency_ms":120,"jitter_ms":15,"jitter":"normal","loss":0.05,
                    "loss_model":"gilbert_elliott","gilbert":{"p":0.01,"r":0.3,"loss_good":0.001,"loss_bad":0.5},
                    "bandwidth_kbps":85.6,"stall":true},
        "downstream":{"latency_ms":80,"jitter_ms":5,"jitter":"uniform","loss":0.5,"loss_model":"independent",
                      "gilbert":{"p":0.2,"r":0.4,"loss_good":0.1,"loss_bad":0.9},"bandwidth_kbps":0,"stall":false}})";
    const Answer put = api_->put("/api/v1/link", full);
    ASSERT_EQ(put.status, 200) << put.raw;
    EXPECT_EQ(put.json, parse(full)) << put.raw;
    const Answer got = api_->get("/api/v1/link");
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.json, parse(full)) << got.raw;
}

TEST_F(ControlApiTest, PutLinkMergesAPartialObject) {
    start();
    const QJsonObject before = api_->get("/api/v1/link").json;
    ASSERT_TRUE(before.contains("upstream")) << text(before);
    const Answer put = api_->put("/api/v1/link", R"({"upstream":{"latency_ms":300,"gilbert":{"p":0.5}}})");
    ASSERT_EQ(put.status, 200) << put.raw;
    QJsonObject want = before;
    QJsonObject up = want["upstream"].toObject();
    up["latency_ms"] = 300;
    QJsonObject gilbert = up["gilbert"].toObject();
    gilbert["p"] = 0.5;
    up["gilbert"] = gilbert;
    want["upstream"] = up;
    EXPECT_EQ(put.json, want) << put.raw;
    EXPECT_EQ(api_->get("/api/v1/link").json, want);
}

struct BadPut {
    std::string name;
    std::string body;
    std::string mentions; ///< the error must name the problem
};

TEST_F(ControlApiTest, BadPutsAreRefusedAndChangeNothing) {
    start();
    ASSERT_EQ(api_->put("/api/v1/link", R"({"upstream":{"latency_ms":42}})").status, 200);
    const QJsonObject before = api_->get("/api/v1/link").json;
    const std::vector<BadPut> bad = {
        {"negative latency", R"({"upstream":{"latency_ms":-1}})", "upstream.latency_ms"},
        {"loss above 1", R"({"downstream":{"loss":1.5}})", "downstream.loss"},
        {"p above 1", R"({"upstream":{"gilbert":{"p":2}}})", "upstream.gilbert.p"},
        {"negative r", R"({"upstream":{"gilbert":{"r":-0.1}}})", "upstream.gilbert.r"},
        {"negative bandwidth", R"({"downstream":{"bandwidth_kbps":-5}})", "downstream.bandwidth_kbps"},
        {"string for bool", R"({"attached":"yes"})", "attached"},
        {"string for number", R"({"upstream":{"latency_ms":"100"}})", "upstream.latency_ms"},
        {"null for number", R"({"connect_delay_ms":null})", "connect_delay_ms"},
        {"unknown jitter", R"({"upstream":{"jitter":"pareto"}})", "upstream.jitter"},
        {"unknown loss model", R"({"upstream":{"loss_model":"bursty"}})", "upstream.loss_model"},
        {"unknown field", R"({"bogus":1})", "bogus"},
        {"unknown nested field after a good one", R"({"upstream":{"latency_ms":100,"wobble":3}})",
         "upstream.wobble"},
        {"good field then a bad one", R"({"attached":false,"upstream":{"loss":7}})", "upstream.loss"},
        {"number for object", R"({"upstream":5})", "upstream"},
        {"unknown profile", R"({"profile":"nope"})", "nope"},
        {"profile not a string", R"({"profile":3})", "profile"},
        {"malformed JSON", R"({"upstream":{"latency_ms":)", "malformed JSON"},
        {"array", "[1,2]", "JSON object"},
        {"empty body", "", "malformed JSON"},
    };
    for (const BadPut& b : bad) {
        SCOPED_TRACE(b.name);
        const Answer a = api_->put("/api/v1/link", b.body);
        EXPECT_EQ(a.status, 400) << a.raw;
        EXPECT_EQ(a.content_type.rfind("application/json", 0), 0u) << a.content_type;
        EXPECT_NE(error_of(a).find(b.mentions), std::string::npos) << a.raw;
    }
    EXPECT_EQ(api_->get("/api/v1/link").json, before) << "no bad request changed anything";
}

TEST_F(ControlApiTest, PutProfileLoadsItThenAppliesTheRest) {
    start();
    const Answer gprs = api_->put("/api/v1/link", R"({"profile":"gprs"})");
    ASSERT_EQ(gprs.status, 200) << gprs.raw;
    EXPECT_GT(at(gprs.json, "upstream", "latency_ms").toDouble(), 0.0) << "GPRS is slow: " << gprs.raw;
    EXPECT_EQ(api_->get("/api/v1/link").json, gprs.json);

    const Answer tuned = api_->put("/api/v1/link", R"({"profile":"gprs","downstream":{"loss":0.25}})");
    ASSERT_EQ(tuned.status, 200) << tuned.raw;
    QJsonObject want = gprs.json;
    QJsonObject down = want["downstream"].toObject();
    down["loss"] = 0.25;
    want["downstream"] = down;
    EXPECT_EQ(tuned.json, want);

    // The same profile from the command line gives the same configuration.
    SimProcess other({"--control", "127.0.0.1:0", "--link", "gprs", "--seed", "7"});
    ASSERT_TRUE(other.start());
    EXPECT_EQ(Control(other.control()).get("/api/v1/link").json, gprs.json);
    EXPECT_NE(other.err().find("link profile gprs, seed 7"), std::string::npos) << other.err();
}

TEST_F(ControlApiTest, PowerCycleBootsAgain) {
    start();
    open_serial();
    const Answer a = api_->post("/api/v1/power", R"({"action":"cycle"})");
    ASSERT_EQ(a.status, 200) << a.raw;
    EXPECT_EQ(a.json.value("power").toString(), "on");
    EXPECT_EQ(a.json.value("boot_count").toInteger(), 2) << a.raw;
    EXPECT_EQ(port_->read_until(kStartMessage, 3s), kStartMessage) << "the start message again";
    EXPECT_EQ(api_->get("/api/v1/status").json.value("boot_count").toInteger(), 2);
    enter_command_mode(*port_); // the new firmware works
    EXPECT_EQ(at_command(*port_, "AT+WKMOD?").find("+WKMOD:"), 2u);
}

TEST_F(ControlApiTest, PowerCycleLosesUnsavedParameters) {
    start();
    open_serial();
    enter_command_mode(*port_);
    EXPECT_EQ(at_command(*port_, "AT+UARTFT=200"), "\r\nOK\r\n");
    ASSERT_EQ(api_->post("/api/v1/power", R"({"action":"cycle"})").status, 200);
    ASSERT_EQ(port_->read_until(kStartMessage, 3s), kStartMessage);
    enter_command_mode(*port_);
    EXPECT_EQ(at_command(*port_, "AT+UARTFT"), "\r\n+UARTFT:50\r\n\r\nOK\r\n")
        << "pulling the power saves nothing";
}

TEST_F(ControlApiTest, PowerOffSilencesTheDeviceUntilOn) {
    start();
    open_serial();
    const Answer off = api_->post("/api/v1/power", R"({"action":"off"})");
    ASSERT_EQ(off.status, 200) << off.raw;
    EXPECT_EQ(off.json.value("power").toString(), "off");
    EXPECT_TRUE(off.json.value("sockets").isNull()) << off.raw;
    EXPECT_TRUE(off.json.value("work_mode").isNull()) << off.raw;

    const Answer again = api_->post("/api/v1/power", R"({"action":"off"})");
    EXPECT_EQ(again.status, 409) << again.raw;
    EXPECT_FALSE(error_of(again).empty()) << again.raw;

    // Nothing answers: not "+++", not a serial AT command.
    ASSERT_TRUE(port_->expect_silence(100ms));
    port_->write("+++");
    port_->write("usr.cn#AT+VER\r\n");
    ASSERT_TRUE(wait_until(
        [&] {
            return at(api_->get("/api/v1/status").json, "serial", "rx_bytes_without_firmware").toInteger() >=
                   18;
        },
        3s))
        << "the bytes reached the board";
    EXPECT_TRUE(port_->expect_silence(300ms)) << "powered off, yet: " << port_->buffered();
    EXPECT_EQ(api_->get("/api/v1/status").json.value("boot_count").toInteger(), 1);

    const Answer on = api_->post("/api/v1/power", R"({"action":"on"})");
    ASSERT_EQ(on.status, 200) << on.raw;
    EXPECT_EQ(on.json.value("power").toString(), "on");
    EXPECT_EQ(on.json.value("boot_count").toInteger(), 2);
    EXPECT_EQ(port_->read_until(kStartMessage, 3s), kStartMessage);
    EXPECT_EQ(api_->post("/api/v1/power", R"({"action":"on"})").status, 409);
}

// With --wait-serial the board is off until its first client; the API may power it first, and a
// board it switched off stays off when the client comes.
TEST_F(ControlApiTest, WaitSerialBoardObeysThePowerSwitch) {
    start({"--wait-serial"});
    EXPECT_EQ(api_->get("/api/v1/status").json.value("power").toString(), "off");
    const Answer on = api_->post("/api/v1/power", R"({"action":"on"})");
    ASSERT_EQ(on.status, 200) << on.raw;
    EXPECT_EQ(on.json.value("boot_count").toInteger(), 1);
    ASSERT_EQ(api_->post("/api/v1/power", R"({"action":"off"})").status, 200);

    SerialClient client(sim_->serial());
    EXPECT_EQ(client.read_until(kStartMessage, 3s), kStartMessage) << "kept from the boot before the client";
    ASSERT_TRUE(wait_until(
        [&] { return at(api_->get("/api/v1/status").json, "serial", "client_connected").toBool(); }, 3s));
    const Answer status = api_->get("/api/v1/status");
    EXPECT_EQ(status.json.value("power").toString(), "off") << "the client did not power it on";
    EXPECT_EQ(status.json.value("boot_count").toInteger(), 1);
    EXPECT_TRUE(client.expect_silence(200ms)) << client.buffered();
}

TEST_F(ControlApiTest, BadPowerRequestsAre400) {
    start();
    for (const char* body : {R"({"action":"reboot"})", R"({})", R"({"action":"off","when":"now"})",
                             R"({"action":1})", "off", ""}) {
        SCOPED_TRACE(body);
        const Answer a = api_->post("/api/v1/power", body);
        EXPECT_EQ(a.status, 400) << a.raw;
        EXPECT_FALSE(error_of(a).empty()) << a.raw;
    }
    EXPECT_EQ(api_->get("/api/v1/status").json.value("power").toString(), "on");
}

TEST_F(ControlApiTest, UnknownPathIs404AndWrongMethodIs405) {
    start();
    for (const char* path : {"/", "/api/v1/nope", "/api/v2/status", "/api/v1/status/"}) {
        SCOPED_TRACE(path);
        const Answer a = api_->get(path);
        EXPECT_EQ(a.status, 404) << a.raw;
        EXPECT_FALSE(error_of(a).empty()) << a.raw;
        EXPECT_EQ(a.content_type.rfind("application/json", 0), 0u) << a.content_type;
    }
    const Answer del = api_->del("/api/v1/status");
    EXPECT_EQ(del.status, 405) << del.raw;
    EXPECT_EQ(del.allow, "GET");
    EXPECT_FALSE(error_of(del).empty()) << del.raw;
    const Answer post_link = api_->post("/api/v1/link", "{}");
    EXPECT_EQ(post_link.status, 405) << post_link.raw;
    EXPECT_EQ(post_link.allow, "GET, PUT");
    const Answer get_power = api_->get("/api/v1/power");
    EXPECT_EQ(get_power.status, 405) << get_power.raw;
    EXPECT_EQ(get_power.allow, "POST");
}

TEST_F(ControlApiTest, ManyClientsAtOnceWhileTheSerialPortIsBusy) {
    start();
    open_serial();
    std::atomic<int> ok{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 6; ++t)
        clients.emplace_back([&] {
            Control mine(sim_->control());
            for (int i = 0; i < 20; ++i)
                if (mine.get("/api/v1/status").status == 200 && mine.get("/api/v1/link").status == 200) ++ok;
        });
    enter_command_mode(*port_);
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(at_command(*port_, "AT+VER"), "\r\n+VER:V1.3.25.000000.0000\r\n\r\nOK\r\n");
    for (std::thread& c : clients)
        c.join();
    EXPECT_EQ(ok.load(), 6 * 20);
}

// curl -X POST $API/api/v1/link/reset sends neither Content-Length nor a body (RFC 9112 §6.3: no
// body). Resources that take none answer at once; those that need one name the missing fields.
TEST_F(ControlApiTest, APostWithoutABodyIsFineWhereNoneIsNeeded) {
    start();
    const auto post = [&](const char* path) {
        return raw_exchange(sim_->control(), std::string("POST ") + path +
                                                 " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    };
    const std::string reset = post("/api/v1/link/reset");
    EXPECT_EQ(reset.rfind("HTTP/1.1 200", 0), 0u) << reset;
    EXPECT_NE(reset.find(R"({"reset":0})"), std::string::npos) << reset;
    EXPECT_EQ(api_->post("/api/v1/link/reset", "").status, 200) << "Content-Length: 0";
    EXPECT_EQ(api_->post("/api/v1/link/reset", "{}").status, 200);
    const Answer extra = api_->post("/api/v1/link/reset", R"({"all":true})");
    EXPECT_EQ(extra.status, 400) << extra.raw;
    EXPECT_NE(error_of(extra).find("all"), std::string::npos) << extra.raw;

    const std::string power = post("/api/v1/power");
    EXPECT_EQ(power.rfind("HTTP/1.1 400", 0), 0u) << power;
    EXPECT_NE(power.find("action is required"), std::string::npos) << power;
    const std::string sms = post("/api/v1/sms");
    EXPECT_EQ(sms.rfind("HTTP/1.1 400", 0), 0u) << sms;
    EXPECT_NE(sms.find("from and text are required"), std::string::npos) << sms;
    const Answer no_text = api_->post("/api/v1/sms", R"({"from":"10086"})");
    EXPECT_EQ(no_text.status, 400) << no_text.raw;
    EXPECT_EQ(error_of(no_text), "text is required") << no_text.raw;
    EXPECT_EQ(error_of(api_->post("/api/v1/sms", "{}")), "missing fields: from, text");
    EXPECT_EQ(error_of(api_->post("/api/v1/power", "{}")), "action is required");
    const std::string put = raw_exchange(
        sim_->control(), "PUT /api/v1/link HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(put.rfind("HTTP/1.1 400", 0), 0u) << put;
    EXPECT_EQ(api_->get("/api/v1/status").json.value("power").toString(), "on") << "nothing changed";
}

// Every string the API reads must be valid Unicode: Qt's parser keeps a lone surrogate, which UTF-8
// cannot carry. Numbers stay in docs/radio-sim.md's ranges (time_offset_s: ±100 years).
TEST_F(ControlApiTest, InvalidUnicodeAndOutOfRangeNumbersAre400NamingTheField) {
    start();
    const std::vector<std::pair<std::string, std::string>> sms = {
        {R"({"from":"10086","text":"\ud800"})", "text"},
        {R"({"from":"10086","text":"ok \udc00 then"})", "text"},
        {R"({"from":"\ud800","text":"hi"})", "from"},
        {R"({"from":"10086","text":"hi","encoding":"\ud800"})", "encoding"},
    };
    for (const auto& [body, field] : sms) {
        SCOPED_TRACE(body);
        const Answer a = api_->post("/api/v1/sms", body);
        EXPECT_EQ(a.status, 400) << a.raw;
        EXPECT_EQ(error_of(a).rfind(field + " is not valid Unicode", 0), 0u) << a.raw;
    }
    EXPECT_EQ(at(api_->get("/api/v1/status").json, "sms_center", "queued").toInteger(-1), 0) << "none queued";
    EXPECT_EQ(api_->post("/api/v1/sms", R"({"from":"10086","text":"\ud83d\ude00"})").status, 202)
        << "a surrogate pair is one valid character";

    const QJsonObject radio = api_->get("/api/v1/radio").json;
    const std::vector<std::pair<std::string, std::string>> bad_radio = {
        {R"({"time_offset_s":3162240000})", "time_offset_s"}, // 100 years of 366 days: too many
        {R"({"time_offset_s":-3155695201})", "time_offset_s"},
        {R"({"time_offset_s":1e300})", "time_offset_s"},
        {R"({"sims":{"external":{"phone_number":"+86\ud800"}}})", "sims.external.phone_number"},
        {R"({"neighbours":[{"lac":1,"cid":2},{"lac":3,"cid":4,"\udfff":5}]})",
         "a field name in neighbours[1]"},
    };
    for (const auto& [body, field] : bad_radio) {
        SCOPED_TRACE(body);
        const Answer a = api_->put("/api/v1/radio", body);
        EXPECT_EQ(a.status, 400) << a.raw;
        EXPECT_EQ(error_of(a).rfind(field, 0), 0u) << a.raw;
    }
    EXPECT_EQ(api_->get("/api/v1/radio").json, radio) << "no bad request changed anything";
    for (const char* edge : {R"({"time_offset_s":3155695200})", R"({"time_offset_s":-3155695200})"})
        EXPECT_EQ(api_->put("/api/v1/radio", edge).status, 200) << edge << ": exactly 100 Gregorian years";
    const Answer link = api_->put("/api/v1/link", R"({"profile":"\ud800"})");
    EXPECT_EQ(link.status, 400) << link.raw;
    EXPECT_EQ(error_of(link).rfind("profile is not valid Unicode", 0), 0u) << link.raw;
}

// Clients that trickle a request in byte by byte (slowloris) hold a worker each for at most the
// request deadline (5 s), and there are more workers than a dozen of them: the API keeps answering.
TEST_F(ControlApiTest, SlowClientsDoNotStarveTheApi) {
    start();
    constexpr int kSlow = 12; // httplib's own pool had 8 workers
    std::vector<std::unique_ptr<RawConnection>> slow;
    for (int i = 0; i < kSlow; ++i) {
        slow.push_back(std::make_unique<RawConnection>(sim_->control()));
        ASSERT_TRUE(slow.back()->connected());
        ASSERT_TRUE(slow.back()->write("G"));
    }
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    std::thread trickle([&] { // one more byte of "GET /api/..." to each, every 200 ms
        std::unique_lock<std::mutex> lock(m);
        while (!cv.wait_for(lock, 200ms, [&] { return done; }))
            for (auto& c : slow)
                c->write("E");
    });
    const Answer a = api_->get("/api/v1/status"); // the client's read timeout is 5 s
    {
        std::lock_guard<std::mutex> lock(m);
        done = true;
    }
    cv.notify_all();
    trickle.join();
    EXPECT_EQ(a.status, 200) << "a normal request is answered while " << kSlow << " clients trickle";
    for (auto& c : slow) {
        c->read_to_end(8s);
        EXPECT_TRUE(c->closed()) << "a trickling client is closed once its request deadline passed";
    }
    EXPECT_EQ(api_->get("/api/v1/status").status, 200);
}

TEST_F(ControlApiTest, SigtermWithAnOpenKeepAliveConnectionExitsZero) {
    start();
    api_->client().set_keep_alive(true);
    ASSERT_EQ(api_->get("/api/v1/status").status, 200);
    sim_->signal(SIGTERM);
    const auto status = sim_->wait_exit(5s);
    ASSERT_TRUE(status.has_value()) << "still running 5 s after SIGTERM";
    EXPECT_TRUE(status->exited() && status->code == 0) << status->describe() << "\n" << sim_->err();
}

TEST(ControlApiCli, HelpExplainsTheNewOptions) {
    const RunResult r = run_sim({"--help"});
    EXPECT_TRUE(r.status.exited() && r.status.code == 0) << r.status.describe();
    for (const char* text : {"--control", "HOST:PORT", "--link", "gprs", "--seed"})
        EXPECT_NE(r.out.find(text), std::string::npos) << text << " missing from --help:\n" << r.out;
}

TEST(ControlApiCli, BadValuesExitTwoWithAMessage) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--link", "5g"}, "gprs"}, // the message lists the known profiles
        {{"--seed", "x"}, "--seed"},
        {{"--seed", "-1"}, "--seed"},
        {{"--control", "nope"}, "--control"},
        {{"--control", "127.0.0.1:70000"}, "--control"},
        {{"--control", "::1:80"}, "brackets"},
    };
    for (const auto& [args, mentions] : cases) {
        SCOPED_TRACE(args.front() + " " + args.back());
        TempDir dir;
        std::vector<std::string> all = {"--state-dir", (dir.path() / "state").string()};
        all.insert(all.end(), args.begin(), args.end());
        const RunResult r = run_sim(all);
        EXPECT_TRUE(r.status.exited() && r.status.code == 2) << r.status.describe() << "\n" << r.err;
        EXPECT_NE(r.err.find(mentions), std::string::npos) << r.err;
    }
}

TEST(ControlApiCli, ABusyPortIsARuntimeError) {
    SimProcess first({"--control", "127.0.0.1:0"});
    ASSERT_TRUE(first.start());
    const std::string taken = first.control().substr(std::string("http://127.0.0.1:").size());
    const RunResult r =
        run_sim({"--state-dir", (first.dir() / "state2").string(), "--control", "127.0.0.1:" + taken});
    EXPECT_TRUE(r.status.exited() && r.status.code == 1) << r.status.describe() << "\n" << r.err;
    EXPECT_NE(r.err.find("cannot listen"), std::string::npos) << r.err;
}

} // namespace
} // namespace dtu::itest
