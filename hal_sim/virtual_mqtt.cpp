#include "hal_sim/virtual_mqtt.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "hal_sim/net_status.hpp"

namespace dtu::hal_sim {

using hal::MqttError;

namespace {

/// The longest PUBLISH the reader takes: max_payload, the longest topic (2 + 65535 bytes) and the
/// packet id. Anything longer is not read (memory bound).
constexpr std::size_t kPublishOverhead = 2 + 65535 + 2;

std::string link_detail(hal::NetError why) { return std::string("link ") + net_error_name(why); }

} // namespace

VirtualMqtt::VirtualMqtt(Scheduler& scheduler, VirtualNet& net, hal::Log& log, MqttServiceOptions options)
    : scheduler_(scheduler), net_(net), log_(log), options_(options), record_(log, options_),
      alive_(std::make_shared<VirtualMqtt*>(this)) {
    net_.set_link_listener(kMqttServiceLink, this);
}

VirtualMqtt::~VirtualMqtt() {
    reset();
    net_.set_link_listener(kMqttServiceLink, nullptr);
}

void VirtualMqtt::connect(const hal::MqttConnect& p) {
    ++gen_;
    end_link(); // the running session, if any, without DISCONNECT
    // libmosquitto keeps a client's unacknowledged messages for its next persistent session.
    const bool same_session =
        !p.clean_session && !connect_.clean_session && connect_.client_id == p.client_id;
    if (!same_session) forget_session();
    state_ = MqttServiceState::Idle;
    record_.begin(p);
    connect_ = MqttConnectPacket{};
    connect_.clean_session = p.clean_session;
    if (const auto why = mqtt_connect_invalid(p)) return fail_connect(MqttError::Invalid, 0, *why);
    connect_.protocol_level = p.protocol_level;
    connect_.client_id.assign(p.client_id);
    if (!p.username.empty()) connect_.username.emplace(p.username);
    if (mqtt_password_sent(p, log_)) connect_.password.emplace(p.password);
    connect_.keepalive_s = mqtt_keepalive_sent(p, log_);
    if (p.will)
        connect_.will = MqttWillFields{std::string(p.will->topic), std::string(p.will->payload), p.will->qos,
                                       p.will->retain};
    state_ = MqttServiceState::Connecting;
    record_.log(hal::LogLevel::Info,
                "MQTT: connecting to " + record_.broker() + " as \"" + connect_.client_id + "\" (MQTT " +
                    (p.protocol_level == 3 ? "3.1" : "3.1.1") + (p.tls ? ", TLS" : "") + ")");
    // libmosquitto's clocks start at the connect: no CONNACK within the keep-alive is a Timeout too.
    keepalive_ = std::chrono::seconds(connect_.keepalive_s);
    last_in_ = scheduler_.now();
    next_out_ = last_in_ + keepalive_;
    ping_outstanding_ = false;
    std::weak_ptr<VirtualMqtt*> weak = alive_;
    connect_timer_ = scheduler_.after(options_.connect_timeout, [this, weak] {
        if (weak.expired()) return;
        connect_timer_ = 0;
        if (state_ != MqttServiceState::Connecting) return;
        end_link();
        fail_connect(MqttError::Timeout, 0, "no CONNACK within " + mqtt_seconds(options_.connect_timeout));
    });
    arm_keepalive();
    net_.open(kMqttServiceLink, hal::Proto::Tcp, p.host, p.port, p.tls);
}

bool VirtualMqtt::publish(std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain) {
    if (!record_.publish_allowed(state_ == MqttServiceState::Connected, payload.size()) || qos > 2)
        return false;
    const std::size_t bytes = topic.size() + payload.size();
    if (!record_.admit(bytes)) return false;
    MqttPublishPacket packet{std::string(topic), std::string(payload), qos, retain, false, 0};
    if (qos > 0) packet.packet_id = next_packet_id();
    if (!send(packet)) {
        record_.log(hal::LogLevel::Info,
                    "MQTT: publish to \"" + mqtt_shown_topic(topic) + "\" refused: the link's queue is full");
        return false;
    }
    if (qos > 0) {
        record_.track(packet.packet_id, bytes);
        const std::uint16_t id = packet.packet_id;
        outgoing_.emplace(id, Outgoing{std::move(packet), false});
    }
    record_.published(payload.size());
    return true;
}

bool VirtualMqtt::subscribe(std::string_view topic, std::uint8_t qos) {
    if (state_ != MqttServiceState::Connected || qos > 2 || !record_.admit(topic.size())) return false;
    MqttSubscribePacket packet{next_packet_id(), {{std::string(topic), qos}}};
    if (!send(packet)) return false;
    record_.track(packet.packet_id, topic.size());
    return true;
}

bool VirtualMqtt::unsubscribe(std::string_view topic) {
    if (state_ != MqttServiceState::Connected || !record_.admit(topic.size())) return false;
    MqttUnsubscribePacket packet{next_packet_id(), {std::string(topic)}};
    if (!send(packet)) return false;
    record_.track(packet.packet_id, topic.size());
    return true;
}

void VirtualMqtt::disconnect() {
    ++gen_;
    if (state_ == MqttServiceState::Connected) {
        record_.log(hal::LogLevel::Info, "MQTT: disconnecting from " + record_.broker());
        send(MqttEmptyPacket{MqttPacketType::Disconnect});
    }
    end_link(); // the DISCONNECT still goes out (VirtualNet::close delivers what was sent)
    state_ = MqttServiceState::Idle;
    record_.clear_pending();
}

void VirtualMqtt::reset() {
    ++gen_;
    end_link();
    forget_session();
    connect_ = MqttConnectPacket{};
    state_ = MqttServiceState::Idle;
    record_.clear_pending();
}

// ---- the link (VirtualNet, kMqttServiceLink) -------------------------------------------------------

void VirtualMqtt::on_connected(hal::LinkId) {
    if (state_ != MqttServiceState::Connecting) return;
    reader_.emplace(options_.max_payload + kPublishOverhead);
    send(connect_);
}

void VirtualMqtt::on_connect_failed(hal::LinkId, hal::NetError why) {
    if (state_ != MqttServiceState::Connecting) return;
    std::string detail = link_detail(why);
    if (why == hal::NetError::TlsFailed && !net_.last_tls_error().empty()) detail = net_.last_tls_error();
    end_link();
    fail_connect(mqtt_error_from_link(why), 0, detail);
}

void VirtualMqtt::on_closed(hal::LinkId, hal::NetError why) {
    reader_.reset();
    if (state_ == MqttServiceState::Connecting) {
        end_link();
        // Closed or reset before CONNACK; registration lost is NotAttached (MosquittoMqtt's mapping).
        fail_connect(why == hal::NetError::NotAttached ? MqttError::NotAttached : MqttError::Refused, 0,
                     link_detail(why));
    } else if (state_ == MqttServiceState::Connected) {
        end_link();
        lose_session(MqttError::ConnectionLost, link_detail(why));
    }
}

void VirtualMqtt::on_data(hal::LinkId, std::string_view bytes) {
    if (!reader_ || state_ == MqttServiceState::Idle) return;
    last_in_ = scheduler_.now();
    reader_->feed(bytes);
    for (;;) {
        MqttFrameReader::Result r = reader_->next();
        if (r.status == MqttFrameReader::Status::NeedMore) return;
        if (r.status != MqttFrameReader::Status::Packet) return protocol_error(r.error);
        if (!on_packet(r.packet) || !reader_) return;
    }
}

// ---- packets from the broker ----------------------------------------------------------------------

bool VirtualMqtt::on_packet(MqttPacket& packet) {
    const MqttPacketType type = packet_type(packet);
    if (state_ == MqttServiceState::Connecting) {
        if (type == MqttPacketType::Connack) return on_connack(std::get<MqttConnackPacket>(packet));
        protocol_error(std::string(packet_name(type)) + " before CONNACK"); // MQTT 3.1.1 §3.2
        return false;
    }
    switch (type) {
    case MqttPacketType::Publish: on_publish(std::get<MqttPublishPacket>(packet)); return true;
    case MqttPacketType::Puback:
    case MqttPacketType::Pubrec:
    case MqttPacketType::Pubrel:
    case MqttPacketType::Pubcomp:
    case MqttPacketType::Unsuback: on_ack(std::get<MqttAckPacket>(packet)); return true;
    case MqttPacketType::Suback: record_.complete(std::get<MqttSubackPacket>(packet).packet_id); return true;
    case MqttPacketType::Pingresp: ping_outstanding_ = false; return true;
    default: // CONNACK again, or a packet only a client sends
        protocol_error(std::string(packet_name(type)) + " from the broker");
        return false;
    }
}

bool VirtualMqtt::on_connack(const MqttConnackPacket& connack) {
    if (connect_timer_) scheduler_.cancel(connect_timer_);
    connect_timer_ = 0;
    if (connack.return_code != 0) {
        end_link();
        fail_connect(MqttError::Rejected, connack.return_code, mqtt_connack_text(connack.return_code));
        return false;
    }
    state_ = MqttServiceState::Connected;
    record_.connected();
    post([](hal::MqttListener& l) { l.on_mqtt_connected(); });
    resend_unacknowledged();
    return true;
}

void VirtualMqtt::resend_unacknowledged() {
    for (auto& [id, out] : outgoing_) {
        record_.track(id, out.packet.topic.size() + out.packet.payload.size());
        if (out.released) {
            send(MqttAckPacket{MqttPacketType::Pubrel, id});
        } else {
            out.packet.dup = true; // MQTT 3.1.1 §4.4
            send(out.packet);
        }
    }
}

void VirtualMqtt::on_publish(MqttPublishPacket& p) {
    const bool fits = record_.incoming_fits(p.topic, p.payload.size());
    if (p.qos == 1) send(MqttAckPacket{MqttPacketType::Puback, p.packet_id});
    if (p.qos < 2) {
        if (fits) deliver(std::move(p.topic), std::move(p.payload));
        return;
    }
    // QoS 2: held until PUBREL (a resent PUBLISH with the same id is the same message).
    send(MqttAckPacket{MqttPacketType::Pubrec, p.packet_id});
    if (!fits || incoming_.count(p.packet_id)) return;
    const std::size_t bytes = p.topic.size() + p.payload.size();
    if (incoming_.size() >= options_.max_pending_messages ||
        incoming_bytes_ + bytes > options_.max_pending_bytes) {
        record_.incoming_dropped(p.topic, p.payload.size(),
                                 std::to_string(incoming_.size()) + " QoS 2 messages wait for PUBREL");
        return;
    }
    incoming_bytes_ += bytes;
    const std::uint16_t id = p.packet_id;
    incoming_.emplace(id, std::move(p));
}

void VirtualMqtt::on_ack(const MqttAckPacket& ack) {
    const std::uint16_t id = ack.packet_id;
    switch (ack.type) {
    case MqttPacketType::Puback:
    case MqttPacketType::Pubcomp:
        outgoing_.erase(id);
        record_.complete(id);
        return;
    case MqttPacketType::Pubrec: {
        // Answered even for an id not waiting (libmosquitto does): the broker is waiting for it.
        if (const auto it = outgoing_.find(id); it != outgoing_.end()) {
            it->second.released = true;
            it->second.packet.payload = std::string(); // not needed again
        }
        send(MqttAckPacket{MqttPacketType::Pubrel, id});
        return;
    }
    case MqttPacketType::Pubrel: {
        send(MqttAckPacket{MqttPacketType::Pubcomp, id});
        const auto it = incoming_.find(id);
        if (it == incoming_.end()) return;
        MqttPublishPacket p = std::move(it->second);
        incoming_.erase(it);
        incoming_bytes_ -= p.topic.size() + p.payload.size();
        deliver(std::move(p.topic), std::move(p.payload));
        return;
    }
    default: record_.complete(id); return; // UNSUBACK
    }
}

void VirtualMqtt::deliver(std::string topic, std::string payload) {
    record_.delivered(payload.size());
    post([t = std::move(topic), m = std::move(payload)](hal::MqttListener& l) { l.on_mqtt_message(t, m); });
}

// ---- helpers --------------------------------------------------------------------------------------

bool VirtualMqtt::send(const MqttPacket& packet) {
    if (!net_.send(kMqttServiceLink, encode(packet))) return false;
    next_out_ = scheduler_.now() + keepalive_;
    return true;
}

std::uint16_t VirtualMqtt::next_packet_id() {
    do {
        last_id_ = static_cast<std::uint16_t>(last_id_ == 65535 ? 1 : last_id_ + 1);
    } while (outgoing_.count(last_id_) || record_.pending(last_id_));
    return last_id_;
}

void VirtualMqtt::arm_keepalive() {
    if (keepalive_timer_ || keepalive_ == Scheduler::Duration::zero()) return;
    // One task per keep-alive period at most: traffic moves the deadline, the task finds it moved.
    std::weak_ptr<VirtualMqtt*> weak = alive_;
    keepalive_timer_ = scheduler_.at(std::min(next_out_, last_in_ + keepalive_), [this, weak] {
        if (weak.expired()) return;
        keepalive_timer_ = 0;
        keepalive_due();
    });
}

void VirtualMqtt::keepalive_due() {
    if (state_ == MqttServiceState::Idle) return;
    const Scheduler::TimePoint now = scheduler_.now();
    if (now < std::min(next_out_, last_in_ + keepalive_)) return arm_keepalive();
    const std::string period =
        mqtt_seconds(std::chrono::duration_cast<std::chrono::milliseconds>(keepalive_));
    if (state_ == MqttServiceState::Connecting) {
        end_link();
        return fail_connect(MqttError::Timeout, 0, "no CONNACK within the keep-alive (" + period + ")");
    }
    if (ping_outstanding_) {
        end_link();
        return lose_session(MqttError::KeepAlive, "no PINGRESP within " + period);
    }
    send(MqttEmptyPacket{MqttPacketType::Pingreq});
    ping_outstanding_ = true;
    last_in_ = now; // the broker gets one keep-alive to answer (libmosquitto)
    next_out_ = now + keepalive_;
    arm_keepalive();
}

void VirtualMqtt::fail_connect(MqttError why, int connack_code, const std::string& detail) {
    state_ = MqttServiceState::Idle;
    record_.connect_failed(why, connack_code, detail);
    post([why, connack_code](hal::MqttListener& l) { l.on_mqtt_connect_failed(why, connack_code); });
}

void VirtualMqtt::lose_session(MqttError why, const std::string& detail) {
    state_ = MqttServiceState::Idle;
    record_.session_lost(why, detail);
    post([why](hal::MqttListener& l) { l.on_mqtt_closed(why); });
}

void VirtualMqtt::protocol_error(const std::string& detail) {
    const bool connecting = state_ == MqttServiceState::Connecting;
    end_link();
    if (connecting)
        fail_connect(MqttError::Protocol, 0, detail);
    else if (state_ == MqttServiceState::Connected)
        lose_session(MqttError::Protocol, detail);
}

void VirtualMqtt::end_link() {
    for (Scheduler::TaskId* t : {&connect_timer_, &keepalive_timer_}) {
        if (*t) scheduler_.cancel(*t);
        *t = 0;
    }
    reader_.reset();
    net_.close(kMqttServiceLink);
}

void VirtualMqtt::forget_session() {
    outgoing_.clear();
    incoming_.clear();
    incoming_bytes_ = 0;
}

void VirtualMqtt::post(std::function<void(hal::MqttListener&)> event) {
    std::weak_ptr<VirtualMqtt*> weak = alive_;
    scheduler_.post([this, weak, gen = gen_, event = std::move(event)] {
        if (weak.expired() || gen != gen_) return;
        if (listener_) event(*listener_);
    });
}

} // namespace dtu::hal_sim
