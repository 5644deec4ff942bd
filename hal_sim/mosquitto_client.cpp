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
constexpr int kMaxImmediate = 64;               // reads in a row without waiting for the reactor

} // namespace

bool mosquitto_library() {
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] { ok = mosquitto_lib_init() == MOSQ_ERR_SUCCESS; });
    return ok;
}

void MosquittoClient::Destroy::operator()(mosquitto* m) const { mosquitto_destroy(m); }

MosquittoClient::MosquittoClient(asio::io_context& io, MosquittoIdentity identity)
    : io_(io), identity_(std::move(identity)), fd_(io), tick_(io), linger_(io) {}

MosquittoClient::~MosquittoClient() {
    release_fd();
    mosq_.reset(); // closes the socket if libmosquitto still has it
}

std::shared_ptr<MosquittoClient>
MosquittoClient::create(asio::io_context& io, const MosquittoIdentity& identity, std::string& error) {
    if (!mosquitto_library()) {
        error = "libmosquitto did not initialise";
        return nullptr;
    }
    std::shared_ptr<MosquittoClient> client(new MosquittoClient(io, identity));
    const int rc = client->configure();
    if (rc != MOSQ_ERR_SUCCESS) {
        error = mosquitto_strerror(rc);
        return nullptr;
    }
    return client;
}

int MosquittoClient::configure() {
    const MosquittoIdentity& id = identity_;
    mosquitto* m =
        mosquitto_new(id.client_id.empty() ? nullptr : id.client_id.c_str(), id.clean_session, this);
    if (!m) return errno == ENOMEM ? MOSQ_ERR_NOMEM : MOSQ_ERR_INVAL;
    mosq_.reset(m);
    int rc = MOSQ_ERR_SUCCESS;
    if (id.ssl_ctx) {
        // The shared context as it is (libmosquitto's defaults would load its own CA settings over
        // it). libmosquitto sets SNI to the broker host; the context's verify callback checks the
        // certificate against it (TlsContextCache).
        rc = mosquitto_int_option(m, MOSQ_OPT_SSL_CTX_WITH_DEFAULTS, 0);
        if (rc == MOSQ_ERR_SUCCESS) rc = mosquitto_void_option(m, MOSQ_OPT_SSL_CTX, id.ssl_ctx.get());
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
    return MOSQ_ERR_SUCCESS;
}

int MosquittoClient::prepare(const MosquittoSession& s) {
    mosquitto* m = mosq_.get();
    // Each session authenticates to the relay with its own credentials. libmosquitto 2.0.11's
    // mosquitto_destroy never frees what this call copies (socks5_host, _username, _password): a
    // leak of about 80 bytes per client object, inside the library. Setting it again frees the
    // previous copies, so a reused object leaks only its last one.
    int rc = mosquitto_socks5_set(m, "127.0.0.1", identity_.socks_port, s.relay.username.c_str(),
                                  s.relay.password.c_str());
    if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION,
                                  s.protocol_version == 3 ? MQTT_PROTOCOL_V31 : MQTT_PROTOCOL_V311);
    if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_username_pw_set(m, s.username ? s.username->c_str() : nullptr,
                                       s.username && s.password ? s.password->c_str() : nullptr);
    if (rc == MOSQ_ERR_SUCCESS) rc = mosquitto_will_clear(m);
    if (rc == MOSQ_ERR_SUCCESS && s.will)
        rc = mosquitto_will_set(m, s.will->topic.c_str(), static_cast<int>(s.will->payload.size()),
                                s.will->payload.data(), s.will->qos, s.will->retain);
    return rc;
}

int MosquittoClient::start(const MosquittoSession& s, Handler& handler) {
    if (in_session_ || !reusable_) return MOSQ_ERR_INVAL;
    if (const int rc = prepare(s); rc != MOSQ_ERR_SUCCESS) return rc;
    // With a SOCKS5 proxy libmosquitto connects to 127.0.0.1 (no name lookup) and sends the broker's
    // name in the SOCKS request: the relay's link resolves it, off this thread.
    if (const int rc = mosquitto_connect_async(mosq_.get(), s.host.c_str(), s.port, s.keepalive_s);
        rc != MOSQ_ERR_SUCCESS)
        return rc;
    const int fd = mosquitto_socket(mosq_.get());
    error_code ec;
    if (fd >= 0) fd_.assign(fd, ec);
    if (fd < 0 || ec) {
        reusable_ = false; // libmosquitto has a socket we cannot watch: start afresh next time
        return MOSQ_ERR_ERRNO;
    }
    sockaddr_storage local{};
    socklen_t len = sizeof local;
    local_port_ = 0;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) == 0 && local.ss_family == AF_INET)
        local_port_ = ntohs(reinterpret_cast<const sockaddr_in*>(&local)->sin_port);
    handler_ = &handler;
    in_session_ = true;
    connacked_ = false;
    ++session_;
    end_rc_ = MOSQ_ERR_CONN_LOST;
    immediate_reads_ = 0;
    tick();
    watch();
    return MOSQ_ERR_SUCCESS;
}

int MosquittoClient::publish(const std::string& topic, std::string_view payload, int qos, bool retain,
                             int& mid) {
    if (!in_session_) return MOSQ_ERR_NO_CONN;
    const int rc = mosquitto_publish(mosq_.get(), &mid, topic.c_str(), static_cast<int>(payload.size()),
                                     payload.data(), qos, retain);
    after_loop(); // the call writes at once when it can; the rest waits for the socket
    return rc;
}

int MosquittoClient::subscribe(const std::string& topic, int qos, int& mid) {
    if (!in_session_) return MOSQ_ERR_NO_CONN;
    const int rc = mosquitto_subscribe(mosq_.get(), &mid, topic.c_str(), qos);
    after_loop();
    return rc;
}

int MosquittoClient::unsubscribe(const std::string& topic, int& mid) {
    if (!in_session_) return MOSQ_ERR_NO_CONN;
    const int rc = mosquitto_unsubscribe(mosq_.get(), &mid, topic.c_str());
    after_loop();
    return rc;
}

void MosquittoClient::disconnect(std::chrono::milliseconds linger) {
    if (!in_session_) return;
    handler_ = nullptr;
    // libmosquitto closes the socket once the DISCONNECT is written (at once, unless the socket is full).
    mosquitto_disconnect(mosq_.get());
    if (!socket_open()) return session_over();
    auto self = shared_from_this();
    linger_.expires_after(linger);
    linger_.async_wait([self, s = session_](const error_code& ec) {
        if (!ec && s == self->session_) self->close();
    });
    watch();
}

void MosquittoClient::close() {
    if (!in_session_) return;
    handler_ = nullptr;
    if (socket_open()) {
        // No DISCONNECT: shut the socket (the relay sees it end) and let libmosquitto read the end
        // and close it, which leaves the object ready for the next session.
        const int fd = mosquitto_socket(mosq_.get());
        ::shutdown(fd, SHUT_RDWR);
        release_fd();
        errno = 0; // libmosquitto's SOCKS reader looks at errno after a read of 0 bytes
        mosquitto_loop_read(mosq_.get(), 1);
        if (socket_open()) reusable_ = false; // it did not let go (mid-TLS-handshake): destroy it
    }
    session_over();
}

void* MosquittoClient::ssl() const { return mosq_ ? mosquitto_ssl_get(mosq_.get()) : nullptr; }

bool MosquittoClient::socket_open() const { return mosq_ && mosquitto_socket(mosq_.get()) >= 0; }

bool MosquittoClient::ready_now(short events) const {
    pollfd p{mosquitto_socket(mosq_.get()), events, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & (events | POLLHUP | POLLERR));
}

bool MosquittoClient::readable_now() const {
    if (ready_now(POLLIN)) return true;
    const SSL* s = static_cast<const SSL*>(ssl()); // decrypted bytes OpenSSL already holds
    return s && SSL_pending(s) > 0;
}

void MosquittoClient::release_fd() {
    if (!fd_.is_open()) return;
    fd_.release(); // cancels the waits; libmosquitto owns (and closes) the fd
}

void MosquittoClient::session_over() {
    // libmosquitto 2.0.11 keeps something of a TLS session that ended before CONNACK (a failed
    // handshake): the next connect on the same object stalls in its SOCKS exchange until the relay
    // times out. Such an object is replaced (at the cost of libmosquitto's small SOCKS leak).
    if (in_session_ && identity_.ssl_ctx && !connacked_) reusable_ = false;
    release_fd();
    in_session_ = false;
    handler_ = nullptr;
    ++session_; // handlers of this session still queued return at once
    reading_ = writing_ = false;
    tick_.cancel();
    linger_.cancel();
}

void MosquittoClient::watch(bool wrote) {
    if (!in_session_ || !fd_.is_open()) return;
    auto self = shared_from_this();
    const std::uint64_t s = session_;
    if (!reading_) {
        reading_ = true;
        // Bytes already waiting will not make a new edge: read them now. The cap keeps a client that
        // leaves readable bytes unread (it should not) from spinning; the tick retries it.
        if (readable_now() && immediate_reads_ < kMaxImmediate) {
            ++immediate_reads_;
            asio::post(io_, [self, s] { self->on_ready(s, false, {}); });
        } else {
            immediate_reads_ = 0;
            fd_.async_wait(asio::posix::stream_descriptor::wait_read,
                           [self, s](const error_code& ec) { self->on_ready(s, false, ec); });
        }
    }
    if (!writing_ && mosquitto_want_write(mosq_.get())) {
        writing_ = true;
        // Something was queued while the socket had room (the CONNECT after the TLS handshake, say):
        // write now. After a write that left data queued, the socket is full: wait for it to drain.
        if (!wrote && ready_now(POLLOUT)) {
            asio::post(io_, [self, s] { self->on_ready(s, true, {}); });
        } else {
            fd_.async_wait(asio::posix::stream_descriptor::wait_write,
                           [self, s](const error_code& ec) { self->on_ready(s, true, ec); });
        }
    }
}

void MosquittoClient::on_ready(std::uint64_t session, bool write, const error_code& ec) {
    if (session != session_) return; // from a session that has ended
    (write ? writing_ : reading_) = false;
    if (ec == asio::error::operation_aborted || !fd_.is_open()) return;
    if (ec) {
        // The reactor gave up on the descriptor: end the session rather than spin.
        Handler* h = handler_;
        close();
        if (h) h->on_ended(MOSQ_ERR_ERRNO);
        return;
    }
    if (write)
        mosquitto_loop_write(mosq_.get(), 1);
    else
        mosquitto_loop_read(mosq_.get(), 1);
    after_loop(write); // a failure shows as libmosquitto having closed the socket (cb_disconnect: rc)
}

void MosquittoClient::tick() {
    auto self = shared_from_this();
    tick_.expires_after(kTick);
    tick_.async_wait([self, s = session_](const error_code& ec) {
        if (ec || s != self->session_) return;
        mosquitto* m = self->mosq_.get();
        mosquitto_loop_misc(m);
        // A safety net for an edge the reactor did not report: retry what is pending.
        if (self->socket_open() && !self->writing_ && mosquitto_want_write(m)) mosquitto_loop_write(m, 1);
        if (self->socket_open() && self->readable_now()) mosquitto_loop_read(m, 1);
        self->after_loop();
        if (s == self->session_) self->tick();
    });
}

void MosquittoClient::after_loop(bool wrote) {
    if (!in_session_) return;
    if (socket_open()) {
        watch(wrote);
        return;
    }
    // libmosquitto has closed the socket: the session is over.
    Handler* h = handler_;
    const int rc = end_rc_;
    session_over();
    if (h) h->on_ended(rc);
}

// ---- libmosquitto callbacks (run inside libmosquitto calls) ---------------------------------------

void MosquittoClient::cb_connect(mosquitto*, void* self, int rc) {
    auto* client = static_cast<MosquittoClient*>(self);
    client->connacked_ = true;
    if (Handler* h = client->handler_) h->on_connack(rc);
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
    auto* client = static_cast<MosquittoClient*>(self);
    Handler* h = client->handler_;
    if (!h) return;
    // A failed handshake is logged while the SSL object still exists: name the verification failure.
    const SSL* ssl = static_cast<const SSL*>(client->ssl());
    const long verify = ssl && level == MOSQ_LOG_ERR ? SSL_get_verify_result(ssl) : X509_V_OK;
    if (verify != X509_V_OK) {
        h->on_log(level, tls_verify_reason(verify) + " (" + line + ")");
        return;
    }
    h->on_log(level, line);
}

} // namespace dtu::hal_sim
