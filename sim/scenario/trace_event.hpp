#pragma once
// One thing that happened in a scenario run, in device time. The runner records them; the trace
// writers turn them into JSONL (trace_jsonl.cpp) and pcapng (pcapng_writer.cpp); replay reads the
// JSONL back and feeds the inputs into a fresh device. Format: scenarios/README.md "Traces".
#include <cstdint>
#include <string>
#include <string_view>

#include <QJsonObject>

namespace dtu::sim::scenario {

enum class TraceKind : std::uint8_t {
    // header (always the first event): info = {name, file, profile, seed, link, radio, servers:
    // {NAME: {protocol, address, accept, tls, client_port
    // (a `clients:` peer)}}, brokers: {NAME: {address, users, anonymous,
    // refuse_client_ids}}}
    Scenario,
    // inputs (what the outside world did to the device; replay feeds these back)
    SerialIn,      ///< data: bytes the serial peer wrote
    ServerAccept,  ///< server, conn: a server accepted a connection (info.accept: false = refused)
    ServerSend,    ///< server, conn, data: bytes a server sent towards the device
    ServerClose,   ///< server, conn: a server closed (info.reset: true = RST)
    SmsIn,         ///< info: {from, text, encoding}
    Link,          ///< info: the link patch applied
    LinkReset,     ///< every TCP connection reset
    Radio,         ///< info: the radio patch applied
    Power,         ///< info.on: true / false
    BrokerPublish, ///< server (a broker), data (may be empty): {topic, qos, retain}: broker_publish
    BrokerState,   ///< server (a broker): {state: up|down|refusing|silent, code}: broker_state
    BrokerDrop,    ///< server (a broker): {reset}: broker_drop
    ClientConnect, ///< server (a `clients:` peer), conn: it dialled the device's info.port (client_connect)
    // outputs (what the device did; replay compares these)
    SerialOut,        ///< data: bytes the device wrote to the serial port
    NetOpen,          ///< info: {link, proto, host, port}: the device opened a connection
    NetResult,        ///< info: {link, result: "connected" | a NetError name}
    ToServer,         ///< server, conn, data: bytes that reached a server
    ToDevice,         ///< server, conn, data: bytes that reached the device
    DeviceClose,      ///< server, conn: the device closed (info.reset, info.why)
    SmsOut,           ///< info: {to, text, encoding}
    Reboot,           ///< info.cause: the firmware reset ("RSTIM", "AT+Z", ...)
    BrokerConnect,    ///< server (a broker): CONNACK sent: {code, client_id, username, protocol_level,
                      ///< keepalive_s, clean_session, will}
    BrokerMessage,    ///< server, data (may be empty): a PUBLISH the broker took from a client, or a
                      ///< will it published: {topic, qos, retain, will, client_id}
    BrokerDeliver,    ///< server, conn, data (may be empty): a PUBLISH the broker sent towards the
                      ///< device: {topic, qos, retain, dup}
    BrokerSessionEnd, ///< server: a connected session ended: {client_id, why}
    /// server, conn: a `tls:` server's handshake ended (info: ok, version, cipher, client_subject;
    /// or ok false and error)
    TlsHandshake,
    // annotations (not compared)
    Log,  ///< info: {level, text}: a device log line
    Step, ///< info: {index, kind, line, result: "start" | "pass" | "fail" | "timeout"}
};

struct TraceEvent {
    std::uint64_t t_us = 0; ///< device time since the scenario started, microseconds
    TraceKind kind = TraceKind::Log;
    std::string server;     ///< server name (network events)
    std::uint32_t conn = 0; ///< the server's connection number, 1, 2, ... (network events)
    std::string data;       ///< raw bytes (JSONL: "hex" and a readable "text")
    QJsonObject info;       ///< the rest, per kind (see above)
};

/// "serial_in", "to_server", ... as in the JSONL files; parse returns false for an unknown name.
const char* trace_kind_name(TraceKind kind);
bool parse_trace_kind(std::string_view name, TraceKind& kind);
/// Whether replay feeds this kind in (inputs) / compares it (outputs).
bool is_trace_input(TraceKind kind);
bool is_trace_output(TraceKind kind);

} // namespace dtu::sim::scenario
