#include "hal_sim/mosquitto_client.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <mutex>
#include <utility>

#include <boost/asio/post.hpp>
#include <mosquitto.h>
#include <openssl/ssl.h>

namespace dtu::hal_sim {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr auto kTick = std::chrono::seconds(1); // libmosquitto's keep-alive counts whole seconds

} // namespace

bool mosquitto_library() {
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] { ok = mosquitto_lib_init() == MOSQ_ERR_SUCCESS; });
    return ok;
}

void MosquittoClient::Destroy::operator()(mosquitto* m) const { mosquitto_destroy(m); }

MosquittoClient::MosquittoClient(asio::io_context& io, Handler& handler)
    : io_(io), handler_(&handler), fd_(io), tick_(io), linger_(io) {}

MosquittoClient::~MosquittoClient() {
    release_fd();
    mosq_.reset(); // closes the socket if libmosquitto still has it
}

std::shared_ptr<MosquittoClient> MosquittoClient::create(asio::io_context& io, const MosquittoSetup& setup,
                                                         Handler& handler, std::string& error) {
    if (!mosquitto_library()) {
        error = "libmosquitto did not initialise";
        return nullptr;
    }
    std::shared_ptr<MosquittoClient> client(new MosquittoClient(io, handler));
    const int rc = client->configure(setup);
    if (rc != MOSQ_ERR_SUCCESS) {
        error = mosquitto_strerror(rc);
        return nullptr;
    }
    return client;
}

int MosquittoClient::configure(const MosquittoSetup& s) {
    mosquitto* m = mosquitto_new(s.client_id.empty() ? nullptr : s.client_id.c_str(), s.clean_session, this);
    if (!m) return errno == ENOMEM ? MOSQ_ERR_NOMEM : MOSQ_ERR_INVAL;
    mosq_.reset(m);
    int rc = mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION,
                                  s.protocol_version == 3 ? MQTT_PROTOCOL_V31 : MQTT_PROTOCOL_V311);
    if (rc == MOSQ_ERR_SUCCESS && s.username)
        rc = mosquitto_username_pw_set(m, s.username->c_str(), s.password ? s.password->c_str() : nullptr);
    if (rc == MOSQ_ERR_SUCCESS && s.will)
        rc = mosquitto_will_set(m, s.will->topic.c_str(), static_cast<int>(s.will->payload.size()),
                                s.will->payload.data(), s.will->qos, s.will->retain);
    if (rc == MOSQ_ERR_SUCCESS) rc = mosquitto_socks5_set(m, "127.0.0.1", s.socks_port, nullptr, nullptr);
    if (rc == MOSQ_ERR_SUCCESS && s.ssl_ctx) {
        // The shared context as it is: libmosquitto's defaults (its own CA loading, verify
        // callback) would replace what the context was built with.
        rc = mosquitto_void_option(m, MOSQ_OPT_SSL_CTX, s.ssl_ctx);
        if (rc == MOSQ_ERR_SUCCESS) rc = mosquitto_int_option(m, MOSQ_OPT_SSL_CTX_WITH_DEFAULTS, 0);
    }
    if (rc == MOSQ_ERR_SUCCESS) rc = mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
    if (rc != MOSQ_ERR_SUCCESS) return rc;
    mosquitto_connect_callback_set(m, &cb_connect);
    mosquitto_disconnect_callback_set(m, &cb_disconnect);
    mosquitto_message_callback_set(m, &cb_message);
    mosquitto_publish_callback_set(m, &cb_publish);
    mosquitto_subscribe_callback_set(m, &cb_subscribe);
    mosquitto_unsubscribe_callback_set(m, &cb_unsubscribe);
    mosquitto_log_callback_set(m, &cb_log);
    host_ = s.host;
    port_ = s.port;
    keepalive_ = s.keepalive_s;
    socks_port_ = s.socks_port;
    return MOSQ_ERR_SUCCESS;
}

int MosquittoClient::start() {
    // With a SOCKS5 proxy libmosquitto connects to 127.0.0.1 (no name lookup) and sends the broker's
    // name in the SOCKS request: the relay's link resolves it, off this thread.
    const int rc = mosquitto_connect_async(mosq_.get(), host_.c_str(), port_, keepalive_);
    if (rc != MOSQ_ERR_SUCCESS) return rc;
    const int fd = mosquitto_socket(mosq_.get());
    if (fd < 0) return MOSQ_ERR_NO_CONN;
    error_code ec;
    fd_.assign(fd, ec);
    if (ec) return MOSQ_ERR_ERRNO;
    sockaddr_storage local{};
    socklen_t len = sizeof local;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) == 0 && local.ss_family == AF_INET)
        local_port_ = ntohs(reinterpret_cast<const sockaddr_in*>(&local)->sin_port);
    tick();
    watch();
    return MOSQ_ERR_SUCCESS;
}

int MosquittoClient::publish(const std::string& topic, std::string_view payload, int qos, bool retain,
                             int& mid) {
    if (ended_) return MOSQ_ERR_NO_CONN;
    const int rc = mosquitto_publish(mosq_.get(), &mid, topic.c_str(), static_cast<int>(payload.size()),
                                     payload.data(), qos, retain);
    after_loop(); // the call writes at once when it can; the rest waits for the socket
    return rc;
}

int MosquittoClient::subscribe(const std::string& topic, int qos, int& mid) {
    if (ended_) return MOSQ_ERR_NO_CONN;
    const int rc = mosquitto_subscribe(mosq_.get(), &mid, topic.c_str(), qos);
    after_loop();
    return rc;
}

int MosquittoClient::unsubscribe(const std::string& topic, int& mid) {
    if (ended_) return MOSQ_ERR_NO_CONN;
    const int rc = mosquitto_unsubscribe(mosq_.get(), &mid, topic.c_str());
    after_loop();
    return rc;
}

void MosquittoClient::disconnect(std::chrono::milliseconds linger) {
    handler_ = nullptr;
    if (ended_) return;
    // libmosquitto closes the socket once the DISCONNECT is written (at once, unless the socket is full).
    mosquitto_disconnect(mosq_.get());
    if (!socket_open()) {
        stop();
        return;
    }
    auto self = shared_from_this();
    linger_.expires_after(linger);
    linger_.async_wait([self](const error_code& ec) {
        if (!ec) self->stop();
    });
    watch();
}

void MosquittoClient::stop() {
    handler_ = nullptr;
    ended_ = true;
    tick_.cancel();
    linger_.cancel();
    release_fd();
    mosq_.reset();
}

void* MosquittoClient::ssl() const { return mosq_ ? mosquitto_ssl_get(mosq_.get()) : nullptr; }

bool MosquittoClient::socket_open() const { return mosq_ && mosquitto_socket(mosq_.get()) >= 0; }

bool MosquittoClient::readable_now() const {
    pollfd p{mosquitto_socket(mosq_.get()), POLLIN, 0};
    if (::poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR))) return true;
    SSL* s = static_cast<SSL*>(ssl()); // decrypted bytes OpenSSL already holds
    return s && SSL_pending(s) > 0;
}

void MosquittoClient::release_fd() {
    if (!fd_.is_open()) return;
    fd_.release(); // cancels the waits; libmosquitto owns (and closes) the fd
}

void MosquittoClient::watch() {
    if (ended_ || !fd_.is_open()) return;
    auto self = shared_from_this();
    if (!reading_) {
        reading_ = true;
        if (readable_now()) {
            asio::post(io_, [self] { self->on_ready(false, {}); });
        } else {
            fd_.async_wait(asio::posix::stream_descriptor::wait_read,
                           [self](const error_code& ec) { self->on_ready(false, ec); });
        }
    }
    // want_write: the last write stopped at EAGAIN, so the socket will signal when it drains.
    if (!writing_ && mosquitto_want_write(mosq_.get())) {
        writing_ = true;
        fd_.async_wait(asio::posix::stream_descriptor::wait_write,
                       [self](const error_code& ec) { self->on_ready(true, ec); });
    }
}

void MosquittoClient::on_ready(bool write, const error_code& ec) {
    (write ? writing_ : reading_) = false;
    if (ec == asio::error::operation_aborted || ended_ || !fd_.is_open()) return;
    if (ec) {
        // The reactor gave up on the descriptor: end the session rather than spin.
        end_rc_ = MOSQ_ERR_ERRNO;
        mosquitto_disconnect(mosq_.get());
        release_fd();
        ended_ = true;
        if (Handler* h = std::exchange(handler_, nullptr)) h->on_ended(end_rc_);
        return;
    }
    if (write)
        mosquitto_loop_write(mosq_.get(), 1);
    else
        mosquitto_loop_read(mosq_.get(), 1);
    after_loop(); // a failure shows as libmosquitto having closed the socket (cb_disconnect has the rc)
}

void MosquittoClient::tick() {
    auto self = shared_from_this();
    tick_.expires_after(kTick);
    tick_.async_wait([self](const error_code& ec) {
        if (ec || self->ended_) return;
        mosquitto_loop_misc(self->mosq_.get());
        if (self->socket_open() && !self->writing_ && mosquitto_want_write(self->mosq_.get()))
            mosquitto_loop_write(self->mosq_.get(), 1); // a safety net for a missed write edge
        self->after_loop();
        if (!self->ended_) self->tick();
    });
}

void MosquittoClient::after_loop() {
    if (ended_) return;
    if (socket_open()) {
        watch();
        return;
    }
    release_fd(); // libmosquitto has closed it
    ended_ = true;
    tick_.cancel();
    linger_.cancel();
    if (Handler* h = std::exchange(handler_, nullptr)) h->on_ended(end_rc_);
}

// ---- libmosquitto callbacks (run inside libmosquitto calls) ---------------------------------------

void MosquittoClient::cb_connect(mosquitto*, void* self, int rc) {
    if (Handler* h = static_cast<MosquittoClient*>(self)->handler_) h->on_connack(rc);
}

void MosquittoClient::cb_disconnect(mosquitto*, void* self, int rc) {
    static_cast<MosquittoClient*>(self)->end_rc_ = rc;
}

void MosquittoClient::cb_message(mosquitto*, void* self, const mosquitto_message* msg) {
    Handler* h = static_cast<MosquittoClient*>(self)->handler_;
    if (!h || !msg) return;
    const std::string_view topic = msg->topic ? std::string_view(msg->topic) : std::string_view();
    const std::string_view payload(static_cast<const char*>(msg->payload),
                                   msg->payload ? static_cast<std::size_t>(msg->payloadlen) : 0);
    h->on_message(topic, payload);
}

void MosquittoClient::cb_publish(mosquitto*, void* self, int mid) {
    if (Handler* h = static_cast<MosquittoClient*>(self)->handler_) h->on_completed(mid);
}

void MosquittoClient::cb_subscribe(mosquitto*, void* self, int mid, int, const int*) {
    if (Handler* h = static_cast<MosquittoClient*>(self)->handler_) h->on_completed(mid);
}

void MosquittoClient::cb_unsubscribe(mosquitto*, void* self, int mid) {
    if (Handler* h = static_cast<MosquittoClient*>(self)->handler_) h->on_completed(mid);
}

void MosquittoClient::cb_log(mosquitto*, void* self, int level, const char* line) {
    if (level == MOSQ_LOG_DEBUG || !line) return; // one line per packet: too much for the device log
    if (Handler* h = static_cast<MosquittoClient*>(self)->handler_) h->on_log(level, line);
}

} // namespace dtu::hal_sim
