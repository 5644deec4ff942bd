#pragma once
// What a mosquitto broker knows of its clients, read from its log (log_type all, mosquitto 2.0):
// the real-time broker's session() and its will detection (mosquitto_broker.hpp). Lines used:
//   New client connected from 127.0.0.1:40144 as dev1 (p2, c0, k30, u'dtu').
//   Will message specified (7 bytes) (r0, q1).  /  No will message specified.
//   <TAB>/will                                   (the will topic, after the line above)
//   Received SUBSCRIBE from dev1  /  <TAB>/SubTopic1 (QoS 0)
//   Received UNSUBSCRIBE from dev1  /  <TAB>/SubTopic1
//   Received PUBLISH from dev1 (d0, q1, r0, m1, '/topic', ... (5 bytes))
//   Client dev1 disconnected.                    (DISCONNECT: no will)
//   Client dev1 closed its connection.  Socket error on client dev1, disconnecting.
//   Client dev1 has exceeded timeout, disconnecting.  Client dev1 disconnected due to ...
//   Client dev1 already connected, closing old connection.   (each: the will is published)
//   Sending CONNACK to dev1 (0, 0)  /  Sending CONNACK to 127.0.0.1 (0, 5)    (refused: no id)
//   mosquitto version 2.0.11 terminating      (every connection ends; the wills are published)
// A line may carry mosquitto's "1796188159: " time prefix. Nothing here does I/O.
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hal_sim/mqtt_broker_types.hpp"
#include "sim/scenario/broker_peer.hpp"

namespace dtu::sim::scenario {

/// What a line reports, for the broker's trace events (BrokerEvents).
struct MosquittoLogEvent {
    enum class Kind : std::uint8_t { Connack, Ended };
    Kind kind = Kind::Connack;
    std::string client_id; ///< Connack: "" for a refused CONNECT (mosquitto names only its address)
    int code = 0;          ///< Connack: the return code
    bool will = false;     ///< Connack: the CONNECT carried a will
    hal_sim::MqttSessionEnd why = hal_sim::MqttSessionEnd::None; ///< Ended: why, as the model names it
};

class MosquittoLog {
public:
    /// own_client_id: the broker's own client (the observer), never "the last client".
    explicit MosquittoLog(std::string own_client_id) : own_id_(std::move(own_client_id)) {}
    /// One log line, without its newline; what it reports, in order (mostly nothing).
    std::vector<MosquittoLogEvent> add_line(std::string_view line);
    /// The client's session as the log shows it (an empty id: the client that connected last);
    /// nullopt if it never connected.
    std::optional<BrokerSessionView> session(std::string_view client_id) const;
    /// A will on topic is owed (a client with that will topic ended abnormally and no message on
    /// the topic has been taken as its will yet): take it, and whose it is. nullopt if none is owed.
    std::optional<std::string> take_will(std::string_view topic);
    /// Who published the oldest message on topic not taken yet ("Received PUBLISH from dev1 (d0,
    /// q1, r0, m1, '/x', ... (2 bytes))"); "" if the log names none.
    std::string take_publisher(std::string_view topic);

private:
    struct Client {
        BrokerSessionView view;
        std::optional<std::string> will_topic;
    };
    enum class Next : std::uint8_t { Nothing, WillTopic, Filters, Unfilters };

    void indented(std::string_view item);
    void connected(std::string_view rest);
    void published(std::string_view rest);
    std::optional<MosquittoLogEvent> connack(std::string_view rest);
    std::vector<MosquittoLogEvent> client_line(std::string_view line);
    std::optional<MosquittoLogEvent> ended(std::string_view client_id, bool will,
                                           hal_sim::MqttSessionEnd why);
    Client* find(std::string_view client_id);

    std::string own_id_;
    std::map<std::string, Client, std::less<>> clients_;
    std::string last_;    ///< the client that connected last
    std::string current_; ///< the client the indented lines that follow are about
    Next next_ = Next::Nothing;
    std::map<std::string, std::deque<std::string>, std::less<>> owed_wills_; ///< will topic -> whose
    std::map<std::string, std::deque<std::string>, std::less<>> publishers_; ///< topic -> who, in order
};

} // namespace dtu::sim::scenario
