#pragma once
// One libmosquitto client (one MQTT session attempt) driven from a Boost.Asio io_context: no
// thread per client (mosquitto_loop_start) and no select() (mosquitto_loop, which fails past fd
// 1024), so hundreds of devices can share a process.
//
// - The socket (mosquitto_socket) is watched with an asio posix::stream_descriptor: async_wait for
//   read readiness -> mosquitto_loop_read, for write readiness while mosquitto_want_write ->
//   mosquitto_loop_write. asio's epoll reactor is edge-triggered and libmosquitto reads one packet
//   (or one part of a SOCKS reply) per call, so after each read a zero-timeout poll() of this one
//   fd (and SSL_pending for TLS) decides whether to read again at once rather than wait for an
//   edge that will not come.
// - A 1 s timer calls mosquitto_loop_misc (keep-alive: PINGREQ, and the end of a session whose
//   PINGRESP does not come; libmosquitto counts in whole seconds) and retries a pending write.
// - The descriptor never owns the fd: it is released before libmosquitto closes the socket and
//   before mosquitto_destroy.
// - libmosquitto never reconnects by itself here: only its own loops (loop_forever, loop_start) do.
// - Callbacks (Handler) run inside libmosquitto calls; a handler must not destroy the client
//   there: ended() comes after the loop call returned, and the owner drops its shared_ptr then
//   (pending asio handlers keep the object alive until they have run).
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

struct mosquitto;
struct mosquitto_message;
struct ssl_ctx_st;

namespace dtu::hal_sim {

/// mosquitto_lib_init, once per process (thread-safe). False if libmosquitto failed to initialise.
bool mosquitto_library();

/// The CONNECT and the route of one client. Strings are copied.
struct MosquittoSetup {
    std::string client_id; ///< empty: libmosquitto makes one up (clean session only)
    bool clean_session = true;
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
    std::string host; ///< the broker, as the firmware named it (resolved by the relay's link)
    std::uint16_t port = 1883;
    int keepalive_s = 60;          ///< 0 or 5..65535 (libmosquitto's range)
    std::uint16_t socks_port = 0;  ///< the relay on 127.0.0.1
    ssl_ctx_st* ssl_ctx = nullptr; ///< TLS with this context (libmosquitto's MOSQ_OPT_SSL_CTX), or plain
};

class MosquittoClient : public std::enable_shared_from_this<MosquittoClient> {
public:
    /// Called from inside libmosquitto: record, post, count; never destroy the client.
    class Handler {
    public:
        virtual ~Handler() = default;
        virtual void on_connack(int code) = 0;
        virtual void on_message(std::string_view topic, std::string_view payload) = 0;
        /// A publish (QoS 0: written; 1: PUBACK; 2: PUBCOMP), subscribe or unsubscribe completed.
        virtual void on_completed(int mid) = 0;
        /// libmosquitto's log (MOSQ_LOG_ERR / WARNING / NOTICE / INFO).
        virtual void on_log(int level, std::string_view line) = 0;
        /// The connection is gone (rc: libmosquitto's reason, MOSQ_ERR_SUCCESS after our DISCONNECT).
        /// Called once, outside libmosquitto.
        virtual void on_ended(int rc) = 0;
    };

    /// Build the client; on a parameter libmosquitto refuses, nullptr and why.
    static std::shared_ptr<MosquittoClient> create(boost::asio::io_context& io, const MosquittoSetup& setup,
                                                   Handler& handler, std::string& error);
    ~MosquittoClient();
    MosquittoClient(const MosquittoClient&) = delete;
    MosquittoClient& operator=(const MosquittoClient&) = delete;

    /// Start the non-blocking connect to the relay (the SOCKS greeting is queued). A MOSQ_ERR_*
    /// value; on success local_port() is the port the relay will see.
    int start();
    std::uint16_t local_port() const { return local_port_; }

    /// libmosquitto's calls; MOSQ_ERR_* values. mid receives the message id.
    int publish(const std::string& topic, std::string_view payload, int qos, bool retain, int& mid);
    int subscribe(const std::string& topic, int qos, int& mid);
    int unsubscribe(const std::string& topic, int& mid);
    /// Send DISCONNECT; the client then closes itself (no on_ended) when it is written, or after
    /// linger. The owner may drop its pointer at once.
    void disconnect(std::chrono::milliseconds linger);
    /// Close now, no DISCONNECT, no on_ended.
    void stop();

    /// The SSL object of a TLS connection (after the SOCKS exchange), else nullptr.
    void* ssl() const;

private:
    MosquittoClient(boost::asio::io_context& io, Handler& handler);
    int configure(const MosquittoSetup& setup);
    void watch();
    void on_ready(bool write, const boost::system::error_code& ec);
    void tick();
    void after_loop();
    bool socket_open() const;
    bool readable_now() const;
    void release_fd();

    static void cb_connect(mosquitto*, void* self, int rc);
    static void cb_disconnect(mosquitto*, void* self, int rc);
    static void cb_message(mosquitto*, void* self, const mosquitto_message* msg);
    static void cb_publish(mosquitto*, void* self, int mid);
    static void cb_subscribe(mosquitto*, void* self, int mid, int count, const int* granted);
    static void cb_unsubscribe(mosquitto*, void* self, int mid);
    static void cb_log(mosquitto*, void* self, int level, const char* line);

    boost::asio::io_context& io_;
    Handler* handler_; ///< nullptr once stopped or detached (disconnect)
    struct Destroy {
        void operator()(mosquitto* m) const;
    };
    std::unique_ptr<mosquitto, Destroy> mosq_;
    boost::asio::posix::stream_descriptor fd_;
    boost::asio::steady_timer tick_;
    boost::asio::steady_timer linger_;
    std::string host_;
    std::uint16_t port_ = 0;
    int keepalive_ = 0;
    std::uint16_t socks_port_ = 0;
    std::uint16_t local_port_ = 0;
    bool reading_ = false; ///< a read wait (or an immediate read) is pending
    bool writing_ = false; ///< a write wait is pending
    bool ended_ = false;
    int end_rc_ = 0; ///< from libmosquitto's on_disconnect
};

} // namespace dtu::hal_sim
