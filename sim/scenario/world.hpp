#pragma once
// Everything one scenario run (or one replay) happens in: a scheduler, a Board with the firmware,
// the scenario's servers, and the trace of it all. The step runner and replay both drive a World;
// it turns every input into a trace event before applying it and records every output as it
// happens.
//
// Virtual time (the default): a VirtualScheduler, and the servers are in-process peers on the
// board's VirtualNet. Real time (`clock: real`, --real-time): an io_context with an AsioScheduler,
// host sockets and the mosquitto-based MQTT service, so the device reaches real peers (a broker,
// the user's server); each declared server listens on a loopback port of its own and the device's
// opens to its declared address are redirected there.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <QJsonObject>
#include <boost/asio/io_context.hpp>

#include "hal_sim/loopback_server.hpp"
#include "hal_sim/scheduler.hpp"
#include "hal_sim/sms_center.hpp"
#include "hal_sim/tls_server_peer.hpp"
#include "sim/scenario/board.hpp"
#include "sim/scenario/broker_peer.hpp"
#include "sim/scenario/broker_trace.hpp"
#include "sim/scenario/match_stream.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scripted_server.hpp"
#include "sim/scenario/trace_recorder.hpp"

namespace dtu::profile {
struct Profile;
}

namespace dtu::sim::scenario {

class VirtualBroker;

/// What a World is built from (the trace header carries the same).
struct WorldSetup {
    std::string name, file, profile = "g771";
    std::uint64_t seed = 1;
    QJsonObject link, radio; ///< patches as in the scenario file (validated by the parser)
    std::vector<ServerSpec> servers;
    std::vector<BrokerSpec> brokers;
    bool real_time = false; ///< host time, host sockets and real peers
    /// The serial line is paced (BoardConfig::baud_pacing). A live trace's serial_in times are the
    /// firmware's (dtu-sim paced them already), so its header says false.
    bool baud_pacing = true;
    /// The run's bound in device time: the World does not use it, the header carries it so that
    /// replay keeps to it.
    Duration deadline = kDefaultDeadline;
};

class World final : public BoardObserver, public hal_sim::NetObserver {
public:
    /// Throws std::invalid_argument when the profile is unknown or a patch is invalid (the parser
    /// has checked both for scenario files; a hand-edited trace may still have them wrong), and
    /// std::runtime_error when a real-time server cannot listen.
    explicit World(const WorldSetup& setup);
    ~World() override;
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    hal_sim::RunnableScheduler& scheduler() { return *scheduler_; }
    TraceRecorder& trace() { return *trace_; }
    Board& board() { return *board_; }
    /// nullptr for a name the setup does not declare.
    ScriptedServer* server(const std::string& name);
    std::vector<ScriptedServer*> servers();
    /// nullptr for a name the setup does not declare.
    BrokerPeer* broker(const std::string& name);
    std::vector<BrokerPeer*> brokers();
    /// The handshakes a `tls:` server saw, in order; nullptr for a server without tls.
    const std::vector<hal_sim::TlsHandshake>* tls_handshakes(const std::string& name) const;

    // Inputs: recorded, then applied. Errors (a patch that does not apply) come back as text.
    void power_on();
    void power_off();
    void serial_write(std::string_view bytes);
    std::string apply_link(const QJsonObject& patch);
    void link_reset();
    std::string apply_radio(const QJsonObject& patch);
    std::string sms_in(const QJsonObject& message);
    /// The broker steps (broker_publish, broker_state, broker_drop); an error text when the broker is
    /// not declared or refuses.
    std::string broker_publish(const std::string& broker, std::string_view topic, std::string_view payload,
                               int qos, bool retain);
    std::string broker_state(const std::string& broker, std::string_view state, int code);
    std::string broker_drop(const std::string& broker, bool reset);

    // Outputs, as the runner waits on them.
    MatchStream& serial() { return serial_; }
    const std::vector<hal_sim::SentMessage>& sms_sent() const { return sms_sent_; }
    struct Reboot {
        std::string cause;             ///< "RSTIM", "AT+S", ... (SimSystem::cause_name)
        std::size_t serial_offset = 0; ///< serial output before it
    };
    /// Firmware resets in order.
    const std::vector<Reboot>& reboots() const { return reboots_; }
    /// GET /api/v1/status as JSON.
    QJsonObject status() const;

private:
    // BoardObserver
    void on_serial_out(std::string_view bytes) override;
    void on_reboot(hal::ResetCause cause) override;
    void on_log(hal::LogLevel level, std::string_view line) override;
    void on_sms_sent(const hal_sim::SentMessage& message) override;
    // hal_sim::NetObserver
    void on_open(hal::LinkId link, hal::Proto proto, std::string_view host, std::uint16_t port) override;
    void on_result(hal::LinkId link, hal::NetError why) override;
    void on_to_device(hal::LinkId link, hal_sim::ConnId conn, std::string_view bytes) override;

    /// Log lines of the World's own parts (real-time servers), into the trace like the board's.
    class TraceLog final : public hal::Log {
    public:
        explicit TraceLog(World& world) : world_(world) {}
        void write(hal::LogLevel level, std::string_view line) override { world_.on_log(level, line); }

    private:
        World& world_;
    };

    /// Real time: each server's listener, and the board's redirects to them.
    std::vector<hal_sim::AsioNetOptions::Redirect> listen_for_servers(const WorldSetup& setup);
    void add_servers(const WorldSetup& setup);
    /// Real time: each broker's process, and the board's redirects to it (before the board).
    std::vector<hal_sim::AsioNetOptions::Redirect> start_real_brokers(const WorldSetup& setup);
    /// Virtual time: each broker on the board's VirtualNet (after the board).
    void add_virtual_brokers(const WorldSetup& setup);
    /// A `tls:` server's TLS front on link (records each handshake in the trace).
    /// A websocket `clients:` peer on the board's websocket server (virtual time, K7 §4.2.6).
    void add_websocket_client(const ServerSpec& spec);
    /// A `tls:` server's or broker's TLS front on link (records each handshake in the trace).
    hal_sim::TlsServerPeer& tls_front(const std::string& name, const TlsServerSpec& tls,
                                      hal_sim::ServerLink& link);

    std::unique_ptr<boost::asio::io_context> io_; ///< real time only
    std::unique_ptr<hal_sim::RunnableScheduler> scheduler_;
    std::unique_ptr<TraceRecorder> trace_;
    TraceLog log_{*this};
    std::map<std::string, std::unique_ptr<hal_sim::LoopbackServer>> listeners_; ///< real time only
    std::unique_ptr<Board> board_;
    /// `tls:` servers' fronts: between the link and the ScriptedServer, so declared before servers_.
    std::map<std::string, std::unique_ptr<hal_sim::TlsServerPeer>> tls_fronts_;
    std::map<std::string, std::unique_ptr<ScriptedServer>> servers_;
    std::unique_ptr<BrokerTrace> broker_trace_;
    std::map<std::string, std::unique_ptr<BrokerPeer>> brokers_;
    std::vector<VirtualBroker*> virtual_brokers_; ///< virtual time: brokers_ as the net sees them
    MatchStream serial_;
    std::vector<hal_sim::SentMessage> sms_sent_;
    std::vector<Reboot> reboots_;
};

/// Trace header info of a setup (TraceKind::Scenario) and back (replay).
QJsonObject setup_to_json(const WorldSetup& setup);
WorldSetup setup_from_json(const QJsonObject& header, std::string& error);

} // namespace dtu::sim::scenario
