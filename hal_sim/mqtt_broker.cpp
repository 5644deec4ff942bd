// The broker model: connections, CONNECT, the packets of a session, keep-alive, routing. Where MQTT
// 3.1.1 leaves a choice, the model does what mosquitto 2.0 (Debian 12) does; each such place names
// its source, since scenarios run against both must agree.
#include "hal_sim/mqtt_broker.hpp"

#include <algorithm>

#include "dtu/mqtt/topic_filter.hpp"
#include "hal_sim/mqtt_broker_connect.hpp"

namespace dtu::hal_sim {
namespace {

std::string conn_name(ConnId conn) { return "mqtt broker: conn " + std::to_string(conn) + ": "; }

MqttBrokerSession session_of(const MqttConnectPacket& c, std::string client_id) {
    MqttBrokerSession s;
    s.client_id = std::move(client_id);
    s.username = c.username.value_or("");
    s.protocol_level = c.protocol_level;
    s.keepalive_s = c.keepalive_s;
    s.clean_session = c.clean_session;
    s.has_will = c.will.has_value();
    return s;
}

} // namespace

MqttBroker::MqttBroker(Scheduler& scheduler, ServerLink& link, hal::Log& log, MqttBrokerOptions options)
    : scheduler_(scheduler), link_(link), log_(log), options_(std::move(options)),
      retained_(options_.max_retained), alive_(std::make_shared<MqttBroker*>(this)) {}

MqttBroker::~MqttBroker() {
    for (auto& [id, c] : connections_) {
        scheduler_.cancel(c.timer);
        scheduler_.cancel(c.resend_timer);
    }
    alive_.reset();
}

void MqttBroker::log(hal::LogLevel level, const std::string& line) { log_.write(level, line); }

// --- connections ---------------------------------------------------------------------------------

bool MqttBroker::on_connect(ConnId conn) {
    if (availability_ == Availability::Down) return false;
    auto& c = connections_.emplace(conn, Connection(options_.max_packet_bytes)).first->second;
    c.last_in = scheduler_.now();
    arm_timer(conn, c);
    return true;
}

void MqttBroker::on_data(ConnId conn, std::string_view bytes) {
    auto it = connections_.find(conn);
    if (it == connections_.end() || it->second.ignored) return;
    it->second.reader.feed(bytes);
    for (;;) {
        it = connections_.find(conn); // a packet may have ended the connection
        if (it == connections_.end() || it->second.ignored) return;
        auto result = it->second.reader.next();
        switch (result.status) {
        case MqttFrameReader::Status::NeedMore: return;
        case MqttFrameReader::Status::Malformed: fail(conn, result.error); return;
        case MqttFrameReader::Status::TooLarge: fail(conn, result.error, true); return;
        case MqttFrameReader::Status::Packet:
            it->second.last_in = scheduler_.now();
            handle(conn, it->second, std::move(result.packet));
            break;
        }
    }
}

void MqttBroker::on_closed(ConnId conn, bool reset) {
    end_connection(conn, reset ? MqttSessionEnd::Reset : MqttSessionEnd::PeerClosed, false);
}

void MqttBroker::end_connection(ConnId conn, MqttSessionEnd why, bool close, bool reset) {
    const auto it = connections_.find(conn);
    if (it == connections_.end()) return;
    const bool connected = it->second.connected;
    const auto client_id = it->second.client_id;
    scheduler_.cancel(it->second.timer);
    scheduler_.cancel(it->second.resend_timer);
    connections_.erase(it);
    if (close) link_.server_close(conn, reset);
    if (!connected) return;
    const auto s = sessions_.find(client_id);
    if (s == sessions_.end()) return;
    auto& session = s->second;
    auto will = std::move(session.will);
    session.will.reset();
    session.conn = 0;
    session.info().connected = false;
    session.info().has_will = false;
    if (why == MqttSessionEnd::Disconnect) will.reset(); // §3.14.4: DISCONNECT discards the will
    const auto ended = session.info();
    // §3.1.2.4: a clean session ends with its connection; a persistent one waits for the client.
    if (ended.clean_session) sessions_.erase(s);
    log(hal::LogLevel::Info, conn_name(conn) + "session '" + client_id + "' ended (" +
                                 std::string(session_end_name(why)) + (will ? "), will published" : ")"));
    if (observer_) observer_->on_broker_session_end(ended, why);
    if (!will) return;
    ++counters_.wills;
    MqttBrokerMessage message{will->topic, will->payload, will->qos,       will->retain,
                              true,        client_id,     scheduler_.now()};
    if (observer_) observer_->on_broker_message(message);
    accept_message(message);
}

void MqttBroker::fail(ConnId conn, std::string_view reason, bool oversize) {
    ++(oversize ? counters_.oversize : counters_.malformed);
    log(hal::LogLevel::Warn, conn_name(conn) + std::string(reason) + ", connection closed");
    if (observer_) observer_->on_broker_error(conn, reason);
    end_connection(conn, MqttSessionEnd::Protocol, true); // §4.8: the will is published
}

bool MqttBroker::send(ConnId conn, const MqttPacket& packet) {
    if (link_.server_send(conn, encode(packet))) return true;
    // The link is gone or its queue is full: the broker gives the connection up, as mosquitto does
    // a socket it cannot write. Later, never inside the routing that sent this.
    log(hal::LogLevel::Warn,
        conn_name(conn) + std::string(packet_name(packet_type(packet))) + " not sent, dropping");
    std::weak_ptr<MqttBroker*> weak = alive_;
    scheduler_.post([weak, conn] {
        if (auto self = weak.lock()) (*self)->end_connection(conn, MqttSessionEnd::BrokerDropped, true, true);
    });
    return false;
}

// --- timers --------------------------------------------------------------------------------------

void MqttBroker::arm_timer(ConnId conn, Connection& c) {
    scheduler_.cancel(c.timer);
    c.timer = 0;
    Scheduler::TimePoint deadline;
    if (!c.connected) {
        deadline = c.last_in + options_.connect_timeout;
    } else if (c.keepalive_s > 0) {
        // §3.1.2.10: one and a half keep-alive periods (mosquitto 2.0 keepalive.c, whole seconds).
        deadline = c.last_in + std::chrono::milliseconds(std::uint64_t{c.keepalive_s} * 1500);
    } else {
        return; // keep-alive 0: never timed out
    }
    std::weak_ptr<MqttBroker*> weak = alive_;
    c.timer = scheduler_.at(deadline, [weak, conn] {
        if (auto self = weak.lock()) (*self)->on_timer(conn);
    });
}

void MqttBroker::on_timer(ConnId conn) {
    const auto it = connections_.find(conn);
    if (it == connections_.end()) return;
    auto& c = it->second;
    c.timer = 0;
    if (!c.connected) {
        const auto reason = "no CONNECT within " + std::to_string(options_.connect_timeout.count()) + " ms";
        log(hal::LogLevel::Warn, conn_name(conn) + reason + ", connection closed");
        if (observer_) observer_->on_broker_error(conn, reason);
        end_connection(conn, MqttSessionEnd::None, true);
        return;
    }
    const auto deadline = c.last_in + std::chrono::milliseconds(std::uint64_t{c.keepalive_s} * 1500);
    if (scheduler_.now() < deadline) { // a packet came since: wait for the new deadline
        arm_timer(conn, c);
        return;
    }
    ++counters_.keepalive_timeouts;
    log(hal::LogLevel::Info,
        conn_name(conn) + "keep-alive " + std::to_string(c.keepalive_s) + " s x 1.5 passed");
    end_connection(conn, MqttSessionEnd::KeepAlive, true);
}

void MqttBroker::arm_resend(ConnId conn, Connection& c) {
    if (options_.resend_after.count() <= 0 || c.resend_timer != 0) return;
    std::weak_ptr<MqttBroker*> weak = alive_;
    c.resend_timer = scheduler_.after(options_.resend_after, [weak, conn] {
        auto self = weak.lock();
        if (!self) return;
        auto& broker = **self;
        const auto it = broker.connections_.find(conn);
        if (it == broker.connections_.end()) return;
        it->second.resend_timer = 0;
        auto& session = broker.sessions_.at(it->second.client_id);
        if (session.in_flight() == 0) return;
        for (const auto& packet : session.resend_in_flight())
            broker.send(conn, packet);
        broker.arm_resend(conn, it->second);
    });
}

// --- packets -------------------------------------------------------------------------------------

void MqttBroker::handle(ConnId conn, Connection& c, MqttPacket packet) {
    const auto type = packet_type(packet);
    if (!c.connected) {
        // §3.1: the first packet from the client must be CONNECT.
        if (type != MqttPacketType::Connect)
            return fail(conn, "first packet " + std::string(packet_name(type)) + ", not CONNECT");
        return handle_connect(conn, c, std::get<MqttConnectPacket>(packet));
    }
    auto& session = sessions_.at(c.client_id);
    switch (type) {
    case MqttPacketType::Connect:
        // §3.1: a second CONNECT is a protocol violation; mosquitto 2.0 handle_connect.c: "Bad
        // client sending multiple CONNECT messages", the connection closed (the will published).
        return fail(conn, "second CONNECT on the connection");
    case MqttPacketType::Publish: return handle_publish(session, conn, std::get<MqttPublishPacket>(packet));
    case MqttPacketType::Puback:
    case MqttPacketType::Pubrec:
    case MqttPacketType::Pubcomp: return handle_ack(conn, session, std::get<MqttAckPacket>(packet));
    case MqttPacketType::Pubrel: {
        const auto id = std::get<MqttAckPacket>(packet).packet_id;
        // PUBCOMP even for an id not held (a resent PUBREL after the first PUBCOMP was lost).
        if (auto message = session.release_incoming(id)) accept_message(*message);
        send(conn, MqttAckPacket{MqttPacketType::Pubcomp, id});
        return;
    }
    case MqttPacketType::Subscribe:
        return handle_subscribe(conn, session, std::get<MqttSubscribePacket>(packet));
    case MqttPacketType::Unsubscribe: {
        const auto& unsubscribe = std::get<MqttUnsubscribePacket>(packet);
        for (const auto& filter : unsubscribe.filters)
            if (!mqtt::valid_topic_filter(filter))
                return fail(conn, "UNSUBSCRIBE: topic filter '" + filter + "' invalid");
        for (const auto& filter : unsubscribe.filters)
            session.unsubscribe(filter);
        send(conn, MqttAckPacket{MqttPacketType::Unsuback, unsubscribe.packet_id});
        return;
    }
    case MqttPacketType::Pingreq: send(conn, MqttEmptyPacket{MqttPacketType::Pingresp}); return;
    case MqttPacketType::Disconnect: return end_connection(conn, MqttSessionEnd::Disconnect, true);
    default: return fail(conn, std::string(packet_name(type)) + " from a client");
    }
}

void MqttBroker::handle_connect(ConnId conn, Connection& c, const MqttConnectPacket& connect) {
    ++counters_.connects;
    if (availability_ == Availability::Silent) {
        c.ignored = true; // the client's CONNACK timeout decides; the connection stays open
        scheduler_.cancel(c.timer);
        c.timer = 0;
        log(hal::LogLevel::Info,
            conn_name(conn) + "CONNECT '" + connect.client_id + "' not answered (silent)");
        return;
    }
    auto verdict = availability_ == Availability::Refusing
                       ? MqttConnectVerdict{refuse_code_, false, false, "broker refusing"}
                       : judge_connect(connect, options_);
    if (verdict.violation) return fail(conn, "CONNECT: " + verdict.reason);
    if (verdict.return_code != 0) {
        ++counters_.connacks_refused;
        send(conn, MqttConnackPacket{false, verdict.return_code});
        log(hal::LogLevel::Info, conn_name(conn) + "CONNECT '" + connect.client_id + "' refused, CONNACK " +
                                     std::to_string(verdict.return_code) + " (" + verdict.reason + ")");
        if (observer_)
            observer_->on_broker_connect(session_of(connect, connect.client_id), verdict.return_code);
        end_connection(conn, MqttSessionEnd::None, true); // §3.2.2.3: then the server closes
        return;
    }
    // mosquitto names such clients "auto-" and a random UUID; the model counts, to stay deterministic.
    auto client_id = verdict.assign_client_id ? "auto-" + std::to_string(++assigned_ids_) : connect.client_id;
    accept_session(conn, c, connect, std::move(client_id));
}

void MqttBroker::take_over(const std::string& client_id, bool new_clean_session) {
    const auto it = sessions_.find(client_id);
    if (it == sessions_.end() || it->second.conn == 0) return;
    // mosquitto 2.0 connect__on_authorised: the old connection's will is published when the old
    // session was clean or the new connection asks for a clean one; a persistent session taken over
    // by a persistent connection goes on without it.
    if (!it->second.info().clean_session && !new_clean_session) it->second.will.reset();
    end_connection(it->second.conn, MqttSessionEnd::TakenOver, true);
}

void MqttBroker::accept_session(ConnId conn, Connection& c, const MqttConnectPacket& connect,
                                std::string client_id) {
    take_over(client_id, connect.clean_session);
    auto it = sessions_.find(client_id);
    // §3.2.2.2: session present only when a kept session is resumed (mosquitto sends it to 3.1.1
    // clients only: 3.1 had no such flag).
    const bool resumed = it != sessions_.end() && !connect.clean_session;
    if (!resumed) {
        if (it != sessions_.end()) sessions_.erase(it); // clean session: the old state is discarded
        it = sessions_.emplace(client_id, MqttSessionState({}, options_.max_queued, options_.max_inflight))
                 .first;
    }
    auto& session = it->second;
    auto& info = session.info();
    const auto kept_subscriptions = std::move(info.subscriptions);
    info = session_of(connect, client_id);
    info.subscriptions = kept_subscriptions;
    info.connected = true;
    info.queued = session.queued();
    session.will = connect.will;
    session.conn = conn;
    c.connected = true;
    c.client_id = client_id;
    c.keepalive_s = connect.keepalive_s;
    send(conn, MqttConnackPacket{resumed && connect.protocol_level == 4, 0});
    log(hal::LogLevel::Info,
        conn_name(conn) + "CONNECT '" + client_id + "' accepted" + (resumed ? ", session resumed" : ""));
    if (observer_) observer_->on_broker_connect(info, 0);
    arm_timer(conn, c);
    // §4.4: unacknowledged messages again (DUP), then what waited while the client was away.
    if (resumed)
        for (const auto& packet : session.resend_in_flight())
            send(conn, packet);
    flush(session);
}

void MqttBroker::handle_publish(MqttSessionState& session, ConnId conn, const MqttPublishPacket& publish) {
    // mosquitto 2.0 handle_publish.c: a topic with wildcards (or empty) is a malformed packet.
    if (!mqtt::valid_topic_name(publish.topic))
        return fail(conn, "PUBLISH: topic '" + publish.topic + "' invalid");
    MqttBrokerMessage message{publish.topic, publish.payload,          publish.qos,     publish.retain,
                              false,         session.info().client_id, scheduler_.now()};
    switch (publish.qos) {
    case 0:
    case 1:
        if (observer_) observer_->on_broker_message(message);
        accept_message(message);
        // mosquitto queues the copies to subscribers before it answers the publisher.
        if (publish.qos == 1) send(conn, MqttAckPacket{MqttPacketType::Puback, publish.packet_id});
        return;
    default:
        // §4.3.3 (method B): held until PUBREL; a resent PUBLISH with the same id is not new. Over
        // the cap (a client that never sends PUBREL) the message is dropped and counted, and still
        // acknowledged, as a broker drops what its queue cannot take.
        switch (session.hold_incoming(publish.packet_id, message)) {
        case MqttSessionState::Hold::New:
            if (observer_) observer_->on_broker_message(message);
            break;
        case MqttSessionState::Hold::Full: ++counters_.queue_dropped; break;
        case MqttSessionState::Hold::Duplicate: break;
        }
        send(conn, MqttAckPacket{MqttPacketType::Pubrec, publish.packet_id});
        return;
    }
}

void MqttBroker::handle_subscribe(ConnId conn, MqttSessionState& session,
                                  const MqttSubscribePacket& subscribe) {
    // mosquitto 2.0 handle_subscribe.c: an invalid filter closes the connection (no 0x80 code).
    for (const auto& [filter, qos] : subscribe.filters)
        if (!mqtt::valid_topic_filter(filter))
            return fail(conn, "SUBSCRIBE: topic filter '" + filter + "' invalid");
    MqttSubackPacket suback{subscribe.packet_id, {}};
    for (const auto& [filter, qos] : subscribe.filters) {
        session.subscribe(filter, qos); // granted as requested (mosquitto's max_qos is 2)
        suback.codes.push_back(qos);
    }
    send(conn, suback);
    // §3.8.4: the retained messages matching each filter follow the SUBACK with the retain flag set
    // (mosquitto 2.0 queues them then, and sends them after the SUBACK).
    for (const auto& [filter, qos] : subscribe.filters)
        for (const auto* message : retained_.matching(filter))
            deliver(session, *message, std::min(message->qos, qos), true);
}

void MqttBroker::handle_ack(ConnId conn, MqttSessionState& session, const MqttAckPacket& ack) {
    if (auto reply = session.acknowledge(ack)) send(conn, *reply);
    flush(session);
}

// --- routing -------------------------------------------------------------------------------------

void MqttBroker::accept_message(const MqttBrokerMessage& message) {
    if (message.retain && retained_.put(message) == MqttRetainedStore::Change::Dropped) {
        ++counters_.retained_dropped;
        log(hal::LogLevel::Debug, "mqtt broker: retained message on '" + message.topic + "' not kept (" +
                                      std::to_string(options_.max_retained) + " topics held)");
    }
    route(message);
}

void MqttBroker::route(const MqttBrokerMessage& message) {
    for (auto& [id, session] : sessions_)
        for (auto granted : session.matching(message.topic))
            // §3.3.1.3: a message forwarded live has retain 0; §3.8.4: QoS min(published, granted).
            deliver(session, message, std::min(message.qos, granted), false);
}

void MqttBroker::deliver(MqttSessionState& session, const MqttBrokerMessage& message, std::uint8_t qos,
                         bool retain) {
    MqttPublishPacket publish{message.topic, message.payload, qos, retain, false, 0};
    if (qos == 0) {
        // mosquitto's queue_qos0_messages is false by default: QoS 0 to an absent client is dropped.
        if (session.conn != 0) send(session.conn, publish);
        return;
    }
    if (!session.enqueue(std::move(publish))) {
        ++counters_.queue_dropped;
        log(hal::LogLevel::Debug, "mqtt broker: message on '" + message.topic + "' for '" +
                                      session.info().client_id + "' dropped (" +
                                      std::to_string(options_.max_queued) + " queued)");
        return;
    }
    flush(session);
}

void MqttBroker::flush(MqttSessionState& session) {
    if (session.conn == 0) return;
    const auto conn = session.conn;
    for (const auto& packet : session.take_sendable())
        send(conn, packet);
    const auto it = connections_.find(conn);
    if (it != connections_.end() && session.in_flight() > 0) arm_resend(conn, it->second);
}

// --- the scenario's controls ----------------------------------------------------------------------

void MqttBroker::publish(std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain) {
    if (!mqtt::valid_topic_name(topic)) {
        log(hal::LogLevel::Warn,
            "mqtt broker: publish to invalid topic '" + std::string(topic) + "' ignored");
        return;
    }
    accept_message(MqttBrokerMessage{std::string(topic), std::string(payload), std::min<std::uint8_t>(qos, 2),
                                     retain, false, "", scheduler_.now()});
}

void MqttBroker::set_availability(Availability availability, std::uint8_t refuse_code) {
    availability_ = availability;
    refuse_code_ = refuse_code;
    link_.set_accepting(availability != Availability::Down);
}

void MqttBroker::drop_all(bool reset) {
    std::vector<ConnId> conns;
    for (const auto& [id, c] : connections_)
        conns.push_back(id);
    for (auto id : conns)
        end_connection(id, MqttSessionEnd::BrokerDropped, true, reset);
}

std::vector<MqttBrokerSession> MqttBroker::sessions() const {
    std::vector<MqttBrokerSession> out;
    for (const auto& [id, session] : sessions_)
        out.push_back(session.info());
    return out;
}

std::optional<MqttBrokerSession> MqttBroker::session(std::string_view client_id) const {
    const auto it = sessions_.find(client_id);
    if (it == sessions_.end()) return std::nullopt;
    return it->second.info();
}

const std::map<std::string, MqttBrokerMessage>& MqttBroker::retained() const { return retained_.all(); }

const MqttBrokerCounters& MqttBroker::counters() const { return counters_; }

} // namespace dtu::hal_sim
