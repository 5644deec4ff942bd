#include "hal_sim/mosquitto_mqtt.hpp"

#include <utility>

#include <boost/asio/post.hpp>
#include <mosquitto.h>

namespace dtu::hal_sim {

namespace asio = boost::asio;
using boost::system::error_code;
using hal::MqttError;

namespace {

bool is_protocol_error(int rc) {
    return rc == MOSQ_ERR_PROTOCOL || rc == MOSQ_ERR_MALFORMED_PACKET || rc == MOSQ_ERR_MALFORMED_UTF8 ||
           rc == MOSQ_ERR_DUPLICATE_PROPERTY;
}

/// Why a connect that ended before CONNACK failed: libmosquitto's rc, whether OpenSSL reported an
/// error (libmosquitto does not always end with MOSQ_ERR_TLS: an alert from the server may show as a
/// lost connection) and what the relay saw.
MqttError connect_error(int rc, bool tls_error, const std::optional<RelayEvent>& link) {
    if (tls_error || rc == MOSQ_ERR_TLS || rc == MOSQ_ERR_TLS_HANDSHAKE) return MqttError::TlsFailed;
    if (link && link->kind == RelayEvent::Kind::ConnectFailed) return mqtt_error_from_link(link->why);
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
      record_(log, options_), alive_(std::make_shared<MosquittoMqtt*>(this)) {
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
    upstream_.reset();
    tls_detail_.clear();
    record_.begin(p);
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
    log(hal::LogLevel::Info, "MQTT: connecting to " + record_.broker() + " as \"" + std::string(p.client_id) +
                                 "\" (MQTT " + (p.protocol_level == 3 ? "3.1" : "3.1.1") +
                                 (p.tls ? ", TLS" : "") + ")");
    std::weak_ptr<MosquittoMqtt*> weak = alive_;
    connect_timer_.expires_after(options_.connect_timeout);
    connect_timer_.async_wait([this, weak, gen = gen_](const error_code& ec) {
        if (ec || weak.expired() || gen != gen_ || state_ != MqttServiceState::Connecting) return;
        end_session();
        fail_connect(MqttError::Timeout, 0, "no CONNACK within " + mqtt_seconds(options_.connect_timeout));
    });
}

std::shared_ptr<MosquittoClient> MosquittoMqtt::client_for(const MosquittoIdentity& identity,
                                                           std::string& error) {
    if (client_ && client_->identity() == identity && client_->idle() && client_->reusable()) return client_;
    return MosquittoClient::create(io_, identity, error);
}

std::optional<MosquittoMqtt::Plan> MosquittoMqtt::plan_for(const hal::MqttConnect& p) {
    if (const auto why = mqtt_connect_invalid(p)) {
        fail_connect(MqttError::Invalid, 0, *why);
        return std::nullopt;
    }
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
    if (!p.username.empty()) s.username.emplace(p.username);
    if (mqtt_password_sent(p, log_)) s.password.emplace(p.password);
    if (p.will)
        s.will = MosquittoSession::Will{std::string(p.will->topic), std::string(p.will->payload), p.will->qos,
                                        p.will->retain};
    s.host.assign(p.host);
    s.port = p.port;
    s.keepalive_s = mqtt_keepalive_sent(p, log_);
    return plan;
}

bool MosquittoMqtt::publish(std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain) {
    if (!record_.publish_allowed(state_ == MqttServiceState::Connected && client_, payload.size()) || qos > 2)
        return false;
    const std::size_t bytes = topic.size() + payload.size();
    if (!record_.admit(bytes)) return false;
    std::shared_ptr<MosquittoClient> c = client_; // the call may end the session
    int mid = 0;
    in_call_ = true;
    completed_in_call_.reset();
    const int rc = c->publish(std::string(topic), payload, qos, retain, mid);
    in_call_ = false;
    if (rc != MOSQ_ERR_SUCCESS) {
        log(hal::LogLevel::Info,
            "MQTT: publish to \"" + mqtt_shown_topic(topic) + "\" refused: " + mosquitto_strerror(rc));
        return false;
    }
    track(rc, mid, bytes);
    record_.published(payload.size());
    return true;
}

bool MosquittoMqtt::subscribe(std::string_view topic, std::uint8_t qos) {
    if (state_ != MqttServiceState::Connected || !client_ || qos > 2 || !record_.admit(topic.size()))
        return false;
    std::shared_ptr<MosquittoClient> c = client_;
    int mid = 0;
    const int rc = c->subscribe(std::string(topic), qos, mid);
    if (rc != MOSQ_ERR_SUCCESS) {
        log(hal::LogLevel::Info,
            "MQTT: subscribe to \"" + mqtt_shown_topic(topic) + "\" refused: " + mosquitto_strerror(rc));
        return false;
    }
    track(rc, mid, topic.size());
    return true;
}

bool MosquittoMqtt::unsubscribe(std::string_view topic) {
    if (state_ != MqttServiceState::Connected || !client_ || !record_.admit(topic.size())) return false;
    std::shared_ptr<MosquittoClient> c = client_;
    int mid = 0;
    const int rc = c->unsubscribe(std::string(topic), mid);
    if (rc != MOSQ_ERR_SUCCESS) {
        log(hal::LogLevel::Info,
            "MQTT: unsubscribe from \"" + mqtt_shown_topic(topic) + "\" refused: " + mosquitto_strerror(rc));
        return false;
    }
    track(rc, mid, topic.size());
    return true;
}

void MosquittoMqtt::disconnect() {
    ++gen_;
    connect_timer_.cancel();
    if (client_ && state_ == MqttServiceState::Connected) {
        log(hal::LogLevel::Info, "MQTT: disconnecting from " + record_.broker());
        client_->disconnect(options_.disconnect_linger); // closes itself once DISCONNECT is written
        if (!client_->idle()) client_.reset(); // still writing: it finishes on its own, not cut by a connect
    } else {
        end_session(); // no session yet: nothing to tell the broker
    }
    state_ = MqttServiceState::Idle;
    record_.clear_pending();
}

void MosquittoMqtt::reset() {
    ++gen_;
    connect_timer_.cancel();
    end_session();
    relay_.reset(); // a DISCONNECT still on its way is cut too
    state_ = MqttServiceState::Idle;
    record_.clear_pending();
}

MqttServiceSnapshot MosquittoMqtt::snapshot() const { return record_.snapshot(state_); }

// ---- libmosquitto's events (MosquittoClient::Handler) ----------------------------------------------

void MosquittoMqtt::on_connack(int code) {
    if (state_ != MqttServiceState::Connecting) return;
    connect_timer_.cancel();
    if (code != 0) {
        // libmosquitto closes the connection next; on_ended then finds the service idle.
        fail_connect(MqttError::Rejected, code, mqtt_connack_text(code));
        return;
    }
    state_ = MqttServiceState::Connected;
    record_.connected();
    post([](hal::MqttListener& l) { l.on_mqtt_connected(); });
}

void MosquittoMqtt::on_message(std::string_view topic, std::string_view payload) {
    if (state_ != MqttServiceState::Connected) return;
    if (!record_.incoming_fits(topic, payload.size())) return;
    record_.delivered(payload.size());
    post([t = std::string(topic), m = std::string(payload)](hal::MqttListener& l) {
        l.on_mqtt_message(t, m);
    });
}

void MosquittoMqtt::on_completed(int mid) {
    if (!record_.complete(mid) && in_call_) completed_in_call_ = mid; // the call's own, written at once
}

void MosquittoMqtt::on_log(int level, std::string_view line) {
    if (level == MOSQ_LOG_ERR) {
        // During a TLS connect libmosquitto's errors are OpenSSL's; the first says why.
        if (record_.tls() && tls_detail_.empty()) tls_detail_.assign(line);
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
    record_.connect_failed(why, connack_code, detail);
    post([why, connack_code](hal::MqttListener& l) { l.on_mqtt_connect_failed(why, connack_code); });
}

void MosquittoMqtt::lose_session(MqttError why, const std::string& detail) {
    state_ = MqttServiceState::Idle;
    record_.session_lost(why, detail);
    post([why](hal::MqttListener& l) { l.on_mqtt_closed(why); });
}

void MosquittoMqtt::end_session() {
    if (!client_ || client_->idle()) return;
    client_->close();
    relay_.reset(); // the link closes (the broker sees the connection end, no DISCONNECT)
}

void MosquittoMqtt::track(int rc, int mid, std::size_t bytes) {
    if (rc != MOSQ_ERR_SUCCESS) return;
    if (completed_in_call_ == mid) {
        completed_in_call_.reset();
        return;
    }
    record_.track(mid, bytes);
}

void MosquittoMqtt::post(std::function<void(hal::MqttListener&)> event) {
    std::weak_ptr<MosquittoMqtt*> weak = alive_;
    asio::post(io_, [this, weak, gen = gen_, event = std::move(event)] {
        if (weak.expired() || gen != gen_) return;
        if (listener_) event(*listener_);
    });
}

} // namespace dtu::hal_sim
