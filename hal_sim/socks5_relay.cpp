#include "hal_sim/socks5_relay.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <string>
#include <utility>

#include <QByteArray>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "hal_sim/socks5_protocol.hpp"

namespace dtu::hal_sim {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr std::size_t kChunk = 4096;
/// Kept small so that what libmosquitto has written but the link has not taken stays in
/// libmosquitto's own queue (where the MQTT service counts it), not in a deep loopback pipe.
constexpr int kLoopbackBuffer = 64 * 1024;

/// 16 random bytes as 32 hex digits; empty if OpenSSL has no randomness.
std::string random_hex() {
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return {};
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()))
        .toHex()
        .toStdString();
}

/// a == b in time that does not depend on where they differ.
bool same_secret(const std::string& a, const std::string& b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

socks5::Reply reply_for(hal::NetError why) {
    switch (why) {
    case hal::NetError::Refused: return socks5::Reply::ConnectionRefused;
    case hal::NetError::DnsFailed: return socks5::Reply::HostUnreachable;
    case hal::NetError::NotAttached: return socks5::Reply::NetworkUnreachable;
    case hal::NetError::Timeout: return socks5::Reply::TtlExpired;
    default: return socks5::Reply::GeneralFailure;
    }
}

} // namespace

// One client (libmosquitto's socket) from SOCKS greeting to close. Every asio handler holds a
// shared_ptr to it and returns at once once it is closed.
class Socks5Relay::Session : public std::enable_shared_from_this<Socks5Relay::Session> {
public:
    Session(Socks5Relay& relay, tcp::socket socket, std::uint16_t client_port)
        : relay_(relay), socket_(std::move(socket)), timer_(relay.io_), retry_(relay.io_),
          client_port_(client_port) {}

    std::uint16_t client_port() const { return client_port_; }
    bool owns_link() const { return state_ == State::Connecting || state_ == State::Relaying; }

    void start() {
        error_code ignored;
        socket_.set_option(tcp::no_delay(true), ignored);
        socket_.set_option(asio::socket_base::receive_buffer_size(kLoopbackBuffer), ignored);
        socket_.set_option(asio::socket_base::send_buffer_size(kLoopbackBuffer), ignored);
        arm_timer();
        read();
    }

    void upstream_connected() {
        if (state_ != State::Connecting) return;
        state_ = State::Relaying;
        relay_.counters_.connects++;
        relay_.notify(client_port_, {RelayEvent::Kind::Connected, hal::NetError::None});
        if (closed_) return;
        write(socks5::reply(socks5::Reply::Succeeded));
        std::string early = std::move(in_); // the client spoke before the reply: pass it on
        in_.clear();
        if (!early.empty()) forward(std::move(early));
        read();
    }

    void upstream_failed(hal::NetError why) {
        if (state_ != State::Connecting) return;
        relay_.counters_.connect_failures++;
        relay_.notify(client_port_, {RelayEvent::Kind::ConnectFailed, why});
        if (closed_) return;
        const socks5::Reply code = reply_for(why);
        relay_.log(hal::LogLevel::Debug, "mqtt relay: upstream failed (" +
                                             std::string(AsioNet::error_name(why)) + "), SOCKS reply " +
                                             socks5::reply_name(code));
        write(socks5::reply(code));
        finish();
    }

    void upstream_data(std::string_view bytes) {
        if (state_ != State::Relaying) return;
        relay_.counters_.down_bytes += bytes.size();
        if (queued_ + bytes.size() > relay_.options_.max_client_queue) {
            relay_.counters_.client_overflows++;
            relay_.log(hal::LogLevel::Warn, "mqtt relay: the MQTT client stopped reading (" +
                                                std::to_string(queued_) + " bytes waiting), session dropped");
            relay_.net_.close(relay_.link_);
            close(true);
            return;
        }
        write(std::string(bytes));
    }

    void upstream_closed(hal::NetError why) {
        if (state_ != State::Relaying) return;
        relay_.notify(client_port_, {RelayEvent::Kind::Closed, why});
        if (closed_) return;
        state_ = State::Finishing;
        if (why == hal::NetError::PeerClosed) {
            finish(); // the server's FIN, after its data
        } else {
            close(true); // reset, registration lost: the client's connection is cut
        }
    }

    /// The owner has moved on to a new client: hand the link what this client has already written
    /// (typically its DISCONNECT, written just before) so it still goes out, then close both.
    void retire() {
        if (state_ == State::Relaying) {
            bool ok = !held_ || relay_.net_.send(relay_.link_, held_chunk_);
            error_code ec;
            socket_.non_blocking(true, ec);
            std::size_t budget = 2 * kLoopbackBuffer; // what the loopback pipe can hold
            while (ok && !ec && budget > 0) {
                const std::size_t n = socket_.read_some(asio::buffer(rbuf_), ec);
                if (n == 0) break;
                budget -= std::min(n, budget);
                ok = relay_.net_.send(relay_.link_, std::string_view(rbuf_.data(), n));
                if (ok) relay_.counters_.up_bytes += n;
            }
        }
        if (owns_link()) relay_.net_.close(relay_.link_);
        close(false);
    }

    /// Close now (rst: an RST instead of a FIN). The link is the caller's business.
    void close(bool rst) {
        if (closed_) return;
        closed_ = true;
        state_ = State::Closed;
        timer_.cancel();
        retry_.cancel();
        error_code ignored;
        if (rst) socket_.set_option(asio::socket_base::linger(true, 0), ignored);
        socket_.close(ignored);
        writes_.clear();
        relay_.session_ended(this);
    }

private:
    enum class State : std::uint8_t { Greeting, Auth, Request, Connecting, Relaying, Finishing, Closed };

    void arm_timer() {
        auto self = shared_from_this();
        timer_.expires_after(relay_.options_.handshake_timeout);
        timer_.async_wait([self](const error_code& ec) {
            if (ec || self->closed_) return;
            if (self->state_ == State::Greeting || self->state_ == State::Auth ||
                self->state_ == State::Request)
                self->relay_.log(hal::LogLevel::Warn, "mqtt relay: SOCKS handshake timed out");
            self->close(false);
        });
    }

    void read() {
        if (closed_ || reading_ || held_) return;
        reading_ = true;
        auto self = shared_from_this();
        socket_.async_read_some(asio::buffer(rbuf_), [self](const error_code& ec, std::size_t n) {
            self->reading_ = false;
            if (self->closed_) return;
            if (ec) return self->client_gone();
            self->on_bytes(std::string_view(self->rbuf_.data(), n));
        });
    }

    void on_bytes(std::string_view bytes) {
        switch (state_) {
        case State::Greeting:
        case State::Auth:
        case State::Request:
        case State::Connecting:
            in_.append(bytes);
            if (in_.size() > socks5::kMaxRequest + kChunk) return bad("too much data before the reply");
            handshake();
            break;
        case State::Relaying: forward(std::string(bytes)); break;
        case State::Finishing: break; // draining until the client closes
        case State::Closed: return;
        }
        read();
    }

    void handshake() {
        if (state_ == State::Greeting) {
            const socks5::Greeting g = socks5::parse_greeting(in_);
            if (g.result == socks5::Parse::NeedMore) return;
            if (g.result == socks5::Parse::Bad) return bad("not a SOCKS5 greeting");
            in_.erase(0, g.consumed);
            if (!g.user_pass) {
                relay_.counters_.auth_failures++;
                write(socks5::method_reply(socks5::kMethodNoneAcceptable));
                return bad("the client does not offer username/password authentication");
            }
            write(socks5::method_reply(socks5::kMethodUserPass));
            state_ = State::Auth;
        }
        if (state_ == State::Auth) {
            const socks5::UserPass u = socks5::parse_user_pass(in_);
            if (u.result == socks5::Parse::NeedMore) return;
            if (u.result == socks5::Parse::Bad) return bad("not a username/password request");
            in_.erase(0, u.consumed);
            const bool ok = relay_.take_credentials(u);
            write(socks5::user_pass_reply(ok));
            if (!ok) {
                relay_.counters_.auth_failures++;
                return bad("wrong SOCKS credentials");
            }
            state_ = State::Request;
        }
        if (state_ == State::Request) {
            const socks5::Request r = socks5::parse_request(in_);
            if (r.result == socks5::Parse::NeedMore) return;
            if (r.result == socks5::Parse::Bad) {
                if (r.answerable) write(socks5::reply(r.error));
                return bad(std::string("bad request: ") + socks5::reply_name(r.error));
            }
            in_.erase(0, r.consumed);
            timer_.cancel();
            state_ = State::Connecting;
            relay_.net_.open(relay_.link_, hal::Proto::Tcp, r.host, r.port);
        }
    }

    void bad(const std::string& why) {
        relay_.counters_.bad_requests++;
        relay_.log(hal::LogLevel::Warn, "mqtt relay: " + why);
        relay_.notify(client_port_, {RelayEvent::Kind::BadRequest, hal::NetError::Invalid});
        if (closed_) return;
        state_ = State::Finishing;
        finish();
    }

    /// Client bytes to the link; a refused chunk (queue full) is held and retried.
    void forward(std::string chunk) {
        if (relay_.net_.send(relay_.link_, chunk)) {
            relay_.counters_.up_bytes += chunk.size();
            return;
        }
        held_ = true;
        held_chunk_ = std::move(chunk);
        relay_.counters_.send_retries++;
        auto self = shared_from_this();
        retry_.expires_after(relay_.options_.send_retry);
        retry_.async_wait([self](const error_code& ec) {
            if (ec || self->closed_) return;
            self->held_ = false;
            if (self->state_ == State::Relaying) self->forward(std::move(self->held_chunk_));
            self->read();
        });
    }

    /// The client closed (or its socket failed).
    void client_gone() {
        if (owns_link()) relay_.net_.close(relay_.link_); // bytes already sent still go out, then FIN
        close(false);
    }

    /// After what is queued for the client: FIN, then wait (bounded) for the client to close.
    void finish() {
        if (state_ != State::Finishing) state_ = State::Finishing;
        finish_after_writes_ = true;
        arm_timer();
        if (!writing_) shutdown_send();
    }

    void shutdown_send() {
        error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_send, ignored);
        read();
    }

    void write(std::string bytes) {
        queued_ += bytes.size();
        writes_.push_back(std::move(bytes));
        if (!writing_) write_next();
    }

    void write_next() {
        if (writes_.empty()) {
            writing_ = false;
            if (finish_after_writes_) shutdown_send();
            return;
        }
        writing_ = true;
        auto self = shared_from_this();
        asio::async_write(socket_, asio::buffer(writes_.front()), [self](const error_code& ec, std::size_t) {
            if (self->closed_) return;
            if (ec) return self->client_gone();
            self->queued_ -= self->writes_.front().size();
            self->writes_.pop_front();
            self->write_next();
        });
    }

    Socks5Relay& relay_;
    tcp::socket socket_;
    asio::steady_timer timer_; ///< handshake, then the final drain
    asio::steady_timer retry_; ///< link queue full
    const std::uint16_t client_port_;
    State state_ = State::Greeting;
    bool closed_ = false;
    bool reading_ = false;
    bool writing_ = false;
    bool held_ = false;
    bool finish_after_writes_ = false;
    std::string in_;         ///< handshake bytes not yet parsed
    std::string held_chunk_; ///< refused by the link, retried
    std::deque<std::string> writes_;
    std::size_t queued_ = 0;
    std::array<char, kChunk> rbuf_{};
};

// ---- Socks5Relay ----------------------------------------------------------------------------------

Socks5Relay::Socks5Relay(asio::io_context& io, AsioNet& net, hal::LinkId link, hal::Log& log,
                         Socks5RelayOptions options)
    : io_(io), net_(net), link_(link), log_(log), options_(options),
      acceptor_(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0)) {
    port_ = acceptor_.local_endpoint().port();
    net_.set_link_listener(link_, this);
    accept_next();
}

Socks5Relay::~Socks5Relay() {
    closing_ = true;
    drop_session();
    net_.set_link_listener(link_, nullptr);
    error_code ignored;
    acceptor_.close(ignored);
}

void Socks5Relay::expect(std::uint16_t client_port) {
    if (session_) {
        std::shared_ptr<Session> s = std::move(session_);
        s->retire();
    }
    expected_port_ = client_port;
}

void Socks5Relay::reset() {
    drop_session();
    expected_port_ = 0;
}

socks5::Credentials Socks5Relay::issue_credentials() {
    socks5::Credentials c{random_hex(), random_hex()};
    // Without randomness nothing is issued: every client is refused (never a guessable secret).
    if (c.username.empty() || c.password.empty()) {
        log(hal::LogLevel::Error, "mqtt relay: no random bytes for the SOCKS credentials");
        credentials_.reset();
    } else {
        credentials_ = c;
    }
    return c;
}

bool Socks5Relay::take_credentials(const socks5::UserPass& offered) {
    const std::optional<socks5::Credentials> issued = std::move(credentials_);
    credentials_.reset();
    return issued && same_secret(offered.username, issued->username) &&
           same_secret(offered.password, issued->password);
}

void Socks5Relay::accept_next() {
    acceptor_.async_accept([this](const error_code& ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || closing_) return;
        on_client_accepted(ec, std::move(socket));
    });
}

void Socks5Relay::on_client_accepted(const error_code& ec, tcp::socket socket) {
    if (!ec) {
        error_code ep_ec;
        const tcp::endpoint peer = socket.remote_endpoint(ep_ec);
        // libmosquitto connects to 127.0.0.1 (mosquitto_socks5_set), so its side is 127.0.0.1 too.
        if (!ep_ec && expected_port_ != 0 && peer.port() == expected_port_ &&
            peer.address() == asio::ip::address_v4::loopback()) {
            expected_port_ = 0;
            drop_session();
            counters_.sessions++;
            session_ = std::make_shared<Session>(*this, std::move(socket), peer.port());
            session_->start();
        } else {
            counters_.foreign_clients++;
            log(hal::LogLevel::Debug, "mqtt relay: closed a connection that is not the MQTT client's");
            error_code ignored;
            socket.close(ignored);
        }
    }
    accept_next();
}

void Socks5Relay::drop_session() {
    if (!session_) return;
    std::shared_ptr<Session> s = std::move(session_);
    if (s->owns_link()) net_.close(link_);
    s->close(true);
}

void Socks5Relay::session_ended(const Session* session) {
    if (session_.get() == session) session_.reset();
}

void Socks5Relay::notify(std::uint16_t client_port, RelayEvent event) {
    if (observer_) observer_(client_port, event);
}

void Socks5Relay::on_connected(hal::LinkId id) {
    if (id != link_ || !session_) return;
    auto s = session_;
    s->upstream_connected();
}

void Socks5Relay::on_connect_failed(hal::LinkId id, hal::NetError why) {
    if (id != link_ || !session_) return;
    auto s = session_;
    s->upstream_failed(why);
}

void Socks5Relay::on_data(hal::LinkId id, std::string_view bytes) {
    if (id != link_ || !session_) return;
    auto s = session_;
    s->upstream_data(bytes);
}

void Socks5Relay::on_closed(hal::LinkId id, hal::NetError why) {
    if (id != link_ || !session_) return;
    auto s = session_;
    s->upstream_closed(why);
}

} // namespace dtu::hal_sim
