// The broker model as a server on a VirtualNet (add_server): a device-side link reaches it through
// the link impairment, so CONNECT, CONNACK, PUBLISH and the end of the link take the link's time.
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hal_sim/link_impairment.hpp"
#include "hal_sim/mqtt_broker.hpp"
#include "hal_sim/mqtt_wire.hpp"
#include "hal_sim/virtual_net.hpp"
#include "hal_sim/virtual_scheduler.hpp"
#include "recording_log.hpp"

namespace {

using namespace std::chrono_literals;
using namespace dtu::hal_sim;
using dtu::hal::LinkId;
using dtu::hal::NetError;
using dtu::hal::Proto;

/// The device side: what arrives on its links, decoded as MQTT.
struct Device final : dtu::hal::NetListener {
    void on_connected(LinkId) override { connected = true; }
    void on_connect_failed(LinkId, NetError why) override { failed = why; }
    void on_data(LinkId, std::string_view bytes) override {
        reader.feed(bytes);
        for (auto r = reader.next(); r.status == MqttFrameReader::Status::Packet; r = reader.next())
            packets.push_back(std::move(r.packet));
    }
    void on_closed(LinkId, NetError why) override { closed = why; }
    void on_attach_changed(bool) override {}

    bool connected = false;
    NetError failed = NetError::None, closed = NetError::None;
    MqttFrameReader reader{1 << 16};
    std::vector<MqttPacket> packets;
};

LinkConfig latency(double up_ms, double down_ms) {
    LinkConfig c;
    c.upstream.latency_ms = up_ms;
    c.downstream.latency_ms = down_ms;
    return c;
}

std::chrono::milliseconds since0(Scheduler::TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t - Scheduler::TimePoint{});
}

/// A broker at broker.example:1883 on a VirtualNet, and a device listening on its links.
struct MqttBrokerOnVirtualNet : ::testing::Test {
    explicit MqttBrokerOnVirtualNet(LinkConfig config = latency(50, 30)) : link(config, 1) {
        net.add_server(Proto::Tcp, "broker.example", 1883, broker);
        net.set_listener(&device);
    }
    VirtualScheduler sched;
    dtu::test::RecordingLog log;
    LinkImpairment link;
    VirtualNet net{sched, link, log};
    MqttBroker broker{sched, net, log};
    Device device;
};

TEST_F(MqttBrokerOnVirtualNet, ADeviceLinkConnectsSubscribesAndGetsItsWillPublished) {
    net.open(0, Proto::Tcp, "broker.example", 1883);
    sched.run_until(sched.now() + 1s);
    ASSERT_TRUE(device.connected);
    MqttConnectPacket connect;
    connect.client_id = "dtu";
    connect.will = MqttWillFields{"dtu/status", "offline", 1, true};
    const auto sent_at = sched.now();
    ASSERT_TRUE(net.send(0, encode(connect) + encode(MqttSubscribePacket{1, {{"dtu/cmd", 1}}})));
    sched.run_until(sched.now() + 1s, [&] { return device.packets.size() >= 2; });
    ASSERT_EQ(device.packets.size(), 2u);
    EXPECT_EQ(std::get<MqttConnackPacket>(device.packets[0]).return_code, 0);
    EXPECT_EQ(packet_type(device.packets[1]), MqttPacketType::Suback);
    EXPECT_EQ(since0(sched.now()) - since0(sent_at), 80ms) << "50 ms up, 30 ms down";
    ASSERT_TRUE(broker.session("dtu"));
    EXPECT_TRUE(broker.session("dtu")->connected);

    broker.publish("dtu/cmd", "reboot", 1, false);
    sched.run_until(sched.now() + 1s, [&] { return device.packets.size() >= 3; });
    ASSERT_EQ(device.packets.size(), 3u);
    EXPECT_EQ(std::get<MqttPublishPacket>(device.packets[2]).payload, "reboot");

    EXPECT_EQ(net.reset_connections(), 1u); // the link breaks: an RST reaches the broker
    sched.run_until(sched.now() + 1s);
    EXPECT_FALSE(broker.session("dtu")) << "clean session ended";
    ASSERT_EQ(broker.retained().count("dtu/status"), 1u) << "the will, retained";
    EXPECT_EQ(broker.retained().at("dtu/status").payload, "offline");
    EXPECT_EQ(broker.counters().wills, 1u);
    EXPECT_TRUE(log.has("session 'dtu' ended"));
}

TEST_F(MqttBrokerOnVirtualNet, ABrokerDownRefusesTheTcpConnect) {
    broker.set_availability(MqttBroker::Availability::Down);
    net.open(0, Proto::Tcp, "broker.example", 1883);
    sched.run_until(sched.now() + 1s);
    EXPECT_FALSE(device.connected);
    EXPECT_EQ(device.failed, NetError::Refused);
}

} // namespace
