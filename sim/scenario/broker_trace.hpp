#pragma once
// A scenario broker's MQTT events in the trace (scenarios/README.md "Traces"): what every broker
// peer reports (BrokerEvents) as broker_connect, broker_message, broker_deliver and
// broker_session_end outputs, the same for the model and for mosquitto.
#include <cstdint>
#include <string_view>

#include "sim/scenario/broker_peer.hpp"
#include "sim/scenario/trace_recorder.hpp"

namespace dtu::sim::scenario {

class BrokerTrace final : public BrokerEvents {
public:
    explicit BrokerTrace(TraceRecorder& trace) : trace_(trace) {}
    void on_broker_connect(const BrokerSpec& broker, const BrokerSessionView& session, int code,
                           bool will) override;
    void on_broker_message(const BrokerSpec& broker, const BrokerReceived& message) override;
    void on_broker_deliver(const BrokerSpec& broker, std::uint32_t conn, const BrokerReceived& message,
                           bool dup) override;
    void on_broker_session_end(const BrokerSpec& broker, std::string_view client_id,
                               std::string_view why) override;

private:
    TraceRecorder& trace_;
};

} // namespace dtu::sim::scenario
