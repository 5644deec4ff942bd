// Names of trace event kinds (scenarios/README.md "Traces") and which of them replay feeds in or
// compares.
#include "sim/scenario/trace_event.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace dtu::sim::scenario {
namespace {

// In enum order: trace_kind_name indexes it, parse_trace_kind searches it.
constexpr std::array<std::pair<TraceKind, std::string_view>, 29> kKinds{{
    {TraceKind::Scenario, "scenario"},
    {TraceKind::SerialIn, "serial_in"},
    {TraceKind::ServerAccept, "server_accept"},
    {TraceKind::ServerSend, "server_send"},
    {TraceKind::ServerClose, "server_close"},
    {TraceKind::SmsIn, "sms_in"},
    {TraceKind::Link, "link"},
    {TraceKind::LinkReset, "link_reset"},
    {TraceKind::Radio, "radio"},
    {TraceKind::Power, "power"},
    {TraceKind::BrokerPublish, "broker_publish"},
    {TraceKind::BrokerState, "broker_state"},
    {TraceKind::BrokerDrop, "broker_drop"},
    {TraceKind::ClientConnect, "client_connect"},
    {TraceKind::SerialOut, "serial_out"},
    {TraceKind::NetOpen, "net_open"},
    {TraceKind::NetResult, "net_result"},
    {TraceKind::ToServer, "to_server"},
    {TraceKind::ToDevice, "to_device"},
    {TraceKind::DeviceClose, "device_close"},
    {TraceKind::SmsOut, "sms_out"},
    {TraceKind::Reboot, "reboot"},
    {TraceKind::BrokerConnect, "broker_connect"},
    {TraceKind::BrokerMessage, "broker_message"},
    {TraceKind::BrokerDeliver, "broker_deliver"},
    {TraceKind::BrokerSessionEnd, "broker_session_end"},
    {TraceKind::TlsHandshake, "tls_handshake"},
    {TraceKind::Log, "log"},
    {TraceKind::Step, "step"},
}};

constexpr bool in_enum_order() {
    for (std::size_t i = 0; i < kKinds.size(); ++i)
        if (static_cast<std::size_t>(kKinds[i].first) != i) return false;
    return true;
}
static_assert(in_enum_order(), "kKinds must list every TraceKind in enum order");
static_assert(static_cast<std::size_t>(TraceKind::Step) + 1 == kKinds.size(), "a TraceKind has no name");

} // namespace

const char* trace_kind_name(TraceKind kind) {
    const auto i = static_cast<std::size_t>(kind);
    return i < kKinds.size() ? kKinds[i].second.data() : "unknown";
}

bool parse_trace_kind(std::string_view name, TraceKind& kind) {
    for (const auto& [k, n] : kKinds) {
        if (n == name) {
            kind = k;
            return true;
        }
    }
    return false;
}

bool is_trace_input(TraceKind kind) {
    return kind >= TraceKind::SerialIn && kind <= TraceKind::ClientConnect;
}

bool is_trace_output(TraceKind kind) {
    return kind >= TraceKind::SerialOut && kind <= TraceKind::TlsHandshake;
}

} // namespace dtu::sim::scenario
