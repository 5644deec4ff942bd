#include "sim/scenario/world.hpp"

#include <functional>
#include <stdexcept>

#include <QJsonArray>

#include "dtu/profile/profile.hpp"
#include "hal_sim/asio_net.hpp"
#include "hal_sim/asio_scheduler.hpp"
#include "hal_sim/sim_system.hpp"
#include "hal_sim/virtual_scheduler.hpp"
#include "sim/identity.hpp"
#include "sim/json_codec.hpp"
#include "sim/radio_json.hpp"
#include "sim/scenario/address.hpp"
#include "sim/scenario/mosquitto_broker.hpp"
#include "sim/scenario/server_parser.hpp"
#include "sim/scenario/tls_spec.hpp"
#include "sim/scenario/trace_schema.hpp"
#include "sim/scenario/virtual_broker.hpp"
#include "sim/sms_json.hpp"

namespace dtu::sim::scenario {
namespace {

QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

const profile::Profile& find_profile(const std::string& name) {
    const profile::Profile* p = profile::find(name);
    if (!p) throw std::invalid_argument("unknown profile '" + name + "'");
    return *p;
}

BoardConfig board_config(const WorldSetup& setup) {
    BoardConfig c;
    c.identity = default_identity();
    c.seed = setup.seed;
    c.baud_pacing = setup.baud_pacing;
    const LinkMerge link = merge_link_json(hal_sim::LinkConfig{}, setup.link);
    if (!link.config) throw std::invalid_argument("link: " + link.error);
    c.link = *link.config;
    if (!setup.radio.isEmpty()) {
        const hal_sim::SimModem modem(c.identity);
        const RadioMerge radio = merge_radio_json(modem, setup.radio);
        if (!radio.model) throw std::invalid_argument("radio: " + radio.error);
        c.radio = *radio.model;
    }
    c.log_level = hal::LogLevel::Debug;
    return c;
}

hal::Proto transport(ServerSpec::Protocol p) {
    return p == ServerSpec::Protocol::Udp ? hal::Proto::Udp : hal::Proto::Tcp;
}

/// Real time: the broker as a mosquitto process on a loopback port (mosquitto_broker.hpp), and that
/// port (the device's connections to spec.host:spec.port go there).
std::unique_ptr<BrokerPeer> start_real_broker(const BrokerSpec& spec, boost::asio::io_context& io,
                                              const std::function<Duration()>& run_time,
                                              std::uint16_t& port) {
    auto broker = std::make_unique<MosquittoBroker>(spec, io, run_time);
    port = broker->port();
    return broker;
}

QJsonObject broker_to_json(const BrokerSpec& b) {
    QJsonObject users;
    for (const auto& [user, password] : b.users)
        users.insert(q(user), q(password));
    QJsonArray refused;
    for (const std::string& id : b.refused_client_ids)
        refused.append(q(id));
    QJsonObject out{{"address", q(b.host + ":" + std::to_string(b.port))},
                    {"users", users},
                    {"anonymous", b.allow_anonymous},
                    {"refuse_client_ids", refused}};
    if (b.tls) out.insert("tls", tls_spec_to_json(*b.tls));
    return out;
}

/// A header's broker back; false when its address is not host:port.
bool broker_from_json(const QString& name, const QJsonObject& o, BrokerSpec& b) {
    b.name = name.toStdString();
    std::string why;
    const auto address = parse_address(o["address"].toString().toStdString(), why);
    if (!address) return false;
    b.host = address->host;
    b.port = address->port;
    const QJsonObject users = o["users"].toObject();
    for (auto it = users.begin(); it != users.end(); ++it)
        b.users.emplace(it.key().toStdString(), it.value().toString().toStdString());
    b.allow_anonymous = o["anonymous"].toBool(true);
    for (const QJsonValue id : o["refuse_client_ids"].toArray())
        b.refused_client_ids.insert(id.toString().toStdString());
    if (o.contains("tls")) {
        b.tls = tls_spec_from_json(o["tls"].toObject());
        if (!b.tls) return false;
    }
    return true;
}

/// A deadline as the header's deadline_us; one past what a trace's times can hold is cut to that.
qint64 deadline_us(Duration deadline) {
    constexpr auto max_ms = static_cast<std::int64_t>(kMaxTraceCount / 1000);
    return deadline.count() >= max_ms ? static_cast<qint64>(kMaxTraceCount) : deadline.count() * 1000;
}

} // namespace

World::World(const WorldSetup& setup) {
    if (setup.real_time) {
        io_ = std::make_unique<boost::asio::io_context>();
        scheduler_ = std::make_unique<hal_sim::AsioScheduler>(*io_);
    } else {
        scheduler_ = std::make_unique<hal_sim::VirtualScheduler>();
    }
    trace_ = std::make_unique<TraceRecorder>(*scheduler_);
    trace_->record(TraceKind::Scenario, setup_to_json(setup));
    broker_trace_ = std::make_unique<BrokerTrace>(*trace_);
    BoardConfig config = board_config(setup);
    if (setup.real_time) {
        config.io = io_.get();
        config.redirects = listen_for_servers(setup);
        const auto brokers = start_real_brokers(setup);
        config.redirects.insert(config.redirects.end(), brokers.begin(), brokers.end());
    }
    board_ = std::make_unique<Board>(*scheduler_, find_profile(setup.profile), config, *this);
    add_servers(setup);
    if (!setup.real_time) add_virtual_brokers(setup);
    board_->net().set_observer(this);
}

World::~World() {
    board_->net().set_observer(nullptr);
    board_.reset(); // its links end while the servers, brokers and listeners still exist
}

std::vector<hal_sim::AsioNetOptions::Redirect> World::start_real_brokers(const WorldSetup& setup) {
    std::vector<hal_sim::AsioNetOptions::Redirect> redirects;
    const std::function<Duration()> run_time = [this] {
        return std::chrono::duration_cast<Duration>(std::chrono::microseconds(trace_->now_us()));
    };
    for (const BrokerSpec& spec : setup.brokers) {
        std::uint16_t port = 0;
        std::unique_ptr<BrokerPeer> peer = start_real_broker(spec, *io_, run_time, port);
        peer->set_events(broker_trace_.get());
        redirects.push_back({hal::Proto::Tcp, spec.host, spec.port, port});
        on_log(hal::LogLevel::Info, "broker " + spec.name + " (" + spec.host + ":" +
                                        std::to_string(spec.port) +
                                        ") listens on 127.0.0.1:" + std::to_string(port));
        brokers_.emplace(spec.name, std::move(peer));
    }
    return redirects;
}

void World::add_virtual_brokers(const WorldSetup& setup) {
    hal_sim::VirtualNet& net = *board_->net().in_process();
    for (const BrokerSpec& spec : setup.brokers) {
        // With tls: the device's records go to the TLS front; the broker sees the plaintext.
        hal_sim::TlsServerPeer* front = spec.tls ? &tls_front(spec.name, *spec.tls, net) : nullptr;
        auto broker = std::make_unique<VirtualBroker>(
            spec, *scheduler_, front ? *front : static_cast<hal_sim::ServerLink&>(net), log_, *trace_);
        broker->set_events(broker_trace_.get());
        if (front) front->serve(*broker);
        net.add_server(hal::Proto::Tcp, spec.host, spec.port,
                       front ? static_cast<hal_sim::VirtualServer&>(*front) : *broker);
        virtual_brokers_.push_back(broker.get());
        brokers_.emplace(spec.name, std::move(broker));
    }
}

BrokerPeer* World::broker(const std::string& name) {
    const auto it = brokers_.find(name);
    return it == brokers_.end() ? nullptr : it->second.get();
}

std::vector<BrokerPeer*> World::brokers() {
    std::vector<BrokerPeer*> all;
    for (auto& [name, broker] : brokers_)
        all.push_back(broker.get());
    return all;
}

std::string World::broker_publish(const std::string& name, std::string_view topic, std::string_view payload,
                                  int qos, bool retain) {
    BrokerPeer* peer = broker(name);
    if (!peer) return "unknown broker '" + name + "'";
    trace_->record(TraceEvent{0,
                              TraceKind::BrokerPublish,
                              name,
                              0,
                              std::string(payload),
                              {{"topic", q(topic)}, {"qos", qos}, {"retain", retain}}});
    if (!peer->publish(topic, payload, qos, retain))
        return "broker '" + name + "' could not publish on '" + std::string(topic) + "'";
    return {};
}

std::string World::broker_state(const std::string& name, std::string_view state, int code) {
    BrokerPeer* peer = broker(name);
    if (!peer) return "unknown broker '" + name + "'";
    trace_->record(TraceEvent{0, TraceKind::BrokerState, name, 0, {}, {{"state", q(state)}, {"code", code}}});
    peer->set_state(state, code);
    return {};
}

std::string World::broker_drop(const std::string& name, bool reset) {
    BrokerPeer* peer = broker(name);
    if (!peer) return "unknown broker '" + name + "'";
    trace_->record(TraceEvent{0, TraceKind::BrokerDrop, name, 0, {}, {{"reset", reset}}});
    peer->drop_connections(reset);
    return {};
}

std::vector<hal_sim::AsioNetOptions::Redirect> World::listen_for_servers(const WorldSetup& setup) {
    std::vector<hal_sim::AsioNetOptions::Redirect> redirects;
    for (const ServerSpec& spec : setup.servers) {
        std::unique_ptr<hal_sim::LoopbackServer> listener;
        try {
            listener = std::make_unique<hal_sim::LoopbackServer>(*io_, transport(spec.protocol), log_);
        } catch (const boost::system::system_error& e) {
            throw std::runtime_error("server '" + spec.name + "' cannot listen on 127.0.0.1: " + e.what());
        }
        redirects.push_back({transport(spec.protocol), spec.host, spec.port, listener->port()});
        on_log(hal::LogLevel::Info, "server " + spec.name + " (" + spec.host + ":" +
                                        std::to_string(spec.port) +
                                        ") listens on 127.0.0.1:" + std::to_string(listener->port()));
        listeners_.emplace(spec.name, std::move(listener));
    }
    return redirects;
}

void World::add_servers(const WorldSetup& setup) {
    hal_sim::VirtualNet* in_process = board_->net().in_process();
    for (const ServerSpec& spec : setup.servers) {
        if (spec.protocol == ServerSpec::Protocol::WebSocket) {
            add_websocket_client(spec);
            continue;
        }
        hal_sim::LoopbackServer* listener = in_process ? nullptr : listeners_.at(spec.name).get();
        hal_sim::ServerLink& link = in_process ? static_cast<hal_sim::ServerLink&>(*in_process) : *listener;
        // With tls: the device's records go to the TLS front; the server sees the plaintext.
        hal_sim::TlsServerPeer* front = spec.tls ? &tls_front(spec.name, *spec.tls, link) : nullptr;
        auto server = std::make_unique<ScriptedServer>(spec, front ? *front : link, *trace_);
        hal_sim::VirtualServer& peer = front ? static_cast<hal_sim::VirtualServer&>(*front) : *server;
        if (front) front->serve(*server);
        if (spec.client && in_process)
            server->dial_through(*in_process); // `clients:` dial the device, nothing dials them
        else if (in_process)
            in_process->add_server(transport(spec.protocol), spec.host, spec.port, peer);
        else
            listener->serve(peer);
        servers_.emplace(spec.name, std::move(server));
    }
}

void World::add_websocket_client(const ServerSpec& spec) {
    hal_sim::VirtualWebSockets* ws = board_->websockets();
    if (!ws)
        throw std::invalid_argument("client '" + spec.name +
                                    "': this profile has no websocket server (the K7 has, K7 §4.2.6)");
    auto client = std::make_unique<ScriptedServer>(spec, *ws, *trace_);
    client->dial_websocket(*ws);
    servers_.emplace(spec.name, std::move(client));
}

hal_sim::TlsServerPeer& World::tls_front(const std::string& name, const TlsServerSpec& tls,
                                         hal_sim::ServerLink& link) {
    const auto ctx = hal_sim::build_tls_server_context(tls_server_config(tls));
    if (!ctx) throw std::invalid_argument("'" + name + "': tls: " + ctx.error);
    hal_sim::TlsServerPeer::Clock now; // real time: the host's clock
    if (!io_)                          // virtual time: the network's, as the board's (board.hpp)
        now = [this, start = scheduler_->now(), epoch = BoardConfig{}.network_epoch] {
            return epoch +
                   std::chrono::duration_cast<std::chrono::system_clock::duration>(scheduler_->now() - start);
        };
    auto front = std::make_unique<hal_sim::TlsServerPeer>(ctx.ctx, !tls.client_ca_pem.empty(), link, now);
    front->on_handshake([this, name](const hal_sim::TlsHandshake& h) {
        QJsonObject info{{"ok", h.ok}};
        if (h.ok) {
            info.insert("version", q(h.version));
            info.insert("cipher", q(h.cipher));
            info.insert("client_subject", q(h.client_subject));
        } else {
            info.insert("error", q(h.error));
        }
        trace_->record(TraceEvent{0, TraceKind::TlsHandshake, name, h.conn, {}, info});
    });
    return *tls_fronts_.emplace(name, std::move(front)).first->second;
}

const std::vector<hal_sim::TlsHandshake>* World::tls_handshakes(const std::string& name) const {
    const auto it = tls_fronts_.find(name);
    return it == tls_fronts_.end() ? nullptr : &it->second->handshakes();
}

ScriptedServer* World::server(const std::string& name) {
    const auto it = servers_.find(name);
    return it == servers_.end() ? nullptr : it->second.get();
}

std::vector<ScriptedServer*> World::servers() {
    std::vector<ScriptedServer*> all;
    for (auto& [name, server] : servers_)
        all.push_back(server.get());
    return all;
}

void World::power_on() {
    trace_->record(TraceKind::Power, {{"on", true}});
    board_->boot();
}

void World::power_off() {
    trace_->record(TraceKind::Power, {{"on", false}});
    board_->power_off();
}

void World::serial_write(std::string_view bytes) {
    trace_->record_bytes(TraceKind::SerialIn, bytes);
    board_->serial_write(bytes);
}

std::string World::apply_link(const QJsonObject& patch) {
    const LinkMerge merged = merge_link_json(board_->link().config(), patch);
    if (!merged.config) return merged.error;
    trace_->record(TraceKind::Link, patch);
    board_->link().set_config(*merged.config);
    return {};
}

void World::link_reset() {
    trace_->record(TraceKind::LinkReset);
    board_->net().reset_connections();
}

std::string World::apply_radio(const QJsonObject& patch) {
    const RadioMerge merged = merge_radio_json(board_->modem(), patch);
    if (!merged.model) return merged.error;
    trace_->record(TraceKind::Radio, patch);
    board_->modem().set_model(*merged.model);
    return {};
}

std::string World::sms_in(const QJsonObject& message) {
    std::string error;
    const auto sms = parse_sms_post(message, error);
    if (!sms) return error;
    trace_->record(TraceKind::SmsIn, message);
    board_->sms().submit(*sms);
    return {};
}

QJsonObject World::status() const { return status_to_json(board_->snapshot()); }

void World::on_serial_out(std::string_view bytes) {
    trace_->record_bytes(TraceKind::SerialOut, bytes);
    serial_.append(bytes);
}

void World::on_reboot(hal::ResetCause cause) {
    const char* name = hal_sim::SimSystem::cause_name(cause);
    trace_->record(TraceKind::Reboot, {{"cause", name}});
    reboots_.push_back(Reboot{name, serial_.size()});
}

void World::on_log(hal::LogLevel level, std::string_view line) {
    trace_->record(TraceKind::Log, {{"level", static_cast<int>(level)}, {"text", q(line)}});
}

void World::on_sms_sent(const hal_sim::SentMessage& message) {
    trace_->record(TraceKind::SmsOut, sent_message_to_json(message));
    sms_sent_.push_back(message);
}

void World::on_open(hal::LinkId link, hal::Proto proto, std::string_view host, std::uint16_t port) {
    trace_->record(TraceKind::NetOpen, net_open_info(link, proto, host, port));
}

void World::on_result(hal::LinkId link, hal::NetError why) {
    trace_->record(TraceKind::NetResult, net_result_info(link, why));
}

void World::on_to_device(hal::LinkId link, hal_sim::ConnId conn, std::string_view bytes) {
    std::string server;
    for (const auto& [name, s] : servers_)
        if (s->knows(conn)) server = name;
    for (const VirtualBroker* b : virtual_brokers_)
        if (b->knows(conn)) server = b->spec().name;
    trace_->record(TraceEvent{0, TraceKind::ToDevice, server, conn, std::string(bytes), {{"link", link}}});
}

QJsonObject setup_to_json(const WorldSetup& setup) {
    QJsonObject servers;
    for (const ServerSpec& s : setup.servers) {
        QJsonObject server{{"protocol", protocol_name(s.protocol)},
                           {"address", q(s.host + ":" + std::to_string(s.port))},
                           {"accept", s.accept}};
        if (s.tls) server.insert("tls", tls_spec_to_json(*s.tls));
        if (s.client) server.insert("client_port", s.client->device_port); // a `clients:` peer
        servers.insert(q(s.name), server);
    }
    QJsonObject brokers;
    for (const BrokerSpec& b : setup.brokers)
        brokers.insert(q(b.name), broker_to_json(b));
    return {{"name", q(setup.name)},
            {"file", q(setup.file)},
            {"profile", q(setup.profile)},
            {"seed", QString::number(setup.seed)},
            {"clock", setup.real_time ? "real" : "virtual"},
            {"baud_pacing", setup.baud_pacing},
            {"deadline_us", deadline_us(setup.deadline)},
            {"link", setup.link},
            {"radio", setup.radio},
            {"servers", servers},
            {"brokers", brokers}};
}

WorldSetup setup_from_json(const QJsonObject& header, std::string& error) {
    WorldSetup setup;
    setup.name = header["name"].toString().toStdString();
    setup.file = header["file"].toString().toStdString();
    setup.profile = header["profile"].toString("g771").toStdString();
    bool ok = false;
    setup.seed = header["seed"].toString().toULongLong(&ok);
    if (!ok) error = "scenario header: seed is not a number";
    setup.real_time = header["clock"].toString() == "real";
    // Absent: a trace written before baud pacing existed, so recorded unpaced.
    setup.baud_pacing = header["baud_pacing"].toBool(false);
    setup.deadline =
        std::chrono::duration_cast<Duration>(std::chrono::microseconds(trace_deadline_us(header)));
    setup.link = header["link"].toObject();
    setup.radio = header["radio"].toObject();
    const QJsonObject servers = header["servers"].toObject();
    for (auto it = servers.begin(); it != servers.end() && error.empty(); ++it) {
        const QJsonObject s = it.value().toObject();
        ServerSpec spec;
        spec.name = it.key().toStdString();
        const QString protocol = s["protocol"].toString();
        spec.protocol = protocol == "udp"         ? ServerSpec::Protocol::Udp
                        : protocol == "http"      ? ServerSpec::Protocol::Http
                        : protocol == "websocket" ? ServerSpec::Protocol::WebSocket
                                                  : ServerSpec::Protocol::Tcp;
        std::string why;
        const auto address = parse_address(s["address"].toString().toStdString(), why);
        if (!address) {
            error = "scenario header: server '" + spec.name + "' has no valid address";
            break;
        }
        spec.host = address->host;
        spec.port = address->port;
        spec.accept = s["accept"].toBool(true);
        if (s.contains("client_port"))
            spec.client = ClientEnd{static_cast<std::uint16_t>(s["client_port"].toInt()),
                                    ipv4_of(spec.host).value_or(0)};
        if (s.contains("tls")) {
            spec.tls = tls_spec_from_json(s["tls"].toObject());
            if (!spec.tls) {
                error = "scenario header: server '" + spec.name + "' has a tls without cert_pem and key_pem";
                break;
            }
        }
        setup.servers.push_back(std::move(spec));
    }
    const QJsonObject brokers = header["brokers"].toObject();
    for (auto it = brokers.begin(); it != brokers.end() && error.empty(); ++it) {
        BrokerSpec spec;
        if (broker_from_json(it.key(), it.value().toObject(), spec))
            setup.brokers.push_back(std::move(spec));
        else
            error = "scenario header: broker '" + it.key().toStdString() +
                    "' has no valid address, or a tls without cert_pem and key_pem";
    }
    return setup;
}

} // namespace dtu::sim::scenario
