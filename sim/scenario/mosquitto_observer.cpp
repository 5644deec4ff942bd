#include "sim/scenario/mosquitto_observer.hpp"

#include <stdexcept>

#include <boost/asio/post.hpp>
#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "hal_sim/mosquitto_client.hpp"

namespace dtu::sim::scenario {
namespace {

constexpr int kKeepAlive = 60;
constexpr const char* kEverything = "#";

void check(int rc, const char* what) {
    if (rc != MOSQ_ERR_SUCCESS)
        throw std::runtime_error(std::string("broker observer: ") + what + ": " + mosquitto_strerror(rc));
}

} // namespace

void MosquittoObserver::Destroy::operator()(mosquitto* m) const { mosquitto_destroy(m); }

MosquittoObserver::MosquittoObserver(boost::asio::io_context& io, std::uint16_t port,
                                     const std::string& client_id,
                                     const std::optional<Credentials>& credentials, OnMessage on_message,
                                     std::chrono::milliseconds timeout)
    : io_(io), on_message_(std::move(on_message)) {
    if (!hal_sim::mosquitto_library()) throw std::runtime_error("libmosquitto did not initialise");
    mosq_.reset(mosquitto_new(client_id.c_str(), true, this));
    if (!mosq_) throw std::runtime_error("broker observer: mosquitto_new failed");
    mosquitto* m = mosq_.get();
    check(mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5), "MQTT 5");
    if (credentials)
        check(mosquitto_username_pw_set(m, credentials->first.c_str(), credentials->second.c_str()),
              "credentials");
    mosquitto_connect_callback_set(m, &cb_connect);
    mosquitto_disconnect_callback_set(m, &cb_disconnect);
    mosquitto_subscribe_callback_set(m, &cb_subscribe);
    mosquitto_publish_callback_set(m, &cb_publish);
    mosquitto_message_callback_set(m, &cb_message);
    check(mosquitto_connect(m, "127.0.0.1", port, kKeepAlive), "connect");
    check(mosquitto_loop_start(m), "thread");
    std::unique_lock lock(mutex_);
    const bool ready = changed_.wait_for(lock, timeout, [&] { return subscribed_ || connack_ > 0; });
    if (!ready || !subscribed_) {
        const int code = connack_;
        lock.unlock();
        mosquitto_disconnect(m);
        mosquitto_loop_stop(m, true);
        throw std::runtime_error(code > 0 ? "broker observer: CONNACK " + std::to_string(code)
                                          : "broker observer: not subscribed in time");
    }
}

MosquittoObserver::~MosquittoObserver() {
    mosquitto_disconnect(mosq_.get());
    mosquitto_loop_stop(mosq_.get(), false); // the thread ends on the disconnect
}

bool MosquittoObserver::publish(std::string_view topic, std::string_view payload, int qos, bool retain,
                                std::string& error, std::chrono::milliseconds timeout) {
    int mid = 0;
    const std::string t(topic);
    // The lock spans the call: cb_publish (the other thread) may run before it returns.
    std::unique_lock lock(mutex_);
    const int rc = mosquitto_publish(mosq_.get(), &mid, t.c_str(), static_cast<int>(payload.size()),
                                     payload.data(), qos, retain);
    if (rc != MOSQ_ERR_SUCCESS) {
        error = mosquitto_strerror(rc);
        return false;
    }
    if (!changed_.wait_for(lock, timeout, [&] { return completed_.count(mid) > 0; })) {
        error = "not acknowledged in time";
        return false;
    }
    completed_.erase(mid);
    return true;
}

void MosquittoObserver::cb_connect(mosquitto* m, void* self, int rc) {
    auto* o = static_cast<MosquittoObserver*>(self);
    {
        std::lock_guard lock(o->mutex_);
        o->connack_ = rc;
        o->subscribed_ = false;
        o->lost_ = false;
    }
    o->changed_.notify_all();
    if (rc != 0) return;
    // On every (re)connection: libmosquitto's thread reconnects by itself after a broker restart.
    constexpr int options =
        MQTT_SUB_OPT_NO_LOCAL | MQTT_SUB_OPT_RETAIN_AS_PUBLISHED | MQTT_SUB_OPT_SEND_RETAIN_NEVER;
    mosquitto_subscribe_v5(m, nullptr, kEverything, 2, options, nullptr);
}

bool MosquittoObserver::wait_connection_lost(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return lost_; });
}

void MosquittoObserver::cb_disconnect(mosquitto*, void* self, int) {
    auto* o = static_cast<MosquittoObserver*>(self);
    {
        std::lock_guard lock(o->mutex_);
        o->lost_ = true;
    }
    o->changed_.notify_all();
}

void MosquittoObserver::cb_subscribe(mosquitto*, void* self, int, int, const int*) {
    auto* o = static_cast<MosquittoObserver*>(self);
    {
        std::lock_guard lock(o->mutex_);
        o->subscribed_ = true;
    }
    o->changed_.notify_all();
}

void MosquittoObserver::cb_publish(mosquitto*, void* self, int mid) {
    auto* o = static_cast<MosquittoObserver*>(self);
    {
        std::lock_guard lock(o->mutex_);
        o->completed_.insert(mid);
    }
    o->changed_.notify_all();
}

void MosquittoObserver::cb_message(mosquitto*, void* self, const mosquitto_message* msg) {
    auto* o = static_cast<MosquittoObserver*>(self);
    if (!msg || !msg->topic) return;
    Message m{msg->topic,
              std::string(static_cast<const char*>(msg->payload),
                          msg->payload ? static_cast<std::size_t>(msg->payloadlen) : 0),
              static_cast<std::uint8_t>(msg->qos), msg->retain};
    boost::asio::post(o->io_, [fn = o->on_message_, m = std::move(m)] { fn(m); });
}

} // namespace dtu::sim::scenario
