#include "sim/json_codec.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string_view>

#include <QJsonArray>
#include <QJsonValue>
#include <QString>

#include "hal_sim/mqtt_service.hpp"
#include "sim/httpd_json.hpp"
#include "sim/json_fields.hpp"
#include "sim/mqtt_json.hpp"
#include "sim/sms_json.hpp"

namespace dtu::sim {
namespace {

using hal_sim::DirectionConfig;
using hal_sim::JitterDistribution;
using hal_sim::LinkConfig;
using hal_sim::LossModel;

qint64 count(std::uint64_t n) { return static_cast<qint64>(n); } // counters stay far below 2^63

constexpr Name<JitterDistribution> kJitterNames[] = {{"uniform", JitterDistribution::Uniform},
                                                     {"normal", JitterDistribution::Normal}};
constexpr Name<LossModel> kLossModelNames[] = {{"independent", LossModel::Independent},
                                               {"gilbert_elliott", LossModel::GilbertElliott}};

template <typename E, std::size_t N> const char* name_of(const Name<E> (&names)[N], E value) {
    for (const auto& n : names)
        if (n.value == value) return n.text;
    return "unknown";
}

void read_gilbert(FieldReader& in, hal_sim::GilbertElliott& g) {
    in.only({"p", "r", "loss_good", "loss_bad"});
    in.number("p", g.p, 1.0);
    in.number("r", g.r, 1.0);
    in.number("loss_good", g.loss_good, 1.0);
    in.number("loss_bad", g.loss_bad, 1.0);
}

void read_direction(FieldReader& in, DirectionConfig& d) {
    in.only(
        {"latency_ms", "jitter_ms", "jitter", "loss", "loss_model", "gilbert", "bandwidth_kbps", "stall"});
    in.number("latency_ms", d.latency_ms, kMaxLinkTimeMs);
    in.number("jitter_ms", d.jitter_ms, kMaxLinkTimeMs);
    in.choice("jitter", d.jitter, kJitterNames);
    in.number("loss", d.loss, 1.0);
    in.choice("loss_model", d.loss_model, kLossModelNames);
    in.object("gilbert", [&](FieldReader& g) { read_gilbert(g, d.gilbert); });
    in.number("bandwidth_kbps", d.bandwidth_kbps, kMaxBandwidthKbps);
    in.boolean("stall", d.stall);
}

/// The starting point of a merge: base, or the named profile when the patch has "profile".
std::optional<LinkConfig> merge_start(const LinkConfig& base, const QJsonObject& patch, std::string& error) {
    const QJsonValue name = patch.value("profile");
    if (name.isUndefined()) return base;
    const std::string available = " (available: " + std::string(hal_sim::link_profile_names()) + ")";
    if (!name.isString()) {
        error = "profile must be a link profile name" + available;
        return std::nullopt;
    }
    const std::string text = name.toString().toStdString();
    auto profile = hal_sim::link_profile(text);
    if (!profile) error = "unknown link profile '" + text + "'" + available;
    return profile;
}

QJsonObject direction_to_json(const DirectionConfig& d) {
    QJsonObject gilbert{{"p", d.gilbert.p},
                        {"r", d.gilbert.r},
                        {"loss_good", d.gilbert.loss_good},
                        {"loss_bad", d.gilbert.loss_bad}};
    return QJsonObject{{"latency_ms", d.latency_ms},
                       {"jitter_ms", d.jitter_ms},
                       {"jitter", name_of(kJitterNames, d.jitter)},
                       {"loss", d.loss},
                       {"loss_model", name_of(kLossModelNames, d.loss_model)},
                       {"gilbert", gilbert},
                       {"bandwidth_kbps", d.bandwidth_kbps},
                       {"stall", d.stall}};
}

QJsonObject socket_to_json(const device::SocketStatus& s) {
    return QJsonObject{{"name", QString(QChar::fromLatin1(s.name))},
                       {"enabled", s.enabled},
                       {"protocol", q(s.protocol)},
                       {"host", q(s.host)},
                       {"port", static_cast<int>(s.port)},
                       {"on_backup", s.on_backup},
                       {"state", link_state_name(s.state)},
                       {"tx_bytes", count(s.tx_bytes)},
                       {"rx_bytes", count(s.rx_bytes)},
                       {"tx_packets", count(s.tx_packets)},
                       {"rx_packets", count(s.rx_packets)},
                       {"connects", count(s.connects)},
                       {"reconnects", count(s.reconnects)},
                       {"cached_bytes", count(s.cached_bytes)},
                       {"cache_dropped_bytes", count(s.cache_dropped_bytes)}};
}

QJsonObject counters_to_json(const device::Counters& c) {
    return QJsonObject{
        {"uart_rx_bytes", count(c.uart_rx_bytes)},     {"uart_tx_bytes", count(c.uart_tx_bytes)},
        {"at_commands", count(c.at_commands)},         {"at_errors", count(c.at_errors)},
        {"line_overflows", count(c.line_overflows)},   {"data_frames", count(c.data_frames)},
        {"data_bytes", count(c.data_bytes)},           {"data_bytes_dropped", count(c.data_bytes_dropped)},
        {"uart_rx_dropped", count(c.uart_rx_dropped)}, {"flow_holds", count(c.flow_holds)}};
}

QJsonObject rfc2217_to_json(const device::Rfc2217Status& r) {
    return QJsonObject{{"applied", count(r.applied)},
                       {"refused", count(r.refused)},
                       {"bad_checksums", count(r.bad_checksums)},
                       {"held_released", count(r.held_released)},
                       {"last", r.last.empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(q(r.last))}};
}

QJsonValue text_or_null(const std::string& s) {
    return s.empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(q(s));
}

// The K7's UDP 1901 search / configuration service (spec k7-ethernet §11); all zero elsewhere.
QJsonObject discovery_to_json(const device::DiscoveryStatus& d) {
    return QJsonObject{{"listening", d.listening},          {"frames", count(d.frames)},
                       {"searches", count(d.searches)},     {"commands", count(d.commands)},
                       {"refused", count(d.refused)},       {"ignored", count(d.ignored)},
                       {"bad_frames", count(d.bad_frames)}, {"rejected", count(d.rejected)}};
}

// The K7's network AT over UDP on the SEARCH port (spec k7-ethernet §10); all zero elsewhere.
QJsonObject network_at_to_json(const device::NetworkAtStatus& n) {
    return QJsonObject{
        {"listening", n.listening},      {"port", static_cast<int>(n.port)}, {"in_session", n.in_session},
        {"peer", text_or_null(n.peer)},  {"datagrams", count(n.datagrams)},  {"sessions", count(n.sessions)},
        {"commands", count(n.commands)}, {"ignored", count(n.ignored)},      {"expired", count(n.expired)}};
}

QJsonObject websocket_to_json(const device::WebSocketStatus& w) {
    return QJsonObject{{"listening", w.listening},
                       {"port", w.port},
                       {"clients", static_cast<int>(w.clients)},
                       {"accepted", count(w.accepted)},
                       {"refused", count(w.refused)},
                       {"closed", count(w.closed)},
                       {"messages_in", count(w.messages_in)},
                       {"bytes_in", count(w.bytes_in)},
                       {"messages_out", count(w.messages_out)},
                       {"bytes_out", count(w.bytes_out)},
                       {"send_dropped", count(w.send_dropped)}};
}

// The K7's web page (K7 §5.2, spec k7-ethernet §12); all zero elsewhere.
QJsonObject web_to_json(const device::WebStatus& w) {
    return QJsonObject{{"serving", w.serving},
                       {"port", w.port},
                       {"requests", count(w.requests)},
                       {"login_failures", count(w.login_failures)},
                       {"form_rejects", count(w.form_rejects)},
                       {"forms_saved", count(w.forms_saved)}};
}

QJsonObject serial_to_json(const BoardSnapshot& board) {
    const hal_sim::PtyCounters& s = board.serial;
    return QJsonObject{{"client_connected", s.client_connected},
                       {"client_connects", count(s.connects)},
                       {"tx_bytes", count(s.tx_bytes)},
                       {"rx_bytes", count(s.rx_bytes)},
                       {"overflow_bytes", count(s.overflow_bytes)},
                       {"queued_bytes", count(s.queued_bytes)},
                       {"rx_bytes_without_firmware", count(board.serial_rx_without_firmware)},
                       {"baud_pacing", s.paced},
                       {"baud", count(s.line.baud)},
                       {"bits_per_byte", count(s.line.bits_per_byte())},
                       {"rx_fifo_bytes", count(s.rx_fifo_bytes)},
                       {"rx_held", s.rx_held},
                       {"rx_holds", count(s.rx_holds)}};
}

QJsonObject traffic_to_json(const hal_sim::DirectionCounters& c) {
    return QJsonObject{{"packets", count(c.packets)},
                       {"bytes", count(c.bytes)},
                       {"dropped", count(c.dropped)},
                       {"delayed", count(c.delayed)},
                       {"retransmitted", count(c.retransmitted)},
                       {"overflow", count(c.overflow)},
                       {"held", count(c.held)}};
}

/// A link's TLS: null for a plain link; version and cipher are null until the handshake completed.
QJsonValue tls_to_json(const hal_sim::NetLinkSnapshot& l) {
    if (!l.tls) return QJsonValue(QJsonValue::Null);
    auto text = [](const std::string& s) {
        return s.empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(q(s));
    };
    return QJsonObject{
        {"version", text(l.tls_version)}, {"cipher", text(l.tls_cipher)}, {"verified", l.tls_verified}};
}

QJsonObject net_to_json(const BoardSnapshot& board) {
    QJsonArray links;
    for (const hal_sim::NetLinkSnapshot& l : board.net_links)
        links.append(QJsonObject{{"id", static_cast<int>(l.id)},
                                 {"protocol", l.proto == hal::Proto::Tcp ? "TCP" : "UDP"},
                                 {"host", q(l.host)},
                                 {"port", static_cast<int>(l.port)},
                                 {"remote", q(l.remote)},
                                 {"local", q(l.local)},
                                 {"state", hal_sim::AsioNet::state_name(l.state)},
                                 {"tx_bytes", count(l.tx_bytes)},
                                 {"tx_packets", count(l.tx_packets)},
                                 {"rx_bytes", count(l.rx_bytes)},
                                 {"rx_packets", count(l.rx_packets)},
                                 {"up_queued_bytes", count(l.up_queued_bytes)},
                                 {"down_queued_bytes", count(l.down_queued_bytes)},
                                 {"tls", tls_to_json(l)}});
    QJsonArray listeners;
    for (const hal_sim::NetListenSnapshot& l : board.net_listeners) {
        const std::string name = hal_sim::listen_name(l.proto, l.port);
        const auto bound = board.ports.find(name); // a scenario's board binds nothing on the host
        const bool tcp = l.proto == hal::Proto::Tcp;
        const QJsonValue bound_at =
            bound == board.ports.end() ? QJsonValue(QJsonValue::Null) : QJsonValue(q(bound->second));
        const QJsonValue clients =
            tcp ? QJsonValue(static_cast<int>(l.clients)) : QJsonValue(QJsonValue::Null);
        listeners.append(QJsonObject{{"id", static_cast<int>(l.id)},
                                     {"protocol", tcp ? "TCP" : "UDP"},
                                     {"port", static_cast<int>(l.port)},
                                     {"name", q(name)},
                                     {"bound", bound_at},
                                     {"clients", clients}});
    }
    const hal_sim::NetCounters& c = board.net;
    const QJsonObject counters{{"opens", count(c.opens)},
                               {"connects", count(c.connects)},
                               {"connect_failures", count(c.connect_failures)},
                               {"closed_by_peer", count(c.closed_by_peer)},
                               {"closed_not_attached", count(c.closed_not_attached)},
                               {"closes", count(c.closes)},
                               {"send_refused", count(c.send_refused)},
                               {"udp_rx_foreign", count(c.udp_rx_foreign)},
                               {"accepts", count(c.accepts)},
                               {"accept_refused", count(c.accept_refused)},
                               {"udp_rx_unbound", count(c.udp_rx_unbound)},
                               {"tls_failures", count(c.tls_failures)},
                               {"tls_errors", count(c.tls_errors)}};
    const QJsonValue last_tls_error = board.net_last_tls_error.empty()
                                          ? QJsonValue(QJsonValue::Null)
                                          : QJsonValue(q(board.net_last_tls_error));
    return QJsonObject{{"links", links},
                       {"listeners", listeners},
                       {"counters", counters},
                       {"last_tls_error", last_tls_error}};
}

QJsonObject mqtt_service_to_json(const hal_sim::MqttServiceSnapshot& m) {
    const hal_sim::MqttServiceCounters& c = m.counters;
    return QJsonObject{{"state", hal_sim::mqtt_service_state_name(m.state)},
                       {"broker", q(m.broker)},
                       {"client_id", q(m.client_id)},
                       {"protocol_level", m.protocol_level},
                       {"tls", m.tls},
                       {"connects", count(c.connects)},
                       {"sessions", count(c.sessions)},
                       {"connect_failures", count(c.connect_failures)},
                       {"sessions_lost", count(c.sessions_lost)},
                       {"messages_out", count(c.messages_out)},
                       {"bytes_out", count(c.bytes_out)},
                       {"messages_in", count(c.messages_in)},
                       {"bytes_in", count(c.bytes_in)},
                       {"publish_no_session", count(c.publish_no_session)},
                       {"publish_oversize", count(c.publish_oversize)},
                       {"queue_full", count(c.queue_full)},
                       {"incoming_dropped", count(c.incoming_dropped)},
                       {"incoming_dropped_bytes", count(c.incoming_dropped_bytes)},
                       {"pending_messages", count(m.pending_messages)},
                       {"pending_bytes", count(m.pending_bytes)},
                       {"last_error", q(m.last_error)}};
}

} // namespace

QJsonObject link_to_json(const LinkConfig& link) {
    return QJsonObject{{"attached", link.attached},
                       {"dns_failure", link.dns_failure},
                       {"refuse_connections", link.refuse_connections},
                       {"connect_delay_ms", link.connect_delay_ms},
                       {"tcp_retransmit_ms", link.tcp_retransmit_ms},
                       {"upstream", direction_to_json(link.upstream)},
                       {"downstream", direction_to_json(link.downstream)}};
}

LinkMerge merge_link_json(const LinkConfig& base, const QJsonObject& patch) {
    LinkMerge result;
    std::optional<LinkConfig> config = merge_start(base, patch, result.error);
    if (!config) return result;
    FieldReader in(patch, "", result.error);
    in.only({"profile", "attached", "dns_failure", "refuse_connections", "connect_delay_ms",
             "tcp_retransmit_ms", "upstream", "downstream"});
    in.boolean("attached", config->attached);
    in.boolean("dns_failure", config->dns_failure);
    in.boolean("refuse_connections", config->refuse_connections);
    in.number("connect_delay_ms", config->connect_delay_ms, kMaxLinkTimeMs);
    in.number("tcp_retransmit_ms", config->tcp_retransmit_ms, kMaxLinkTimeMs);
    in.object("upstream", [&](FieldReader& d) { read_direction(d, config->upstream); });
    in.object("downstream", [&](FieldReader& d) { read_direction(d, config->downstream); });
    if (result.error.empty()) result.config = *config;
    return result;
}

QJsonObject status_to_json(const BoardSnapshot& board) {
    QJsonObject resets;
    for (const auto& [cause, n] : board.resets)
        resets.insert(q(cause), count(n));
    QJsonObject json{{"profile", q(board.profile)},
                     {"power", board.firmware ? "on" : "off"},
                     {"boot_count", count(board.boot_count)},
                     {"resets", resets},
                     {"serial", serial_to_json(board)},
                     {"link_traffic", QJsonObject{{"upstream", traffic_to_json(board.link_upstream)},
                                                  {"downstream", traffic_to_json(board.link_downstream)}}},
                     {"net", net_to_json(board)},
                     {"sms_center", sms_center_to_json(board.sms_center)},
                     {"mqtt_service", mqtt_service_to_json(board.mqtt_service)}};
    QJsonObject ports;
    for (const auto& [key, at] : board.ports)
        ports.insert(q(key), q(at));
    json.insert("ports", ports);
    // While the power is off there is no firmware to ask: its fields are null, not stale.
    const QJsonValue off(QJsonValue::Null);
    const device::Status* fw = board.firmware ? &*board.firmware : nullptr;
    QJsonArray sockets;
    if (fw)
        for (const device::SocketStatus& s : fw->sockets)
            sockets.append(socket_to_json(s));
    json.insert("work_mode", fw ? QJsonValue(q(fw->work_mode)) : off);
    json.insert("serial_mode", fw ? QJsonValue(serial_mode_name(fw->serial_mode)) : off);
    json.insert("logged_in", fw ? QJsonValue(fw->logged_in) : off);
    json.insert("uptime_ms", fw ? QJsonValue(count(fw->uptime_ms)) : off);
    json.insert("attached", fw ? QJsonValue(fw->attached) : off);
    json.insert("clock_synced", fw ? QJsonValue(fw->clock_synced) : off);
    json.insert("ntp_syncs", fw ? QJsonValue(count(fw->ntp_syncs)) : off);
    json.insert("ntp_failures", fw ? QJsonValue(count(fw->ntp_failures)) : off);
    json.insert("ntp_bad_replies", fw ? QJsonValue(count(fw->ntp_bad_replies)) : off);
    json.insert("sockets", fw ? QJsonValue(sockets) : off);
    json.insert("counters", fw ? QJsonValue(counters_to_json(fw->counters)) : off);
    json.insert("sms", fw ? QJsonValue(sms_counters_to_json(fw->sms)) : off);
    json.insert("httpd", fw ? QJsonValue(httpd_to_json(fw->httpd)) : off);
    json.insert("mqtt", fw ? QJsonValue(mqtt_status_to_json(fw->mqtt)) : off);
    json.insert("rfc2217", fw ? QJsonValue(rfc2217_to_json(fw->rfc2217)) : off);
    json.insert("discovery", fw ? QJsonValue(discovery_to_json(fw->discovery)) : off);
    json.insert("network_at", fw ? QJsonValue(network_at_to_json(fw->network_at)) : off);
    json.insert("websocket", fw ? QJsonValue(websocket_to_json(fw->websocket)) : off);
    json.insert("web", fw ? QJsonValue(web_to_json(fw->web)) : off);
    return json;
}

const char* serial_mode_name(device::SerialMode mode) {
    switch (mode) {
    case device::SerialMode::Transparent: return "transparent";
    case device::SerialMode::WaitA: return "wait_a";
    case device::SerialMode::Command: return "command";
    }
    return "unknown";
}

const char* link_state_name(device::LinkState state) {
    switch (state) {
    case device::LinkState::Disabled: return "disabled";
    case device::LinkState::Connecting: return "connecting";
    case device::LinkState::Connected: return "connected";
    case device::LinkState::Waiting: return "waiting";
    case device::LinkState::Idle: return "idle";
    }
    return "unknown";
}

} // namespace dtu::sim
