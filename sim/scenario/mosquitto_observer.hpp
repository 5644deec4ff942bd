#pragma once
// The real-time broker's own client (mosquitto_broker.hpp): it sees what the device publishes and
// it publishes broker_publish's messages. MQTT 5, so its subscription to '#' (QoS 2) can ask for
// - retain as published: the device's retain flag arrives as the device set it, not cleared as
//   MQTT 3.1.1 clears it for a live message (§3.3.1.3);
// - no local: its own publishes do not come back, so they are never taken for the device's;
// - retained messages never sent at subscribe: a resubscription after a broker restart does not
//   repeat what was received before.
// QoS 2 granted means each message arrives at the QoS it was published with (MQTT 5 §3.8.4).
//
// libmosquitto runs it on its own thread (mosquitto_loop_start): the scenario's io_context may be
// blocked in a step while the broker restarts, and the observer must be subscribed before the
// device can publish again. Messages are handed over on the io_context's thread (posted), in order.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/io_context.hpp>

struct mosquitto;
struct mosquitto_message;

namespace dtu::sim::scenario {

class MosquittoObserver {
public:
    struct Message {
        std::string topic, payload;
        std::uint8_t qos = 0;
        bool retain = false;
    };
    using Credentials = std::pair<std::string, std::string>; ///< user, password
    /// Called on the io_context's thread, once per message. It may outlive the observer (messages
    /// received before its end are still handed over): it must guard what it captures.
    using OnMessage = std::function<void(const Message&)>;

    /// Connect to 127.0.0.1:port and wait until the subscription is acknowledged; throws
    /// std::runtime_error (with libmosquitto's reason) if that does not happen within timeout.
    MosquittoObserver(boost::asio::io_context& io, std::uint16_t port, const std::string& client_id,
                      const std::optional<Credentials>& credentials, OnMessage on_message,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /// DISCONNECT and the thread stopped: nothing more is received.
    ~MosquittoObserver();
    MosquittoObserver(const MosquittoObserver&) = delete;
    MosquittoObserver& operator=(const MosquittoObserver&) = delete;

    /// Publish and wait until it is complete (QoS 0: written; 1: PUBACK; 2: PUBCOMP), so the broker
    /// has it before the step that follows. False (why in error) if libmosquitto refused it or it
    /// did not complete within timeout.
    bool publish(std::string_view topic, std::string_view payload, int qos, bool retain, std::string& error,
                 std::chrono::milliseconds timeout = std::chrono::seconds(5));

    /// Wait until libmosquitto's thread has seen the connection end (the broker stopped): every
    /// message the broker sent before is handed over by then. False if not within timeout.
    bool wait_connection_lost(std::chrono::milliseconds timeout);

private:
    static void cb_disconnect(mosquitto*, void* self, int rc);
    static void cb_connect(mosquitto*, void* self, int rc);
    static void cb_subscribe(mosquitto*, void* self, int mid, int count, const int* granted);
    static void cb_publish(mosquitto*, void* self, int mid);
    static void cb_message(mosquitto*, void* self, const mosquitto_message* msg);

    boost::asio::io_context& io_;
    OnMessage on_message_;
    struct Destroy {
        void operator()(mosquitto* m) const;
    };
    std::unique_ptr<mosquitto, Destroy> mosq_;
    std::mutex mutex_; ///< guards what follows (libmosquitto's thread and the io_context's)
    std::condition_variable changed_;
    int connack_ = -1;        ///< the last CONNACK's code, -1 before the first
    bool subscribed_ = false; ///< SUBACK of the current connection
    bool lost_ = false;       ///< the connection ended since the last CONNACK
    std::set<int> completed_; ///< publishes completed and not yet waited for
};

} // namespace dtu::sim::scenario
