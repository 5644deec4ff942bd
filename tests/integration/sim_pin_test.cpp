// The simulated SIM card's PIN (GET/PUT /api/v1/sim/pin) and the 732's AT+UCPIN (732 §3.1.7.68):
// a card with a PIN registers only once the firmware has entered the right one at start; a wrong or
// missing PIN means no network, visible in the status and the log; three wrong PINs block the card.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <QJsonObject>

#include "control_client.hpp"
#include "sim_process.hpp"
#include "wait.hpp"

namespace dtu::itest {
namespace {

using namespace std::chrono_literals;

std::string str(const QJsonValue& v) { return v.toString().toStdString(); }

class SimPin : public ::testing::Test {
protected:
    void start(std::vector<std::string> args = {}) {
        args.insert(args.begin(), {"--control", "127.0.0.1:0"});
        sim_ = std::make_unique<SimProcess>(args);
        ASSERT_TRUE(sim_->start());
        api_ = std::make_unique<Control>(sim_->control());
    }
    QJsonObject radio_status() { return api_->get("/api/v1/status").json.value("radio").toObject(); }
    QJsonObject external_pin() { return api_->get("/api/v1/sim/pin").json.value("external").toObject(); }
    /// Wait until the status's radio.registered is registered.
    bool registered_becomes(bool registered) {
        return wait_until([&] { return radio_status().value("registered").toBool() == registered; }, 5s);
    }
    Answer set_pin(const std::string& body) { return api_->put("/api/v1/sim/pin", body); }
    Answer power_cycle() { return api_->post("/api/v1/power", R"({"action": "cycle"})"); }

    std::unique_ptr<SimProcess> sim_;
    std::unique_ptr<Control> api_;
};

TEST_F(SimPin, ACardWithoutAPinIsReady) {
    start();
    const QJsonObject pin = external_pin();
    EXPECT_EQ(str(pin["pin"]), "");
    EXPECT_EQ(str(pin["state"]), "ready");
    EXPECT_EQ(pin["attempts_left"].toInt(), 3);
    EXPECT_EQ(str(radio_status()["sim_lock"]), "ready");
    EXPECT_TRUE(radio_status()["registered"].toBool());
}

TEST_F(SimPin, AModelThatEntersNoPinLosesTheNetworkWithACardThatAsksOne) {
    // The G771 has no AT+UCPIN: a card with a PIN stays locked, across power cycles too.
    start();
    const Answer a = set_pin(R"({"pin": "1234"})");
    ASSERT_EQ(a.status, 200) << a.raw;
    EXPECT_EQ(str(a.json["external"].toObject()["state"]), "pin_required");
    EXPECT_TRUE(registered_becomes(false));
    EXPECT_EQ(str(radio_status()["sim_lock"]), "pin_required");
    ASSERT_EQ(power_cycle().status, 200);
    EXPECT_FALSE(radio_status()["registered"].toBool());
    EXPECT_EQ(str(external_pin()["state"]), "pin_required");
    EXPECT_EQ(external_pin()["attempts_left"].toInt(), 3) << "no PIN was tried";
    EXPECT_TRUE(wait_until([&] { return sim_->err().find("asks for its PIN") != std::string::npos; }, 5s))
        << sim_->err();
    // Clearing the PIN gives a card that registers at once.
    ASSERT_EQ(set_pin(R"({"pin": ""})").status, 200);
    EXPECT_TRUE(registered_becomes(true));
}

TEST_F(SimPin, TheOtherSlotsPinDoesNotLockTheActiveCard) {
    start();
    const Answer a = set_pin(R"({"sim": "internal", "pin": "87654321"})");
    ASSERT_EQ(a.status, 200) << a.raw;
    EXPECT_EQ(str(a.json["internal"].toObject()["state"]), "pin_required");
    EXPECT_EQ(str(a.json["internal"].toObject()["pin"]), "87654321");
    EXPECT_EQ(str(a.json["external"].toObject()["state"]), "ready");
    EXPECT_TRUE(radio_status()["registered"].toBool());
}

TEST_F(SimPin, BadRequestsChangeNothing) {
    start();
    for (const std::string body : {R"({"pin": "12"})", R"({"pin": "123456789"})", R"({"pin": "12a4"})",
                                   R"({"sim": "third", "pin": "1234"})", R"({})", R"({"pin": 1234})",
                                   R"({"pin": "1234", "puk": "1"})", ""}) {
        const Answer a = set_pin(body);
        EXPECT_EQ(a.status, 400) << body << " -> " << a.raw;
        EXPECT_FALSE(str(a.json["error"]).empty()) << a.raw;
    }
    EXPECT_EQ(str(set_pin(R"({"pin": "12"})").json["error"]), "pin must be empty (no PIN) or 4 to 8 digits");
    EXPECT_EQ(str(set_pin("").json["error"]),
              R"(the body is empty: pin is required ({"pin": "1234"}, "" for none))");
    EXPECT_EQ(str(external_pin()["state"]), "ready");
    EXPECT_TRUE(radio_status()["registered"].toBool());
}

} // namespace
} // namespace dtu::itest
