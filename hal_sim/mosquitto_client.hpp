#pragma once
// A libmosquitto client driven from a Boost.Asio io_context: no thread per client
// (mosquitto_loop_start) and no select() (mosquitto_loop, which fails past fd 1024), so hundreds of
// devices can share a process.
//
// - One client object serves every session of one identity (client id, clean session, TLS
//   context): libmosquitto 2.0.11 never frees a client's SOCKS5 settings (mosquitto_destroy and
//   mosquitto_reinitialise leak them), so a new object per connect would leak on every reconnect.
//   start() begins a session (mosquitto_connect_async again); close() ends it abruptly.
// - The socket (mosquitto_socket) is watched with an asio posix::stream_descriptor: async_wait for
//   read readiness -> mosquitto_loop_read, for write readiness while mosquitto_want_write ->
//   mosquitto_loop_write. asio's epoll reactor is edge-triggered and libmosquitto may leave bytes
//   unread (it reads a SOCKS reply in two parts, and a bounded number of packets per call), so a
//   zero-timeout poll() of this one fd (and SSL_pending for TLS) decides whether to read again at
//   once rather than wait for an edge that will not come; likewise a write queued while the socket
//   has room (the CONNECT after the TLS handshake) is written at once.
// - A 1 s timer calls mosquitto_loop_misc (keep-alive: PINGREQ, and the end of a session whose
//   PINGRESP does not come; libmosquitto counts in whole seconds) and retries pending I/O.
// - The descriptor never owns the fd: it is released before libmosquitto closes the socket and
//   before mosquitto_destroy.
// - libmosquitto never reconnects by itself here: only its own loops (loop_forever, loop_start) do.
// - Handler callbacks run inside libmosquitto calls, except on_ended (after the loop call): a
//   handler must not destroy the client; the owner holds a shared_ptr, and asio handlers hold one
//   too while they are pending.
// - mosquitto_lib_init runs once per process (mosquitto_library()); mosquitto_new sets SIGPIPE
//   to SIG_IGN process-wide (libmosquitto writes with write(2)).
// Single-threaded: everything on the io_context's thread.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "hal_sim/socks5_protocol.hpp"
#include "hal_sim/tls_context.hpp"

struct mosquitto;
struct mosquitto_message;

namespace dtu::hal_sim {

/// mosquitto_lib_init, once per process (thread-safe). False if libmosquitto failed to initialise.
bool mosquitto_library();

/// What a client object is made for (fixed for its life).
struct MosquittoIdentity {
    std::string client_id; ///< empty: libmosquitto makes one up (clean session only)
    bool clean_session = true;
    SslCtxPtr ssl_ctx;            ///< TLS with this shared context (MOSQ_OPT_SSL_CTX), or nullptr: plain
    std::uint16_t socks_port = 0; ///< the relay on 127.0.0.1
    bool operator==(const MosquittoIdentity& o) const {
        return client_id == o.client_id && clean_session == o.clean_session && ssl_ctx == o.ssl_ctx &&
               socks_port == o.socks_port;
    }
};

/// The rest of one CONNECT. Strings are copied.
struct MosquittoSession {
    int protocol_version = 4; ///< 3 = MQTT 3.1, 4 = MQTT 3.1.1
    std::optional<std::string> username;
    std::optional<std::string> password; ///< sent only with a user name (MQTT 3.1.1 §3.1.2.9)
    struct Will {
        std::string topic;
        std::string payload;
        int qos = 0;
        bool retain = false;
    };
    std::optional<Will> will;
    std::string host;          ///< the broker, as the firmware named it (resolved by the relay's link)
    socks5::Credentials relay; ///< the relay's one-time credentials (Socks5Relay::issue_credentials)
    std::uint16_t port = 1883;
    int keepalive_s = 60; ///< 0 or 5..65535 (libmosquitto's range)
};

class MosquittoClient : public std::enable_shared_from_this<MosquittoClient> {
public:
    /// One session's events. Called from inside libmosquitto: record, post, count.
    class Handler {
    public:
        virtual ~Handler() = default;
        virtual void on_connack(int code) = 0;
        virtual void on_message(std::string_view topic, std::string_view payload) = 0;
        /// A publish (QoS 0: written; 1: PUBACK; 2: PUBCOMP), subscribe or unsubscribe completed.
        virtual void on_completed(int mid) = 0;
        /// libmosquitto's log (MOSQ_LOG_ERR / WARNING / NOTICE / INFO). A TLS error line starts with
        /// the certificate verification failure when there is one ("hostname mismatch (...)").
        virtual void on_log(int level, std::string_view line) = 0;
        /// The connection is gone (rc: libmosquitto's reason). Called once per session, outside
        /// libmosquitto; not after close() or disconnect().
        virtual void on_ended(int rc) = 0;
    };

    /// Build the client; on an identity libmosquitto refuses, nullptr and why.
    static std::shared_ptr<MosquittoClient> create(boost::asio::io_context& io,
                                                   const MosquittoIdentity& identity, std::string& error);
    ~MosquittoClient();
    MosquittoClient(const MosquittoClient&) = delete;
    MosquittoClient& operator=(const MosquittoClient&) = delete;

    const MosquittoIdentity& identity() const { return identity_; }
    /// No session: start() may be called. (False while a DISCONNECT is still being written.)
    bool idle() const { return !in_session_; }
    /// False once a session could not be closed cleanly: the object must not be used again.
    bool reusable() const { return reusable_; }

    /// Begin a session: options, then the non-blocking connect to the relay (the SOCKS greeting is
    /// queued). A MOSQ_ERR_* value; on success local_port() is the port the relay will see.
    int start(const MosquittoSession& session, Handler& handler);
    std::uint16_t local_port() const { return local_port_; }

    /// libmosquitto's calls; MOSQ_ERR_* values. mid receives the message id.
    int publish(const std::string& topic, std::string_view payload, int qos, bool retain, int& mid);
    int subscribe(const std::string& topic, int qos, int& mid);
    int unsubscribe(const std::string& topic, int& mid);
    /// Send DISCONNECT, then close (when it is written, or after linger). No more events.
    void disconnect(std::chrono::milliseconds linger);
    /// End the session now: no DISCONNECT (the relay sees the socket close), no more events.
    void close();

private:
    MosquittoClient(boost::asio::io_context& io, MosquittoIdentity identity);
    int configure();
    int prepare(const MosquittoSession& s);
    void watch(bool wrote = false);
    void on_ready(std::uint64_t session, bool write, const boost::system::error_code& ec);
    void tick();
    void after_loop(bool wrote = false);
    void session_over();
    bool socket_open() const;
    bool ready_now(short poll_events) const;
    bool readable_now() const;
    void release_fd();
    void* ssl() const;

    static void cb_connect(mosquitto*, void* self, int rc);
    static void cb_disconnect(mosquitto*, void* self, int rc);
    static void cb_message(mosquitto*, void* self, const mosquitto_message* msg);
    static void cb_publish(mosquitto*, void* self, int mid);
    static void cb_subscribe(mosquitto*, void* self, int mid, int count, const int* granted);
    static void cb_unsubscribe(mosquitto*, void* self, int mid);
    static void cb_log(mosquitto*, void* self, int level, const char* line);

    boost::asio::io_context& io_;
    const MosquittoIdentity identity_;
    struct Destroy {
        void operator()(mosquitto* m) const;
    };
    std::unique_ptr<mosquitto, Destroy> mosq_;
    boost::asio::posix::stream_descriptor fd_;
    boost::asio::steady_timer tick_;
    boost::asio::steady_timer linger_;
    Handler* handler_ = nullptr; ///< the session's; nullptr after close() / disconnect()
    std::uint64_t session_ = 0;  ///< bumped by start() and when a session ends: stale handlers return
    std::uint16_t local_port_ = 0;
    bool in_session_ = false;
    bool reusable_ = true;
    bool connacked_ = false;  ///< a CONNACK arrived in this session (so a TLS handshake completed)
    bool reading_ = false;    ///< a read wait (or an immediate read) is pending
    bool writing_ = false;    ///< a write wait is pending
    int immediate_reads_ = 0; ///< reads posted in a row because bytes were already waiting
    int end_rc_ = 0;          ///< from libmosquitto's on_disconnect
};

} // namespace dtu::hal_sim
