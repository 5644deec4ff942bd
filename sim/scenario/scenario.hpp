#pragma once
// A scenario as the runner executes it: what a scenario file (scenarios/README.md) says, checked and
// typed. The parser (scenario_parser.cpp) builds it; nothing here does I/O.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <QJsonObject>
#include <QJsonValue>

namespace dtu::sim::scenario {

using Duration = std::chrono::milliseconds;

/// Where something was written in the scenario file (1-based; 0 = not from the file).
struct SourcePos {
    int line = 0;
    int column = 0;
};

/// What to look for in a byte stream (serial output, the bytes a server received, SMS text).
struct Pattern {
    enum class Kind : std::uint8_t { Text, Regex, Hex };
    Kind kind = Kind::Text;
    std::string
        value; ///< Text/Hex: the exact bytes (hex already decoded); Regex: the RE2 expression (regex.hpp)
    std::string source; ///< as written in the file, for messages
};

/// A canned HTTP response of an `http` server.
struct HttpResponse {
    int status = 200;
    std::string reason = "OK";
    std::vector<std::pair<std::string, std::string>> headers; ///< in order; Content-Length is added
    std::string body;
};

/// A server's `tls:` (tls_spec.hpp): what it presents, read from the files the scenario names.
struct TlsServerSpec {
    std::string cert_file, key_file, client_ca_file; ///< as written (relative to the scenario file)
    std::string cert_pem, key_pem, client_ca_pem;    ///< their text; client_ca empty: none asked for
};

/// A `clients:` peer: it dials the device (K7 §4.2.2 TCP Server, §4.2.4 UDP Server) instead of being
/// dialled. Its ServerSpec's host:port is its own source address.
struct ClientEnd {
    std::uint16_t device_port = 0; ///< the device's port it connects / sends to
    std::uint32_t ip = 0;          ///< its source address (host order)
};

/// An in-process peer the device can reach at host:port (virtual time only), or, with client, one that
/// reaches the device (`clients:`); steps name both the same way (`server: NAME`).
struct ServerSpec {
    enum class Protocol : std::uint8_t { Tcp, Udp, Http, WebSocket }; ///< WebSocket: `clients:` only
    std::string name;                                                 ///< the key under `servers:`
    Protocol protocol = Protocol::Tcp;
    std::string host; ///< what the device dials (a name or an address; compared as written)
    std::uint16_t port = 0;
    bool accept = true;               ///< TCP/HTTP: false refuses connections
    HttpResponse response;            ///< Http only
    std::optional<TlsServerSpec> tls; ///< TCP/HTTP: TLS in front of the server (the device sees TLS)
    std::optional<ClientEnd> client;  ///< a `clients:` entry (Tcp or Udp)
    SourcePos pos;
};

/// An MQTT broker the device can reach at host:port (`brokers:`): in virtual time the in-process model
/// (virtual_broker.hpp), in real time a mosquitto process (broker_peer.hpp).
struct BrokerSpec {
    std::string name; ///< the key under `brokers:`
    std::string host; ///< what the device dials (AT+MQTTSVR; compared as written)
    std::uint16_t port = 1883;
    std::map<std::string, std::string> users; ///< accepted user -> password; empty: any user name
    bool allow_anonymous = true;              ///< false: a CONNECT without user name gets CONNACK 5
    std::set<std::string> refused_client_ids; ///< CONNACK 2
    std::optional<TlsServerSpec> tls;         ///< TLS in front of the broker (MQTTS: the device sees TLS)
    SourcePos pos;
};

/// A pattern that fails the scenario as soon as it appears.
struct FailPattern {
    std::string where = "serial"; ///< "serial", a server name or a broker name
    bool broker = false;          ///< where is a broker: the pattern is looked for in each message's payload
    Pattern pattern;
    SourcePos pos;
};

// ---- steps (scenarios/README.md "Steps") ----
struct SerialWrite {
    std::string bytes;
};
struct SerialExpect {
    Pattern pattern;
    Duration timeout;
};
struct CommandMode {
    Duration timeout;
};
struct AtCommand {
    std::string command;
    Pattern expect;
    Duration timeout;
};
struct ServerExpect {
    std::string server;
    Pattern pattern;
    Duration timeout;
};
struct ExpectConnect {
    std::string server;
    Duration timeout;
};
struct ExpectDisconnect {
    std::string server;
    Duration timeout;
};
struct ServerSend {
    std::string server;
    std::string bytes;
};
struct ServerClose {
    std::string server;
    bool reset = false;
};
/// client_connect: a TCP client dials the device now.
struct ClientConnect {
    std::string client;
};
struct ServerAccept {
    std::string server;
    bool accept = true;
};
struct HttpRespond {
    std::string server;
    HttpResponse response;
};
struct LinkChange {
    QJsonObject patch;
};                   ///< same fields as PUT /api/v1/link
struct LinkReset {}; ///< every TCP connection reset (RST)
struct RadioChange {
    QJsonObject patch;
}; ///< same fields as PUT /api/v1/radio
struct SmsIn {
    QJsonObject message;
}; ///< same fields as POST /api/v1/sms
struct SmsExpect {
    std::optional<std::string> to;
    Pattern pattern;
    Duration timeout;
};
struct PowerCycle {
    Duration off_for;
};
struct PowerOff {};
struct PowerOn {};
struct Wait {
    Duration duration;
};
struct ExpectSilence {
    Duration duration;
    bool serial = true;
    std::vector<std::string> servers; ///< servers that must receive nothing (empty + all_servers: every one)
    bool all_servers = true;
    std::vector<std::string> brokers; ///< brokers that must receive no message (likewise all_brokers)
    bool all_brokers = true;
};
struct ExpectReboot {
    std::optional<std::string> cause;
    Duration timeout;
}; ///< cause as the status names it ("RSTIM")
struct ExpectStatus {
    std::vector<std::pair<std::string, QJsonValue>> fields; ///< dotted path -> value
    Duration timeout{0}; ///< how long it may take to match (0: it must match now)
};
struct AddFailOn {
    FailPattern fail;
};
/// broker_expect and expect_will (will = true): a message the broker received, from its cursor on.
struct BrokerExpect {
    std::string broker;
    std::optional<std::string> topic; ///< a topic filter (MQTT 3.1.1 §4.7); absent: any topic
    std::optional<Pattern> payload;   ///< text / hex: the whole payload; regex: found in it; absent: any
    std::optional<int> qos;
    std::optional<bool> retain, will;
    Duration timeout;
};
struct BrokerPublish {
    std::string broker, topic, payload;
    int qos = 0;
    bool retain = false;
};
struct BrokerState {
    enum class State : std::uint8_t { Up, Down, Refusing, Silent };
    std::string broker;
    State state = State::Up;
    int code = 3; ///< Refusing: the CONNACK return code (1..5; 3 = server unavailable)
};
struct BrokerDrop {
    std::string broker;
    bool reset = false;
};
/// The broker's view of a session; only the fields given are compared.
struct BrokerExpectSession {
    std::string broker;
    std::optional<std::string> client_id; ///< which session; absent: the last client that connected
    std::optional<bool> connected, clean_session;
    std::optional<std::string> username;
    std::optional<int> protocol_level, keepalive_s;
    std::optional<std::vector<std::string>> subscriptions; ///< filters, in any order
    Duration timeout;
};
/// The next TLS handshake on a `tls:` server, and what it must have been.
struct ExpectTls {
    std::string server;
    bool ok = true;
    std::optional<std::string> client_subject; ///< "CN=dtu-device"; "" = no client certificate
    std::optional<std::string> version;        ///< "TLSv1.2"
    std::optional<std::string> error;          ///< a part of the failure's reason
    Duration timeout;
};

using Action =
    std::variant<SerialWrite, SerialExpect, CommandMode, AtCommand, ServerExpect, ExpectConnect,
                 ExpectDisconnect, ServerSend, ServerClose, ClientConnect, ServerAccept, HttpRespond,
                 LinkChange, LinkReset, RadioChange, SmsIn, SmsExpect, PowerCycle, PowerOff, PowerOn, Wait,
                 ExpectSilence, ExpectReboot, ExpectStatus, AddFailOn, BrokerExpect, BrokerPublish,
                 BrokerState, BrokerDrop, BrokerExpectSession, ExpectTls>;

struct Step {
    std::string kind; ///< the step's key as written ("serial_expect")
    Action action;
    SourcePos pos;
    std::string label; ///< optional `name:` of the step, for reports
};

inline constexpr Duration kDefaultTimeout{5000};
inline constexpr Duration kDefaultDeadline{std::chrono::hours(1)};

struct Scenario {
    std::string file; ///< path as given to the runner
    std::string name;
    std::string source; ///< the manual section it comes from, e.g. "G771 §3.4"
    std::string description;
    std::string profile = "g771";
    std::optional<std::uint64_t> seed; ///< --seed wins over the file; default 1
    Duration deadline = kDefaultDeadline;
    /// `clock:` what the scenario needs. Either (absent): it runs in virtual time, or in real time
    /// with --real-time. Virtual: exact device times or days of them, skipped with --real-time.
    /// Real: real peers, skipped without --real-time.
    enum class ClockNeed { Either, Virtual, Real };
    ClockNeed clock = ClockNeed::Either;
    /// `baud_pacing:` serial bytes move at the line rate AT+UART sets (both ways), as dtu-sim
    /// --baud-pacing; off: at once. Default on.
    bool baud_pacing = true;
    QJsonObject link;                ///< initial link (PUT /api/v1/link fields), empty = ideal link
    QJsonObject radio;               ///< initial radio (PUT /api/v1/radio fields)
    std::vector<ServerSpec> servers; ///< `servers:`, then `clients:` (ServerSpec::client set)
    std::vector<BrokerSpec> brokers;
    std::vector<std::pair<std::string, SourcePos>> params; ///< AT commands applied before the steps
    std::vector<FailPattern> fail_on;
    std::vector<Step> steps;
};

} // namespace dtu::sim::scenario
