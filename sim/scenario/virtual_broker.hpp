#pragma once
// A scenario broker in virtual time: the broker model (hal_sim::MqttBroker) on the board's
// VirtualNet, seen through BrokerPeer. It stands between the net and the model both ways, so
// the trace gets the connection's TCP events (server_accept, to_server, device_close: Wireshark
// shows the MQTT packets in the pcapng) and every PUBLISH the broker sends to the device
// (broker_deliver); the model's observer gives the rest (connects, messages, wills, session ends).
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dtu/hal/log.hpp"
#include "hal_sim/mqtt_broker.hpp"
#include "hal_sim/mqtt_wire.hpp"
#include "hal_sim/net_peer.hpp"
#include "hal_sim/scheduler.hpp"
#include "sim/scenario/broker_peer.hpp"
#include "sim/scenario/trace_recorder.hpp"

namespace dtu::sim::scenario {

class VirtualBroker final : public BrokerPeer,
                            public hal_sim::VirtualServer,
                            private hal_sim::ServerLink,
                            private hal_sim::MqttBrokerObserver {
public:
    /// net: where the broker's bytes go (the VirtualNet). scheduler, net, log and trace outlive it.
    VirtualBroker(BrokerSpec spec, hal_sim::Scheduler& scheduler, hal_sim::ServerLink& net, hal::Log& log,
                  TraceRecorder& trace);
    ~VirtualBroker() override;

    // BrokerPeer
    const BrokerSpec& spec() const override { return spec_; }
    const std::vector<BrokerReceived>& received() const override { return received_; }
    bool publish(std::string_view topic, std::string_view payload, int qos, bool retain) override;
    void set_state(std::string_view state, int refuse_code) override;
    void drop_connections(bool reset) override;
    std::optional<BrokerSessionView> session(std::string_view client_id) const override;

    // hal_sim::VirtualServer (the device's side, from the VirtualNet)
    bool on_connect(hal_sim::ConnId conn) override;
    void on_data(hal_sim::ConnId conn, std::string_view bytes) override;
    void on_closed(hal_sim::ConnId conn, bool reset) override;

    /// Whether conn ever reached this broker (the World names to_device events by it).
    bool knows(hal_sim::ConnId conn) const { return seen_.count(conn) != 0; }
    const hal_sim::MqttBroker& model() const { return *broker_; }

private:
    // hal_sim::ServerLink (the model's side, towards the VirtualNet)
    bool server_send(hal_sim::ConnId conn, std::string_view bytes) override;
    void server_close(hal_sim::ConnId conn, bool reset) override;
    void set_accepting(bool accepting) override { net_.set_accepting(accepting); }
    // hal_sim::MqttBrokerObserver
    void on_broker_connect(const hal_sim::MqttBrokerSession& session, std::uint8_t return_code) override;
    void on_broker_session_end(const hal_sim::MqttBrokerSession& session,
                               hal_sim::MqttSessionEnd why) override;
    void on_broker_message(const hal_sim::MqttBrokerMessage& message) override;
    void on_broker_error(hal_sim::ConnId conn, std::string_view reason) override;

    /// The PUBLISH packets among bytes the broker sends on conn, reported as deliveries.
    void report_deliveries(hal_sim::ConnId conn, std::string_view bytes);

    BrokerSpec spec_;
    hal_sim::ServerLink& net_;
    hal::Log& log_;
    TraceRecorder& trace_;
    std::unique_ptr<hal_sim::MqttBroker> broker_;
    std::vector<BrokerReceived> received_;
    std::set<hal_sim::ConnId> seen_;
    std::map<hal_sim::ConnId, hal_sim::MqttFrameReader> to_device_; ///< per open connection
    std::string last_client_;                                       ///< the client id of the last CONNACK 0
};

} // namespace dtu::sim::scenario
