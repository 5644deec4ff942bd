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

// BrokerSpec (the `brokers:` entry, as parsed) is in scenario.hpp beside ServerSpec.

/// One message the broker received from the device (or published as its will).
struct BrokerReceived {
    std::string topic, payload;
    std::uint8_t qos = 0;
    bool retain = false;
    bool will = false;
    Duration at{0};        ///< run time
    std::string client_id; ///< who published it (the will's: the client whose will it is)
};

/// The broker's view of the device's session (broker_expect_session checks these).
struct BrokerSessionView {
    bool connected = false;
    std::string client_id, username;
    int protocol_level = 0; ///< 3 or 4
    int keepalive_s = 0;
    bool clean_session = true;
    std::vector<std::string> subscriptions; ///< filters
};

/// What a broker peer reports as it happens, for the trace (broker_trace.hpp records it): both kinds
/// of peer report the same events, so a virtual and a real-time trace read alike.
class BrokerEvents {
public:
    virtual ~BrokerEvents() = default;
    /// CONNACK sent with code (0: the session started); will: the CONNECT carried one.
    virtual void on_broker_connect(const BrokerSpec& broker, const BrokerSessionView& session, int code,
                                   bool will) = 0;
    /// A message from a client (or a will), as it is added to received().
    virtual void on_broker_message(const BrokerSpec& broker, const BrokerReceived& message) = 0;
    /// A PUBLISH sent towards the device on connection conn (0: unknown).
    virtual void on_broker_deliver(const BrokerSpec& broker, std::uint32_t conn,
                                   const BrokerReceived& message, bool dup) = 0;
    /// A connected session's connection ended; why: disconnect, peer-closed, reset, keep-alive,
    /// protocol, taken-over, broker-dropped (hal_sim::session_end_name).
    virtual void on_broker_session_end(const BrokerSpec& broker, std::string_view client_id,
                                       std::string_view why) = 0;
};

class BrokerPeer {
public:
    virtual ~BrokerPeer() = default;
    /// Where events go (the World's trace); nullptr: nowhere.
    void set_events(BrokerEvents* events) { events_ = events; }
    virtual const BrokerSpec& spec() const = 0;
    /// Every message received so far, in order (broker_expect searches from its cursor).
    virtual const std::vector<BrokerReceived>& received() const = 0;
    /// Publish as another client (broker_publish).
    virtual bool publish(std::string_view topic, std::string_view payload, int qos, bool retain) = 0;
    /// broker_state: up / down (connections refused) / refusing (CONNACK code) / silent (no CONNACK).
    virtual void set_state(std::string_view state, int refuse_code) = 0;
    /// broker_drop: every connection ends (reset: RST).
    virtual void drop_connections(bool reset) = 0;
    /// The device's session (by its client id; nullopt: never connected). An empty client_id asks
    /// for the session of the client that connected (CONNACK 0) last.
    virtual std::optional<BrokerSessionView> session(std::string_view client_id) const = 0;

protected:
    BrokerEvents* events() const { return events_; }

private:
    BrokerEvents* events_ = nullptr;
};

} // namespace dtu::sim::scenario
