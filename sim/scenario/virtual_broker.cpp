#include "sim/scenario/virtual_broker.hpp"

#include <chrono>

#include "dtu/mqtt/topic_filter.hpp"

namespace dtu::sim::scenario {
namespace {

hal_sim::MqttBrokerOptions options_of(const BrokerSpec& spec) {
    hal_sim::MqttBrokerOptions o;
    o.users = spec.users;
    o.allow_anonymous = spec.allow_anonymous;
    o.refused_client_ids = spec.refused_client_ids;
    return o;
}

BrokerSessionView view_of(const hal_sim::MqttBrokerSession& s) {
    BrokerSessionView v;
    v.connected = s.connected;
    v.client_id = s.client_id;
    v.username = s.username;
    v.protocol_level = s.protocol_level;
    v.keepalive_s = s.keepalive_s;
    v.clean_session = s.clean_session;
    for (const auto& [filter, qos] : s.subscriptions)
        v.subscriptions.push_back(filter);
    return v;
}

std::optional<hal_sim::MqttBroker::Availability> availability_named(std::string_view state) {
    using A = hal_sim::MqttBroker::Availability;
    if (state == "up") return A::Up;
    if (state == "down") return A::Down;
    if (state == "refusing") return A::Refusing;
    if (state == "silent") return A::Silent;
    return std::nullopt;
}

/// The device reads PUBLISH packets of up to the broker's own packet limit; what is larger the
/// model never sends.
const std::size_t kDeliverReaderBytes = hal_sim::MqttBrokerOptions{}.max_packet_bytes;

} // namespace

VirtualBroker::VirtualBroker(BrokerSpec spec, hal_sim::Scheduler& scheduler, hal_sim::ServerLink& net,
                             hal::Log& log, TraceRecorder& trace)
    : spec_(std::move(spec)), net_(net), log_(log), trace_(trace),
      broker_(std::make_unique<hal_sim::MqttBroker>(scheduler, static_cast<hal_sim::ServerLink&>(*this), log,
                                                    options_of(spec_))) {
    broker_->set_observer(this);
}

VirtualBroker::~VirtualBroker() { broker_->set_observer(nullptr); }

bool VirtualBroker::publish(std::string_view topic, std::string_view payload, int qos, bool retain) {
    if (!mqtt::valid_topic_name(topic) || qos < 0 || qos > 2) return false;
    broker_->publish(topic, payload, static_cast<std::uint8_t>(qos), retain);
    return true;
}

void VirtualBroker::set_state(std::string_view state, int refuse_code) {
    if (const auto a = availability_named(state))
        broker_->set_availability(*a, static_cast<std::uint8_t>(refuse_code));
}

void VirtualBroker::drop_connections(bool reset) { broker_->drop_all(reset); }

std::optional<BrokerSessionView> VirtualBroker::session(std::string_view client_id) const {
    const auto s = broker_->session(client_id.empty() ? std::string_view(last_client_) : client_id);
    if (!s) return std::nullopt;
    return view_of(*s);
}

bool VirtualBroker::on_connect(hal_sim::ConnId conn) {
    seen_.insert(conn);
    const bool accept = broker_->on_connect(conn);
    trace_.record(TraceEvent{0, TraceKind::ServerAccept, spec_.name, conn, {}, {{"accept", accept}}});
    if (accept) to_device_.emplace(conn, hal_sim::MqttFrameReader(kDeliverReaderBytes));
    return accept;
}

void VirtualBroker::on_data(hal_sim::ConnId conn, std::string_view bytes) {
    trace_.record(TraceEvent{0, TraceKind::ToServer, spec_.name, conn, std::string(bytes), {}});
    broker_->on_data(conn, bytes);
}

void VirtualBroker::on_closed(hal_sim::ConnId conn, bool reset) {
    trace_.record(TraceEvent{0, TraceKind::DeviceClose, spec_.name, conn, {}, {{"reset", reset}}});
    to_device_.erase(conn);
    broker_->on_closed(conn, reset);
}

bool VirtualBroker::server_send(hal_sim::ConnId conn, std::string_view bytes) {
    report_deliveries(conn, bytes);
    return net_.server_send(conn, bytes);
}

void VirtualBroker::server_close(hal_sim::ConnId conn, bool reset) {
    to_device_.erase(conn);
    net_.server_close(conn, reset);
}

void VirtualBroker::report_deliveries(hal_sim::ConnId conn, std::string_view bytes) {
    const auto it = to_device_.find(conn);
    if (it == to_device_.end() || events() == nullptr) return;
    it->second.feed(bytes);
    for (auto r = it->second.next(); r.status == hal_sim::MqttFrameReader::Status::Packet;
         r = it->second.next()) {
        const auto* p = std::get_if<hal_sim::MqttPublishPacket>(&r.packet);
        if (p == nullptr) continue;
        BrokerReceived m{p->topic, p->payload, p->qos, p->retain, false, Duration{0}, {}};
        events()->on_broker_deliver(spec_, conn, m, p->dup);
    }
}

void VirtualBroker::on_broker_connect(const hal_sim::MqttBrokerSession& session, std::uint8_t return_code) {
    if (return_code == 0) last_client_ = session.client_id;
    if (events()) events()->on_broker_connect(spec_, view_of(session), return_code, session.has_will);
}

void VirtualBroker::on_broker_session_end(const hal_sim::MqttBrokerSession& session,
                                          hal_sim::MqttSessionEnd why) {
    if (events()) events()->on_broker_session_end(spec_, session.client_id, hal_sim::session_end_name(why));
}

void VirtualBroker::on_broker_message(const hal_sim::MqttBrokerMessage& message) {
    // The broker's own publish() (broker_publish) is what the scenario sent, not what it received.
    if (message.client_id.empty() && !message.will) return;
    BrokerReceived m{
        message.topic,    message.payload,
        message.qos,      message.retain,
        message.will,     std::chrono::duration_cast<Duration>(std::chrono::microseconds(trace_.now_us())),
        message.client_id};
    received_.push_back(m);
    if (events()) events()->on_broker_message(spec_, m);
}

void VirtualBroker::on_broker_error(hal_sim::ConnId conn, std::string_view reason) {
    log_.write(hal::LogLevel::Warn, "broker " + spec_.name + ": connection " + std::to_string(conn) +
                                        " closed: " + std::string(reason));
}

} // namespace dtu::sim::scenario
