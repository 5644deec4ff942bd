// SMS end to end: the real dtu-sim, its PTY, the control API's SMS centre (POST /api/v1/sms,
// GET /api/v1/sms/outbox), --sms-script and --sms-outbox (G771 §2.4, §3.4.3; spec sms.md).
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonObject>

#include "at_session.hpp"
#include "control_client.hpp"
#include "serial_client.hpp"
#include "sim_process.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

constexpr auto kTarget = "13800138000";
constexpr auto kStranger = "13900139000";

std::string repeat(std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += s;
    return out;
}

std::string sms_body(const std::string& from, const std::string& text) {
    QJsonObject o{{"from", QString::fromStdString(from)}, {"text", QString::fromStdString(text)}};
    return itest::text(o);
}

class SmsTest : public ::testing::Test {
protected:
    void start(std::vector<std::string> extra = {}) {
        extra.insert(extra.begin(), {"--control", "127.0.0.1:0"});
        sim_ = std::make_unique<SimProcess>(extra);
        ASSERT_TRUE(sim_->start());
        api_ = std::make_unique<Control>(sim_->control());
        port_ = std::make_unique<SerialClient>(sim_->serial());
        ASSERT_EQ(port_->read_until(kStartMessage, 3s), kStartMessage);
    }
    /// Configure over the serial port, save and wait for the restart.
    void configure(const std::vector<std::string>& commands) { configure_and_restart(*port_, commands); }
    void sms_mode(std::vector<std::string> extra = {}) {
        extra.insert(extra.begin(), {"AT+WKMOD=SMS", std::string("AT+DSTNUM=") + kTarget});
        configure(extra);
    }
    Answer post(const std::string& from, const std::string& text) {
        return api_->post("/api/v1/sms", sms_body(from, text));
    }
    QJsonArray outbox() { return api_->get("/api/v1/sms/outbox").json.value("messages").toArray(); }
    /// The outbox once it holds n messages (empty array after 5 s).
    QJsonArray outbox_of(int n) {
        QJsonArray got;
        wait_until([&] { return (got = outbox()).size() >= n; }, 5s);
        return got.size() >= n ? got : QJsonArray{};
    }
    QJsonObject sms_status() { return api_->get("/api/v1/status").json.value("sms").toObject(); }

    std::unique_ptr<SimProcess> sim_;
    std::unique_ptr<Control> api_;
    std::unique_ptr<SerialClient> port_;
};

std::string str(const QJsonValue& v) { return v.toString().toStdString(); }

TEST_F(SmsTest, TransparentModeCarriesSerialFramesToDstnumAndSmsToTheSerialPort) {
    start();
    sms_mode();
    port_->write("meter 42 kWh");
    const QJsonArray sent = outbox_of(1);
    ASSERT_EQ(sent.size(), 1);
    const QJsonObject m = sent[0].toObject();
    EXPECT_EQ(str(m["to"]), kTarget);
    EXPECT_EQ(str(m["text"]), "meter 42 kWh");
    EXPECT_EQ(str(m["encoding"]), "gsm7");
    EXPECT_EQ(m["segments"].toInt(), 1);

    ASSERT_EQ(post(kTarget, "set 7").status, 202);
    EXPECT_EQ(port_->read_until("set 7", 3s), "set 7") << "the text alone, nothing added";
    EXPECT_TRUE(port_->expect_silence(200ms)) << port_->buffered();
}

TEST_F(SmsTest, FilterOnDropsOtherNumbersFilterOffPassesThem) {
    start();
    sms_mode({"AT+SMSFLT=ON"});
    ASSERT_EQ(post(kStranger, "from a stranger").status, 202);
    ASSERT_EQ(post("+86" + std::string(kTarget), "from the target").status, 202);
    // Delivered in order: if the stranger's text had passed it would come first.
    EXPECT_EQ(port_->read_until("from the target", 3s), "from the target");
    EXPECT_EQ(sms_status()["filtered"].toInt(), 1);

    enter_command_mode(*port_);
    ASSERT_EQ(at_command(*port_, "AT+SMSFLT=OFF"), "\r\nOK\r\n");
    ASSERT_EQ(at_command(*port_, "AT+S"), "\r\nOK\r\n");
    ASSERT_EQ(port_->read_until(kStartMessage, 3s), kStartMessage);
    ASSERT_EQ(post(kStranger, "stranger again").status, 202);
    EXPECT_EQ(port_->read_until("stranger again", 3s), "stranger again");
}

// Spec sms.md §1.2: "+86"/"86" in front of a number is ignored, on short numbers too (issue 13:
// DSTNUM 10086, G771 §2.4's example).
TEST_F(SmsTest, FilterTakesPlus86AndTheShortDstnumForTheSameNumber) {
    start();
    configure({"AT+WKMOD=SMS", "AT+DSTNUM=10086", "AT+SMSFLT=ON"});
    ASSERT_EQ(post("10010", "from another number").status, 202);
    ASSERT_EQ(post("+8610086", "from the target").status, 202);
    EXPECT_EQ(port_->read_until("from the target", 3s), "from the target");
    EXPECT_EQ(sms_status()["filtered"].toInt(), 1);
    EXPECT_EQ(sms_status()["to_serial"].toInt(), 1);
}

TEST_F(SmsTest, SmsAtQueryAndSetAreAnsweredBySmsToTheSender) {
    start(); // NET mode: SMS AT works in every work mode
    ASSERT_EQ(post(kStranger, "usr.cn#AT+CSQ").status, 202);
    QJsonArray sent = outbox_of(1);
    ASSERT_EQ(sent.size(), 1);
    EXPECT_EQ(str(sent[0].toObject()["to"]), kStranger);
    EXPECT_EQ(str(sent[0].toObject()["text"]), "\r\n+CSQ: 27,99\r\n\r\nOK\r\n");

    ASSERT_EQ(post(kStranger, "usr.cn#AT+DSTNUM=10010;AT+DSTNUM?;").status, 202);
    sent = outbox_of(2);
    ASSERT_EQ(sent.size(), 2);
    EXPECT_EQ(str(sent[1].toObject()["text"]), "\r\nOK\r\n\r\n+DSTNUM:10010\r\n\r\nOK\r\n");
    EXPECT_TRUE(port_->expect_silence(200ms)) << "SMS AT answers never go to the serial port";

    ASSERT_EQ(post(kStranger, "wrong#AT+CMDPW?").status, 202);
    EXPECT_TRUE(wait_until([&] { return sms_status()["at_rejected"].toInt() == 1; }, 3s));
    EXPECT_EQ(outbox().size(), 2) << "a wrong password gets no answer";
}

TEST_F(SmsTest, SmsAtSaveRestartsAfterAnswering) {
    start();
    ASSERT_EQ(post(kStranger, "usr.cn#AT+WKMOD=SMS;AT+S;AT+DSTNUM=10010;").status, 202);
    const QJsonArray sent = outbox_of(1);
    ASSERT_EQ(sent.size(), 1);
    EXPECT_EQ(str(sent[0].toObject()["text"]), "\r\nOK\r\n\r\nOK\r\n\r\nOK\r\n");
    ASSERT_EQ(port_->read_until(kStartMessage, 3s), kStartMessage) << "AT+S restarted the device";
    port_->write("after restart");
    const QJsonArray again = outbox_of(2);
    ASSERT_EQ(again.size(), 2);
    EXPECT_EQ(str(again[1].toObject()["to"]), "10010") << "AT+S ran last, so DSTNUM was saved too";
}

// Spec sms.md §1.2 (GAP-35): a serial frame longer than one SMS leaves as consecutive plain SMS of
// 160 GSM characters, no concatenation header: the outbox shows each as a message of its own.
TEST_F(SmsTest, ALongFrameLeavesAsConsecutivePlainSms) {
    start();
    sms_mode();
    const std::string frame = repeat("0123456789", 20); // 200 GSM characters
    port_->write(frame);
    const QJsonArray sent = outbox_of(2);
    ASSERT_EQ(sent.size(), 2);
    const std::string expected[] = {frame.substr(0, 160), frame.substr(160)};
    for (int i = 0; i < 2; ++i) {
        const QJsonObject m = sent[i].toObject();
        EXPECT_EQ(str(m["to"]), kTarget);
        EXPECT_EQ(str(m["encoding"]), "gsm7");
        EXPECT_EQ(str(m["text"]), expected[i]);
        EXPECT_EQ(m["segments"].toInt(), 1);
        const QJsonObject part = m["parts"].toArray()[0].toObject();
        EXPECT_EQ(part["total"].toInt(), 1) << "no concatenation header";
        EXPECT_EQ(part["seq"].toInt(), 1);
        EXPECT_EQ(part["ref"].toInt(), 0);
    }
    EXPECT_EQ(sms_status()["sent"].toInt(), 2);
    EXPECT_EQ(sms_status()["parts_sent"].toInt(), 2);
}

TEST_F(SmsTest, LongChineseMessagesAreJoinedInAndSentAsPlainSmsOut) {
    start();
    sms_mode({"AT+UARTFL=1024"});
    const std::string inbound = repeat("你好世界，", 20); // 100 UCS-2 characters: 2 parts
    const Answer a = post(kTarget, inbound);
    ASSERT_EQ(a.status, 202);
    EXPECT_EQ(a.json["parts"].toInt(), 2);
    EXPECT_EQ(port_->read_until(inbound, 3s), inbound) << "reassembled before it reaches the serial port";

    const std::string outbound = repeat("温度二十一度。", 20); // 140 characters: 2 SMS of 70
    port_->write(outbound);
    const QJsonArray sent = outbox_of(2);
    ASSERT_EQ(sent.size(), 2);
    std::string joined;
    for (int i = 0; i < 2; ++i) {
        const QJsonObject m = sent[i].toObject();
        EXPECT_EQ(str(m["encoding"]), "ucs2");
        EXPECT_EQ(m["segments"].toInt(), 1);
        EXPECT_EQ(m["parts"].toArray()[0].toObject()["total"].toInt(), 1);
        joined += str(m["text"]);
    }
    EXPECT_EQ(joined, repeat("温度二十一度。", 20)) << "70 characters each, in order";
    EXPECT_EQ(str(sent[0].toObject()["text"]), repeat("温度二十一度。", 10));
}

TEST_F(SmsTest, WithoutRegistrationSmsWaitAtTheCentreAndSendsAreRefused) {
    start();
    sms_mode();
    ASSERT_EQ(api_->put("/api/v1/radio", R"({"registered": false})").status, 200);
    ASSERT_EQ(post(kTarget, "stored and forwarded").status, 202);
    EXPECT_TRUE(wait_until(
        [&] {
            return api_->get("/api/v1/status").json["sms_center"].toObject()["parts_pending"].toInt() == 1;
        },
        3s));
    port_->write("no network");
    EXPECT_TRUE(wait_until([&] { return sms_status()["send_failed"].toInt() == 1; }, 3s));
    EXPECT_TRUE(port_->expect_silence(200ms))
        << "nothing may arrive without registration: " << port_->buffered();

    ASSERT_EQ(api_->put("/api/v1/radio", R"({"registered": true})").status, 200);
    EXPECT_EQ(port_->read_until("stored and forwarded", 3s), "stored and forwarded");
    EXPECT_EQ(outbox().size(), 0) << "a refused send is not retried";
}

TEST_F(SmsTest, BadPostsAreRefusedAndDeliverNothing) {
    start();
    sms_mode();
    EXPECT_EQ(api_->post("/api/v1/sms", "{\"from\": \"10086\"").status, 400) << "malformed JSON";
    EXPECT_EQ(api_->post("/api/v1/sms", R"({"from":"10086","text":"x","when":1})").status, 400);
    EXPECT_EQ(post("call me", "x").status, 400) << "not a number";
    EXPECT_EQ(post("123456789012345678901", "x").status, 400) << "21 digits";
    EXPECT_EQ(post("10086", "").status, 400);
    const Answer alphabet = api_->post("/api/v1/sms", R"({"from":"10086","text":"你好","encoding":"gsm7"})");
    EXPECT_EQ(alphabet.status, 400);
    EXPECT_NE(error_of(alphabet).find("GSM"), std::string::npos) << error_of(alphabet);
    const Answer huge = post("10086", repeat("x", 153 * 255 + 1));
    EXPECT_EQ(huge.status, 400);
    EXPECT_NE(error_of(huge).find("255"), std::string::npos) << error_of(huge);
    EXPECT_EQ(api_->get("/api/v1/sms").status, 405);
    EXPECT_TRUE(port_->expect_silence(300ms)) << "nothing was delivered: " << port_->buffered();
    EXPECT_EQ(api_->get("/api/v1/status").json["sms_center"].toObject()["queued"].toInt(), 0);
}

TEST(SmsScript, DeliversScriptedSmsAndWritesTheOutboxFile) {
    TempDir dir;
    const auto script = dir.path() / "inbox.txt";
    const auto outbox = dir.path() / "outbox.jsonl";
    std::ofstream(script) << "# a scripted inbox\n"
                             "0      10086          usr.cn#AT+VER\n"
                             "\n"
                             "0.2s   +8613900139000 usr.cn#AT+SN\\r\n";
    SimProcess sim({"--sms-script", script.string(), "--sms-outbox", outbox.string()});
    ASSERT_TRUE(sim.start());
    std::string lines;
    ASSERT_TRUE(wait_until(
        [&] {
            lines = read_text(outbox);
            return std::count(lines.begin(), lines.end(), '\n') >= 2;
        },
        5s))
        << lines;
    const auto first = lines.find('\n');
    const QJsonObject ver = parse(lines.substr(0, first));
    const QJsonObject sn = parse(lines.substr(first + 1));
    EXPECT_EQ(str(ver["to"]), "10086");
    EXPECT_EQ(str(ver["text"]), "\r\n+VER:V1.3.25.000000.0000\r\n\r\nOK\r\n");
    EXPECT_EQ(str(sn["to"]), "+8613900139000");
    EXPECT_NE(str(sn["text"]).find("+SN:"), std::string::npos) << str(sn["text"]);
}

TEST(SmsScript, AMalformedScriptStopsTheStartWithItsLineNumber) {
    TempDir dir;
    const auto script = dir.path() / "inbox.txt";
    std::ofstream(script) << "0 10086 fine\n# comment\nsoon 10086 when is soon?\n";
    const RunResult r =
        run_sim({"--state-dir", (dir.path() / "state").string(), "--sms-script", script.string()});
    EXPECT_EQ(r.status.code, 2);
    EXPECT_NE(r.err.find(script.string() + ":3: 'soon' is not a time"), std::string::npos) << r.err;

    std::ofstream(script, std::ios::trunc) << "0 10086 \xff\xfe bytes\n";
    const RunResult utf8 =
        run_sim({"--state-dir", (dir.path() / "state").string(), "--sms-script", script.string()});
    EXPECT_EQ(utf8.status.code, 2);
    EXPECT_NE(utf8.err.find(":1: the text is not valid UTF-8"), std::string::npos) << utf8.err;
}

} // namespace
} // namespace dtu::itest
