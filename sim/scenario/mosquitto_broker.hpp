#pragma once
// A scenario's broker in real time (`brokers:` with --real-time): a mosquitto process (Debian's
// mosquitto 2.0) on a free 127.0.0.1 port, which the device's opens of the broker's declared
// address are redirected to (World). The same BrokerPeer the steps use in virtual time
// (broker_peer.hpp), so one scenario file runs both ways; the real-vs-virtual tests compare them.
//
// What each operation is here:
// - the broker: mosquitto with allow_anonymous and a password file (mosquitto_passwd) of the
//   spec's users; persistence on, so a restart keeps retained messages and persistent sessions as
//   the model keeps them across broker_drop. refused_client_ids cannot be said to mosquitto (it
//   only has an allow-list of prefixes): such a broker is refused (std::invalid_argument), its
//   scenarios are virtual-only.
// - tls: the device's listener presents the spec's certificate (and asks for a client certificate
//   when the spec names a client CA); the observer uses a plain listener beside it.
// - received(): an observer client (mosquitto_observer.hpp) records each message with its run
//   time, its QoS and retain flag as the device published them. A will is a message on the will
//   topic of a device session whose connection the log shows ended without DISCONNECT
//   (mosquitto_log.hpp), one message per such end; the observer's own publishes are not seen.
//   client_id: the log's "Received PUBLISH from ID" for the topic (the will's: whose it is).
// - events (the trace): messages as they are received; CONNACKs and session ends from the log,
//   read every 20 ms (a refused CONNECT's client id is not in mosquitto's log: reported as "");
//   deliveries towards the device are not reported (mosquitto does not log their payload).
// - publish(): through the observer's session; returns once the broker has it.
// - set_state: down = the process stopped (connections end, wills published, the port refuses); up = started
// again
//   on the same port; refusing / silent = stopped, and a small loopback front (connack_front.hpp)
//   on the port answers every CONNECT with CONNACK N / never answers.
// - drop_connections(): the process restarted (SIGTERM: every connection closed with FIN; reset is
//   not distinguished). mosquitto publishes the wills of the clients still connected as it shuts
//   down, as the model's drop_all does; the observer is connected until then and sees them.
// - session(): from mosquitto's log lines: client id, user name, protocol level, keep-alive, clean
//   session and subscriptions are what the CONNECT and SUBSCRIBEs said; connected is what the log
//   last said.
// Process lifetime is RAII: stopped (SIGTERM, then SIGKILL) and reaped in the destructor, the
// temporary directory (config, password file, log, database) removed.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "sim/process/mosquitto_process.hpp"
#include "sim/scenario/broker_peer.hpp"
#include "sim/scenario/connack_front.hpp"
#include "sim/scenario/mosquitto_log.hpp"
#include "sim/scenario/mosquitto_observer.hpp"

namespace dtu::sim::scenario {

class MosquittoBroker final : public BrokerPeer {
public:
    /// The observer's client id.
    static constexpr const char* kObserverId = "dtu-sim-observer";

    /// Starts the broker and its observer; run_time gives the scenario's time for received(). Throws
    /// std::invalid_argument for a spec mosquitto cannot express, std::runtime_error (with the
    /// broker's log) when it does not start.
    MosquittoBroker(const BrokerSpec& spec, boost::asio::io_context& io, std::function<Duration()> run_time);
    ~MosquittoBroker() override;
    MosquittoBroker(const MosquittoBroker&) = delete;
    MosquittoBroker& operator=(const MosquittoBroker&) = delete;

    /// Where it listens on 127.0.0.1 for the device (the same across restarts and states).
    std::uint16_t port() const { return process_.port(0); }
    /// The mosquitto process while it runs, else -1; its directory (config, log, database).
    pid_t pid() const { return process_.pid(); }
    const std::filesystem::path& dir() const { return process_.dir(); }
    /// mosquitto's log so far (for error messages).
    std::string log() const { return process_.log(); }

    // BrokerPeer
    const BrokerSpec& spec() const override { return spec_; }
    const std::vector<BrokerReceived>& received() const override { return received_; }
    bool publish(std::string_view topic, std::string_view payload, int qos, bool retain) override;
    void set_state(std::string_view state, int refuse_code) override;
    void drop_connections(bool reset) override;
    std::optional<BrokerSessionView> session(std::string_view client_id) const override;

private:
    void start();
    void stop();
    void on_message(const MosquittoObserver::Message& m);
    void read_log() const;
    void poll_log();
    void report(const MosquittoLogEvent& e) const;
    /// The observer's listener: the device's, or a plain one beside a TLS listener.
    std::uint16_t observer_port() const { return process_.port(spec_.tls ? 1 : 0); }

    BrokerSpec spec_;
    boost::asio::io_context& io_;
    std::function<Duration()> run_time_;
    std::optional<MosquittoObserver::Credentials> observer_login_;
    process::TempDir files_{"dtu-sim-broker-tls"}; ///< tls: the certificate files mosquitto reads
    process::MosquittoProcess process_;
    boost::asio::steady_timer poll_;
    std::unique_ptr<MosquittoObserver> observer_;
    std::unique_ptr<ConnackFront> front_;
    std::optional<std::uint8_t> front_code_; ///< the front's CONNACK code (refusing), or silent
    std::vector<BrokerReceived> received_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true); ///< for messages posted to io_
    mutable MosquittoLog log_{kObserverId};
    mutable std::uintmax_t log_read_ = 0; ///< bytes of the log file parsed
    mutable std::string log_partial_;     ///< a line not yet ended
};

} // namespace dtu::sim::scenario
