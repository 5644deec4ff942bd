// A G771 on a scenario Board in MQTT mode, in virtual time: the firmware's MQTT session through the
// module's VirtualMqtt to the in-process broker model, a serial frame published, a message from the
// broker on the serial port, and the status fields as in real time.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "dtu/profile/profile.hpp"
#include "hal_sim/mqtt_broker.hpp"
#include "hal_sim/virtual_scheduler.hpp"
#include "sim/identity.hpp"
#include "sim/scenario/board.hpp"
#include "virtual_board.hpp"

namespace {

using namespace dtu::test::virtual_board;
namespace hal_sim = dtu::hal_sim;

struct Lines final : dtu::hal::Log {
    void write(dtu::hal::LogLevel, std::string_view line) override { all.emplace_back(line); }
    std::vector<std::string> all;
};

struct Messages final : hal_sim::MqttBrokerObserver {
    void on_broker_connect(const hal_sim::MqttBrokerSession& s, std::uint8_t code) override {
        if (code == 0) clients.push_back(s.client_id);
    }
    void on_broker_session_end(const hal_sim::MqttBrokerSession&, hal_sim::MqttSessionEnd) override {}
    void on_broker_message(const hal_sim::MqttBrokerMessage& m) override {
        got.push_back(m.topic + " " + m.payload);
    }
    void on_broker_error(hal_sim::ConnId, std::string_view) override {}
    std::vector<std::string> clients, got;
};

class BoardMqttTest : public ::testing::Test, protected Bench {
protected:
    BoardMqttTest() : broker(sched, *board.net().in_process(), broker_log) {
        broker.set_observer(&seen);
        board.net().in_process()->add_server(Proto::Tcp, "broker.example", 1883, broker);
    }
    /// G771 §3.4 command mode, MQTT mode towards the broker model, AT+S; the session is up after.
    void mqtt_mode() {
        board.boot();
        run_for(1s);
        enter_command();
        for (const char* c : {"AT+WKMOD=MQTT,NOR", "AT+MQTTSVR=broker.example,1883", "AT+MQTTCID=board-1"})
            ASSERT_EQ(cmd(c), "\r\nOK\r\n") << c;
        save_and_restart();
        run_for(5s);
        rec.take();
    }

    Lines broker_log;
    hal_sim::MqttBroker broker;
    Messages seen;
};

TEST_F(BoardMqttTest, TheDeviceConnectsToTheBrokerModelAndPublishesASerialFrame) {
    mqtt_mode();
    ASSERT_EQ(seen.clients, std::vector<std::string>{"board-1"});
    const hal_sim::MqttServiceSnapshot m = board.net().mqtt_snapshot();
    EXPECT_EQ(m.state, hal_sim::MqttServiceState::Connected);
    EXPECT_EQ(m.broker, "broker.example:1883");
    EXPECT_EQ(m.client_id, "board-1");
    EXPECT_EQ(m.counters.sessions, 1u);

    board.serial_write("hello broker");
    run_for(1s);
    EXPECT_EQ(seen.got, std::vector<std::string>{"/PubTopic1 hello broker"});
    EXPECT_EQ(board.net().mqtt_snapshot().counters.messages_out, 1u);

    broker.publish("/SubTopic1", "hello device", 0, false);
    run_for(1s);
    EXPECT_EQ(rec.take(), "hello device");
}

TEST_F(BoardMqttTest, AnHourOfKeepAlivesKeepsTheOneSession) {
    mqtt_mode();
    run_for(1h);
    const hal_sim::MqttServiceSnapshot m = board.net().mqtt_snapshot();
    EXPECT_EQ(m.state, hal_sim::MqttServiceState::Connected);
    EXPECT_EQ(m.counters.sessions, 1u);
    EXPECT_EQ(m.counters.sessions_lost, 0u);
    ASSERT_TRUE(broker.session("board-1"));
    EXPECT_TRUE(broker.session("board-1")->connected);
    EXPECT_EQ(broker.counters().keepalive_timeouts, 0u);
}

TEST_F(BoardMqttTest, AFirmwareResetEndsTheSessionAndTheDeviceConnectsAgain) {
    mqtt_mode();
    ASSERT_EQ(seen.clients.size(), 1u);
    enter_command();
    board.serial_write("AT+Z\r"); // G771 §4 通用 2: restart
    run_for(10s);
    EXPECT_EQ(seen.clients.size(), 2u) << "the reset dropped the module's session; the new boot connects";
    EXPECT_EQ(board.net().mqtt_snapshot().state, hal_sim::MqttServiceState::Connected);
}

} // namespace
