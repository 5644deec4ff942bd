#include "sim/scenario/broker_trace.hpp"

namespace dtu::sim::scenario {
namespace {

QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

} // namespace

void BrokerTrace::on_broker_connect(const BrokerSpec& broker, const BrokerSessionView& s, int code,
                                    bool will) {
    trace_.record(TraceEvent{0,
                             TraceKind::BrokerConnect,
                             broker.name,
                             0,
                             {},
                             {{"code", code},
                              {"client_id", q(s.client_id)},
                              {"username", q(s.username)},
                              {"protocol_level", s.protocol_level},
                              {"keepalive_s", s.keepalive_s},
                              {"clean_session", s.clean_session},
                              {"will", will}}});
}

void BrokerTrace::on_broker_message(const BrokerSpec& broker, const BrokerReceived& m) {
    trace_.record(TraceEvent{0,
                             TraceKind::BrokerMessage,
                             broker.name,
                             0,
                             m.payload,
                             {{"topic", q(m.topic)},
                              {"qos", m.qos},
                              {"retain", m.retain},
                              {"will", m.will},
                              {"client_id", q(m.client_id)}}});
}

void BrokerTrace::on_broker_deliver(const BrokerSpec& broker, std::uint32_t conn, const BrokerReceived& m,
                                    bool dup) {
    trace_.record(TraceEvent{0,
                             TraceKind::BrokerDeliver,
                             broker.name,
                             conn,
                             m.payload,
                             {{"topic", q(m.topic)}, {"qos", m.qos}, {"retain", m.retain}, {"dup", dup}}});
}

void BrokerTrace::on_broker_session_end(const BrokerSpec& broker, std::string_view client_id,
                                        std::string_view why) {
    trace_.record(TraceEvent{
        0, TraceKind::BrokerSessionEnd, broker.name, 0, {}, {{"client_id", q(client_id)}, {"why", q(why)}}});
}

} // namespace dtu::sim::scenario
