#include "hal_sim/mosquitto_mqtt.hpp"

#include <utility>

#include <boost/asio/post.hpp>
#include <mosquitto.h>

namespace dtu::hal_sim {

namespace asio = boost::asio;
using boost::system::error_code;
using hal::MqttError;

namespace {

constexpr int kMinKeepalive = 5; // libmosquitto refuses 1..4 s

std::string seconds(std::chrono::milliseconds d) {
    return std::to_string(d.count() / 1000) + "." + std::to_string(d.count() % 1000 / 100) + " s";
}

/// A topic for a log line: hostile brokers may send long ones.
std::string shown(std::string_view topic) {
    constexpr std::size_t kMax = 96;
    return topic.size() <= kMax ? std::string(topic) : std::string(topic.substr(0, kMax)) + "...";
}

bool is_protocol_error(int rc) {
    return rc == MOSQ_ERR_PROTOCOL || rc == MOSQ_ERR_MALFORMED_PACKET || rc == MOSQ_ERR_MALFORMED_UTF8 ||
           rc == MOSQ_ERR_DUPLICATE_PROPERTY;
}

MqttError from_link(hal::NetError why) {
    switch (why) {
    case hal::NetError::NotAttached: return MqttError::NotAttached;
    case hal::NetError::DnsFailed: return MqttError::DnsFailed;
    case hal::NetError::Timeout: return MqttError::Timeout;
    case hal::NetError::Invalid: return MqttError::Invalid;
    default: return MqttError::Refused;
    }
}

/// Why a connect that ended before CONNACK failed: libmosquitto's rc, whether OpenSSL reported an
/// error (libmosquitto does not always end with MOSQ_ERR_TLS: an alert from the server may show as a
/// lost connection) and what the relay saw.
MqttError connect_error(int rc, bool tls_error, const std::optional<RelayEvent>& link) {
    if (tls_error || rc == MOSQ_ERR_TLS || rc == MOSQ_ERR_TLS_HANDSHAKE) return MqttError::TlsFailed;
    if (link && link->kind == RelayEvent::Kind::ConnectFailed) return from_link(link->why);
    if (link && link->kind == RelayEvent::Kind::BadRequest) return MqttError::Invalid;
    if (is_protocol_error(rc)) return MqttError::Protocol;
    if (rc == MOSQ_ERR_KEEPALIVE) return MqttError::Timeout; // libmosquitto's CONNACK wait
    if (link && link->kind == RelayEvent::Kind::Closed && link->why == hal::NetError::NotAttached)
        return MqttError::NotAttached;
    return MqttError::Refused; // closed or reset before CONNACK
}

/// Why an established session ended.
MqttError closed_error(int rc) {
    if (rc == MOSQ_ERR_KEEPALIVE) return MqttError::KeepAlive;
    if (is_protocol_error(rc)) return MqttError::Protocol;
    return MqttError::ConnectionLost;
}

} // namespace

MosquittoMqtt::MosquittoMqtt(asio::io_context& io, AsioNet& net, hal::Log& log, MqttServiceOptions options)
    : io_(io), log_(log), options_(options), relay_(io, net, kMqttServiceLink, log), connect_timer_(io),
      alive_(std::make_shared<MosquittoMqtt*>(this)) {
    if (!mosquitto_library()) log_.write(hal::LogLevel::Error, "MQTT: libmosquitto did not initialise");
    relay_.set_observer([this](std::uint16_t port, const RelayEvent& event) { on_relay(port, event); });
}

MosquittoMqtt::~MosquittoMqtt() {
    relay_.set_observer(nullptr);
    if (client_) client_->close();
}

void MosquittoMqtt::connect(const hal::MqttConnect& p) {
    ++gen_;
    end_session(); // the running session, if any, without DISCONNECT
    state_ = MqttServiceState::Idle;
    pending_.clear();
    pending_bytes_ = 0;
    upstream_.reset();
    tls_detail_.clear();
    info_.counters.connects++;
    info_.broker = std::string(p.host) + ":" + std::to_string(p.port);
    info_.client_id.assign(p.client_id);
    info_.protocol_level = p.protocol_level;
    info_.tls = p.tls != nullptr;
    std::optional<Plan> plan = plan_for(p);
    if (!plan) return;
    std::string error;
    client_ = client_for(plan->identity, error);
    if (!client_) return fail_connect(MqttError::Invalid, 0, "libmosquitto refused the client: " + error);
    plan->session.relay = relay_.issue_credentials(); // before the connect: see Socks5Relay
    if (const int rc = client_->start(plan->session, *this); rc != MOSQ_ERR_SUCCESS) {
        const bool bad = rc == MOSQ_ERR_INVAL || rc == MOSQ_ERR_MALFORMED_UTF8 || rc == MOSQ_ERR_PAYLOAD_SIZE;
        return fail_connect(bad ? MqttError::Invalid : MqttError::Refused, 0,
                            std::string("libmosquitto: ") + mosquitto_strerror(rc));
    }
    relay_.expect(client_->local_port());
    state_ = MqttServiceState::Connecting;
    log(hal::LogLevel::Info, "MQTT: connecting to " + info_.broker + " as \"" + info_.client_id +
                                 "\" (MQTT " + (p.protocol_level == 3 ? "3.1" : "3.1.1") +
                                 (p.tls ? ", TLS" : "") + ")");
    std::weak_ptr<MosquittoMqtt*> weak = alive_;
    connect_timer_.expires_after(options_.connect_timeout);
    connect_timer_.async_wait([this, weak, gen = gen_](const error_code& ec) {
        if (ec || weak.expired() || gen != gen_ || state_ != MqttServiceState::Connecting) return;
        end_session();
        fail_connect(MqttError::Timeout, 0, "no CONNACK within " + seconds(options_.connect_timeout));
    });
}

std::shared_ptr<MosquittoClient> MosquittoMqtt::client_for(const MosquittoIdentity& identity,
                                                           std::string& error) {
    if (client_ && client_->identity() == identity && client_->idle() && client_->reusable()) return client_;
    return MosquittoClient::create(io_, identity, error);
}

std::optional<MosquittoMqtt::Plan> MosquittoMqtt::plan_for(const hal::MqttConnect& p) {
    const auto invalid = [this](const std::string& why) {
        fail_connect(MqttError::Invalid, 0, why);
        return std::nullopt;
    };
    if (p.host.empty()) return invalid("empty broker host");
    if (p.port == 0) return invalid("broker port 0");
    if (p.protocol_level != 3 && p.protocol_level != 4)
        return invalid("protocol level " + std::to_string(p.protocol_level) + " (3 or 4)");
    if (p.client_id.empty() && !p.clean_session) return invalid("a persistent session needs a client id");
    if (p.will && p.will->qos > 2) return invalid("will QoS " + std::to_string(p.will->qos));
    Plan plan;
    MosquittoIdentity& id = plan.identity;
    id.client_id.assign(p.client_id);
    id.clean_session = p.clean_session;
    id.socks_port = relay_.port();
    if (p.tls) {
        // G771 §2.6.2: SSLAUTH / SSLVER / the AT+SSLCRT certificates, as one shared SSL_CTX.
        TlsContextResult tls = TlsContextCache::shared().get(*p.tls);
        if (!tls) {
            fail_connect(MqttError::TlsFailed, 0, tls.error);
            return std::nullopt;
        }
        id.ssl_ctx = std::move(tls.ctx);
    }
    MosquittoSession& s = plan.session;
    s.protocol_version = p.protocol_level;
    if (!p.username.empty()) {
        s.username.emplace(p.username);
        if (!p.password.empty()) s.password.emplace(p.password);
    } else if (!p.password.empty()) {
        log(hal::LogLevel::Info, "MQTT: a password without a user name is not sent (MQTT 3.1.1 §3.1.2.9)");
    }
    if (p.will)
        s.will = MosquittoSession::Will{std::string(p.will->topic), std::string(p.will->payload), p.will->qos,
                                        p.will->retain};
    s.host.assign(p.host);
    s.port = p.port;
    s.keepalive_s = p.keepalive_s;
    if (p.keepalive_s > 0 && p.keepalive_s < kMinKeepalive) {
        s.keepalive_s = kMinKeepalive;
        log(hal::LogLevel::Info, "MQTT: keep-alive " + std::to_string(p.keepalive_s) + " s raised to " +
                                     std::to_string(kMinKeepalive) + " s (libmosquitto's minimum)");
    }
    return plan;
}

bool MosquittoMqtt::publish(std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain) {
    if (state_ != MqttServiceState::Connected || !client_) {
        info_.counters.publish_no_session++;
        return false;
    }
    if (qos > 2) return false;
    if (payload.size() > options_.max_payload) {
        info_.counters.publish_oversize++;
        log(hal::LogLevel::Warn, "MQTT: publish of " + std::to_string(payload.size()) +
                                     " bytes refused (limit " + std::to_string(options_.max_payload) + ")");
        return false;
    }
    const std::size_t bytes = topic.size() + payload.size();
    if (!admit(bytes)) return false;
    std::shared_ptr<MosquittoClient> c = client_; // the call may end the session
    int mid = 0;
    in_call_ = true;
    completed_in_call_.reset();
    const int rc = c->publish(std::string(topic), payload, qos, retain, mid);
    in_call_ = false;
    if (rc != MOSQ_ERR_SUCCESS) {
        log(hal::LogLevel::Info,
            "MQTT: publish to \"" + shown(topic) + "\" refused: " + mosquitto_strerror(rc));
        return false;
    }
    track(rc, mid, bytes);
    info_.counters.messages_out++;
    info_.counters.bytes_out += payload.size();
    return true;
}

bool MosquittoMqtt::subscribe(std::string_view topic, std::uint8_t qos) {
    if (state_ != MqttServiceState::Connected || !client_ || qos > 2 || !admit(topic.size())) return false;
    std::shared_ptr<MosquittoClient> c = client_;
    int mid = 0;
    const int rc = c->subscribe(std::string(topic), qos, mid);
    if (rc != MOSQ_ERR_SUCCESS) {
        log(hal::LogLevel::Info,
            "MQTT: subscribe to \"" + shown(topic) + "\" refused: " + mosquitto_strerror(rc));
        return false;
    }
    track(rc, mid, topic.size());
    return true;
}

bool MosquittoMqtt::unsubscribe(std::string_view topic) {
    if (state_ != MqttServiceState::Connected || !client_ || !admit(topic.size())) return false;
    std::shared_ptr<MosquittoClient> c = client_;
    int mid = 0;
    const int rc = c->unsubscribe(std::string(topic), mid);
    if (rc != MOSQ_ERR_SUCCESS) {
        log(hal::LogLevel::Info,
            "MQTT: unsubscribe from \"" + shown(topic) + "\" refused: " + mosquitto_strerror(rc));
        return false;
    }
    track(rc, mid, topic.size());
    return true;
}

void MosquittoMqtt::disconnect() {
    ++gen_;
    connect_timer_.cancel();
    if (client_ && state_ == MqttServiceState::Connected) {
        log(hal::LogLevel::Info, "MQTT: disconnecting from " + info_.broker);
        client_->disconnect(options_.disconnect_linger); // closes itself once DISCONNECT is written
        if (!client_->idle()) client_.reset(); // still writing: it finishes on its own, not cut by a connect
    } else {
        end_session(); // no session yet: nothing to tell the broker
    }
    state_ = MqttServiceState::Idle;
    pending_.clear();
    pending_bytes_ = 0;
}

void MosquittoMqtt::reset() {
    ++gen_;
    connect_timer_.cancel();
    end_session();
    relay_.reset(); // a DISCONNECT still on its way is cut too
    state_ = MqttServiceState::Idle;
    pending_.clear();
    pending_bytes_ = 0;
}

MqttServiceSnapshot MosquittoMqtt::snapshot() const {
    MqttServiceSnapshot s = info_;
    s.state = state_;
    s.pending_messages = pending_.size();
    s.pending_bytes = pending_bytes_;
    return s;
}

// ---- libmosquitto's events (MosquittoClient::Handler) ----------------------------------------------

void MosquittoMqtt::on_connack(int code) {
    if (state_ != MqttServiceState::Connecting) return;
    connect_timer_.cancel();
    if (code != 0) {
        // libmosquitto closes the connection next; on_ended then finds the service idle.
        fail_connect(MqttError::Rejected, code, mosquitto_connack_string(code));
        return;
    }
    state_ = MqttServiceState::Connected;
    info_.counters.sessions++;
    log(hal::LogLevel::Info, "MQTT: connected to " + info_.broker);
    post([](hal::MqttListener& l) { l.on_mqtt_connected(); });
}

void MosquittoMqtt::on_message(std::string_view topic, std::string_view payload) {
    if (state_ != MqttServiceState::Connected) return;
    if (payload.size() > options_.max_payload) {
        info_.counters.incoming_dropped++;
        info_.counters.incoming_dropped_bytes += payload.size();
        log(hal::LogLevel::Warn, "MQTT: dropped a message of " + std::to_string(payload.size()) +
                                     " bytes on \"" + shown(topic) + "\" (limit " +
                                     std::to_string(options_.max_payload) + ")");
        return;
    }
    info_.counters.messages_in++;
    info_.counters.bytes_in += payload.size();
    post([t = std::string(topic), m = std::string(payload)](hal::MqttListener& l) {
        l.on_mqtt_message(t, m);
    });
}

void MosquittoMqtt::on_completed(int mid) {
    const auto it = pending_.find(mid);
    if (it == pending_.end()) {
        if (in_call_) completed_in_call_ = mid; // the call's own message, written before it returned
        return;
    }
    pending_bytes_ -= it->second;
    pending_.erase(it);
}

void MosquittoMqtt::on_log(int level, std::string_view line) {
    if (level == MOSQ_LOG_ERR) {
        // During a TLS connect libmosquitto's errors are OpenSSL's; the first says why.
        if (info_.tls && tls_detail_.empty()) tls_detail_.assign(line);
        log(hal::LogLevel::Warn, "MQTT (libmosquitto): " + std::string(line));
    } else if (level == MOSQ_LOG_WARNING) {
        log(hal::LogLevel::Warn, "MQTT (libmosquitto): " + std::string(line));
    } else {
        log(hal::LogLevel::Debug, "MQTT (libmosquitto): " + std::string(line));
    }
}

void MosquittoMqtt::on_ended(int rc) {
    // The link's own reason when it has one (libmosquitto only sees the SOCKS reply or the close).
    std::string detail = upstream_ && upstream_->kind != RelayEvent::Kind::Connected
                             ? std::string("link ") + AsioNet::error_name(upstream_->why)
                             : std::string(mosquitto_strerror(rc));
    const bool tls_error = state_ == MqttServiceState::Connecting && !tls_detail_.empty();
    if (tls_error) detail = "TLS handshake: " + tls_detail_;
    if (state_ == MqttServiceState::Connecting) {
        connect_timer_.cancel();
        fail_connect(connect_error(rc, tls_error, upstream_), 0, detail);
    } else if (state_ == MqttServiceState::Connected) {
        lose_session(closed_error(rc), detail);
    }
}

void MosquittoMqtt::on_relay(std::uint16_t client_port, const RelayEvent& event) {
    if (!client_ || client_port != client_->local_port()) return;
    upstream_ = event;
}

// ---- helpers --------------------------------------------------------------------------------------

void MosquittoMqtt::fail_connect(MqttError why, int connack_code, const std::string& detail) {
    state_ = MqttServiceState::Idle;
    connect_timer_.cancel();
    info_.counters.connect_failures++;
    info_.last_error = error_name(why);
    if (why == MqttError::Rejected) info_.last_error += " (CONNACK " + std::to_string(connack_code) + ")";
    if (!detail.empty()) info_.last_error += ": " + detail;
    log(hal::LogLevel::Info, "MQTT: connect to " + info_.broker + " failed: " + info_.last_error);
    post([why, connack_code](hal::MqttListener& l) { l.on_mqtt_connect_failed(why, connack_code); });
}

void MosquittoMqtt::lose_session(MqttError why, const std::string& detail) {
    state_ = MqttServiceState::Idle;
    pending_.clear();
    pending_bytes_ = 0;
    info_.counters.sessions_lost++;
    info_.last_error = std::string(error_name(why)) + ": " + detail;
    log(hal::LogLevel::Info, "MQTT: session with " + info_.broker + " ended: " + info_.last_error);
    post([why](hal::MqttListener& l) { l.on_mqtt_closed(why); });
}

void MosquittoMqtt::end_session() {
    if (!client_ || client_->idle()) return;
    client_->close();
    relay_.reset(); // the link closes (the broker sees the connection end, no DISCONNECT)
}

bool MosquittoMqtt::admit(std::size_t bytes) {
    if (pending_.size() < options_.max_pending_messages &&
        pending_bytes_ + bytes <= options_.max_pending_bytes)
        return true;
    info_.counters.queue_full++;
    log(hal::LogLevel::Debug, "MQTT: refused: " + std::to_string(pending_.size()) + " messages (" +
                                  std::to_string(pending_bytes_) + " bytes) still waiting");
    return false;
}

void MosquittoMqtt::track(int rc, int mid, std::size_t bytes) {
    if (rc != MOSQ_ERR_SUCCESS) return;
    if (completed_in_call_ == mid) {
        completed_in_call_.reset();
        return;
    }
    pending_[mid] = bytes;
    pending_bytes_ += bytes;
}

void MosquittoMqtt::post(std::function<void(hal::MqttListener&)> event) {
    std::weak_ptr<MosquittoMqtt*> weak = alive_;
    asio::post(io_, [this, weak, gen = gen_, event = std::move(event)] {
        if (weak.expired() || gen != gen_) return;
        if (listener_) event(*listener_);
    });
}

const char* MosquittoMqtt::state_name(MqttServiceState state) {
    switch (state) {
    case MqttServiceState::Idle: return "idle";
    case MqttServiceState::Connecting: return "connecting";
    case MqttServiceState::Connected: return "connected";
    }
    return "?";
}

const char* MosquittoMqtt::error_name(MqttError error) {
    switch (error) {
    case MqttError::None: return "none";
    case MqttError::NotAttached: return "not-attached";
    case MqttError::DnsFailed: return "dns-failed";
    case MqttError::Refused: return "refused";
    case MqttError::Timeout: return "timeout";
    case MqttError::TlsFailed: return "tls-failed";
    case MqttError::Rejected: return "rejected";
    case MqttError::ConnectionLost: return "connection-lost";
    case MqttError::KeepAlive: return "keep-alive";
    case MqttError::Protocol: return "protocol";
    case MqttError::Invalid: return "invalid";
    }
    return "?";
}

} // namespace dtu::hal_sim
