#pragma once
// A scenario's MQTT broker (`brokers:`) as the steps see it, the same in both clocks: in virtual
// time the in-process model (hal_sim::MqttBroker on the board's VirtualNet, virtual_broker.cpp);
// in real time a mosquitto process the runner starts on a loopback port, with an observer client
// subscribed to '#' (mosquitto_broker.cpp). Steps never know which one they talk to, so one
// scenario file gives the same verdicts either way (the real-vs-virtual tests check it).
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace dtu::sim::scenario {

/// `brokers:` entry, as parsed (scenario.hpp holds it beside ServerSpec).
struct BrokerSpec {
    std::string name;  ///< the key under `brokers:`
    std::string host;  ///< what the device dials (MQTTSVR)
    std::uint16_t port = 1883;
    std::map<std::string, std::string> users; ///< accepted user -> password; empty: anyone
    bool allow_anonymous = true;
    std::set<std::string> refused_client_ids;
    // std::optional<TlsServerSpec> tls;   ///< from the TLS part (tls_spec.hpp), when it lands
    SourcePos pos;
};

/// One message the broker received from the device (or published as its will).
struct BrokerReceived {
    std::string topic, payload;
    std::uint8_t qos = 0;
    bool retain = false;
    bool will = false;
    Duration at{0}; ///< run time
};

/// The broker's view of the device's session (broker_expect_session checks these).
struct BrokerSessionView {
    bool connected = false;
    std::string client_id, username;
    int protocol_level = 0;  ///< 3 or 4
    int keepalive_s = 0;
    bool clean_session = true;
    std::vector<std::string> subscriptions; ///< filters
};

class BrokerPeer {
public:
    virtual ~BrokerPeer() = default;
    virtual const BrokerSpec& spec() const = 0;
    /// Every message received so far, in order (broker_expect searches from its cursor).
    virtual const std::vector<BrokerReceived>& received() const = 0;
    /// Publish as another client (broker_publish).
    virtual bool publish(std::string_view topic, std::string_view payload, int qos, bool retain) = 0;
    /// broker_state: up / down (connections refused) / refusing (CONNACK code) / silent (no CONNACK).
    virtual void set_state(std::string_view state, int refuse_code) = 0;
    /// broker_drop: every connection ends (reset: RST).
    virtual void drop_connections(bool reset) = 0;
    /// The device's session (by its client id; nullopt: never connected).
    virtual std::optional<BrokerSessionView> session(std::string_view client_id) const = 0;
};

} // namespace dtu::sim::scenario
