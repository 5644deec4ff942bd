// MQTT over TLS in virtual time: VirtualMqtt passes hal::MqttConnect::tls to VirtualNet::open, so
// its session to the broker model behind a TlsServerPeer runs over TLS records through the link;
// a certificate the module refuses fails the connect as TlsFailed with the reason.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hal_sim/link_impairment.hpp"
#include "hal_sim/mqtt_broker.hpp"
#include "hal_sim/tls_server_peer.hpp"
#include "hal_sim/tls_server_session.hpp"
#include "hal_sim/virtual_mqtt.hpp"
#include "hal_sim/virtual_net.hpp"
#include "hal_sim/virtual_scheduler.hpp"
#include "recording_log.hpp"
#include "scenario_certs.hpp"

namespace {

using namespace std::chrono_literals;
using namespace dtu::hal_sim;
using dtu::hal::MqttError;
using TimePoint = Scheduler::TimePoint;

using dtu::test::scenario_cert;

struct Firmware final : dtu::hal::MqttListener {
    void on_mqtt_connected() override { events.emplace_back("connected"); }
    void on_mqtt_connect_failed(MqttError why, int) override {
        events.push_back(std::string("failed ") + mqtt_error_name(why));
    }
    void on_mqtt_closed(MqttError why) override {
        events.push_back(std::string("closed ") + mqtt_error_name(why));
    }
    void on_mqtt_message(std::string_view, std::string_view) override {}
    std::vector<std::string> events;
};

struct Messages final : MqttBrokerObserver {
    void on_broker_connect(const MqttBrokerSession&, std::uint8_t) override {}
    void on_broker_session_end(const MqttBrokerSession&, MqttSessionEnd) override {}
    void on_broker_message(const MqttBrokerMessage& m) override { got.push_back(m.topic + " " + m.payload); }
    void on_broker_error(ConnId, std::string_view) override {}
    std::vector<std::string> got;
};

/// 2026-01-01T00:00:00Z, as a scenario's network time starts.
const auto kEpoch = std::chrono::sys_days{std::chrono::year{2026} / std::chrono::January / 1};

class VirtualMqttsTest : public ::testing::Test {
protected:
    VirtualMqttsTest() : link(LinkConfig{}, 1), net(sched, link, log), mqtt(sched, net, log) {
        const auto now = [this] {
            return kEpoch +
                   std::chrono::duration_cast<std::chrono::system_clock::duration>(sched.now() - TimePoint{});
        };
        net.set_network_time(now);
        auto ctx = build_tls_server_context(
            TlsServerConfig{scenario_cert("server.pem"), scenario_cert("server.key"), {}});
        EXPECT_TRUE(ctx) << ctx.error;
        front = std::make_unique<TlsServerPeer>(ctx.ctx, false, net, now);
        broker = std::make_unique<MqttBroker>(sched, *front, log);
        front->serve(*broker);
        broker->set_observer(&seen);
        net.add_server(dtu::hal::Proto::Tcp, "secure.example", 8883, *front);
        mqtt.set_listener(&firmware);
    }
    void connect(const std::string& ca_file) {
        ca = scenario_cert(ca_file);
        dtu::hal::TlsParams tls;
        tls.auth = dtu::hal::TlsAuth::Peer;
        tls.ca_pem = ca;
        dtu::hal::MqttConnect p;
        p.host = "secure.example";
        p.port = 8883;
        p.client_id = "dev-tls";
        p.tls = &tls;
        mqtt.connect(p);
    }
    void run_for(std::chrono::milliseconds d) { sched.advance_to(sched.now() + d); }

    VirtualScheduler sched;
    dtu::test::RecordingLog log;
    LinkImpairment link;
    VirtualNet net;
    VirtualMqtt mqtt;
    std::unique_ptr<TlsServerPeer> front;
    std::unique_ptr<MqttBroker> broker;
    Messages seen;
    Firmware firmware;
    std::string ca;
};

TEST_F(VirtualMqttsTest, ASessionOverTlsReachesTheBrokerModel) {
    connect("ca.pem");
    run_for(1s);
    ASSERT_EQ(firmware.events, std::vector<std::string>{"connected"});
    EXPECT_TRUE(mqtt.snapshot().tls);
    ASSERT_TRUE(mqtt.publish("/secure", "over tls", 1, false));
    run_for(1s);
    EXPECT_EQ(seen.got, std::vector<std::string>{"/secure over tls"});
    EXPECT_EQ(mqtt.snapshot().pending_messages, 0u); // the PUBACK came back through TLS
    ASSERT_EQ(front->handshakes().size(), 1u);
    EXPECT_TRUE(front->handshakes()[0].ok);
}

TEST_F(VirtualMqttsTest, AServerCertificateFromAnotherCaFailsTheConnectAsTlsFailed) {
    connect("other-ca.pem");
    run_for(1s);
    EXPECT_EQ(firmware.events, std::vector<std::string>{"failed tls-failed"});
    EXPECT_NE(mqtt.snapshot().last_error.find("tls-failed: "), std::string::npos)
        << mqtt.snapshot().last_error;
    EXPECT_TRUE(seen.got.empty());
}

} // namespace
