#include "hal_sim/beast_websockets.hpp"

#include <deque>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>

namespace dtu::hal_sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using boost::system::error_code;

/// One client connection: handshake, a read loop, a write queue. Owned by the sessions_ map and by
/// its pending handlers; detach() cuts it from the server (no more events) before it closes.
class BeastWebSockets::Session : public std::enable_shared_from_this<Session> {
public:
    Session(BeastWebSockets& owner, hal::WsClientId id, tcp::socket socket)
        : owner_(&owner), id_(id), ws_(std::move(socket)) {}

    hal::WsClientId id() const { return id_; }
    bool is_open() const { return open_; }
    hal::NetAddress peer() const {
        error_code ec;
        const tcp::endpoint e = beast::get_lowest_layer(ws_).socket().remote_endpoint(ec);
        hal::NetAddress a;
        if (!ec && e.address().is_v4()) a.ip = e.address().to_v4().to_uint();
        if (!ec) a.port = e.port();
        return a;
    }

    void start(std::size_t max_message) {
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        ws_.read_message_max(max_message);
        ws_.binary(true);
        ws_.async_accept([self = shared_from_this()](error_code ec) { self->on_handshake(ec); });
    }

    bool send(std::string_view bytes, std::size_t limit) {
        if (!open_ || closing_) return false;
        if (queue_.size() >= limit) return false;
        queue_.emplace_back(bytes);
        if (!writing_) write_next();
        return true;
    }

    /// Close with `code`; no event follows (the server has forgotten it).
    void close(websocket::close_code code) {
        owner_ = nullptr;
        if (closing_) return;
        closing_ = true;
        close_code_ = code;
        queue_.clear();
        if (!handshaken_) { // still in its handshake: no websocket to close yet
            error_code ignored;
            beast::get_lowest_layer(ws_).socket().close(ignored);
            return;
        }
        if (!writing_) send_close();
    }

private:
    void on_handshake(error_code ec) {
        if (!owner_) return;
        if (ec) {
            ++owner_->counters_.bad_handshakes;
            return fail(ec, false);
        }
        ++owner_->counters_.handshakes;
        handshaken_ = true;
        owner_->opened(shared_from_this());
    }

public:
    /// The firmware took it: read messages until it goes.
    void opened() {
        open_ = true;
        read_next();
    }

private:
    void read_next() {
        ws_.async_read(buffer_,
                       [self = shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(error_code ec) {
        if (!owner_) return;
        if (ec) return fail(ec, true);
        const auto data = buffer_.cdata();
        const std::string bytes(static_cast<const char*>(data.data()), data.size());
        buffer_.consume(buffer_.size());
        owner_->message(id_, bytes); // may close() this session
        if (owner_ && !closing_) read_next();
    }

    void write_next() {
        writing_ = true;
        ws_.async_write(asio::buffer(queue_.front()),
                        [self = shared_from_this()](error_code ec, std::size_t) { self->on_written(ec); });
    }

    void on_written(error_code ec) {
        writing_ = false;
        if (closing_) return send_close();
        if (!owner_) return;
        if (ec) return fail(ec, true);
        queue_.pop_front();
        if (!queue_.empty()) write_next();
    }

    void send_close() {
        ws_.async_close(websocket::close_reason(close_code_), [self = shared_from_this()](error_code) {
            error_code ignored;
            beast::get_lowest_layer(self->ws_).socket().close(ignored);
        });
    }

    /// The connection failed or the client closed: Beast has already sent the close frame it owes
    /// (1009 for a message over the limit, 1002 for a protocol error).
    void fail(error_code ec, bool counted) {
        BeastWebSockets* owner = owner_;
        owner_ = nullptr;
        if (counted) {
            if (ec == websocket::error::message_too_big)
                ++owner->counters_.too_big;
            else if (ec.category() == error_code(websocket::error::bad_opcode).category() &&
                     ec != websocket::error::closed)
                ++owner->counters_.protocol_errors;
        }
        if (ec != websocket::error::closed)
            owner->log(hal::LogLevel::Info,
                       "websocket: client " + std::to_string(id_) + " dropped: " + ec.message());
        error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);
        owner->ended(id_, open_);
    }

    BeastWebSockets* owner_;
    hal::WsClientId id_;
    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buffer_;
    std::deque<std::string> queue_;
    bool handshaken_ = false;
    bool open_ = false;
    bool writing_ = false;
    bool closing_ = false;
    websocket::close_code close_code_ = websocket::close_code::normal;
};

BeastWebSockets::BeastWebSockets(asio::io_context& io, HostPorts& ports, hal::Log& log,
                                 BeastWebSocketsOptions options)
    : log_(log), options_(options), acceptor_(io, ports, log, "websocket") {}

BeastWebSockets::~BeastWebSockets() { stop(); }

bool BeastWebSockets::serve(std::uint16_t port, hal::WebSocketListener& listener) {
    stop();
    if (!acceptor_.open(port, [this](tcp::socket socket) { on_accepted(std::move(socket)); })) return false;
    listener_ = &listener;
    return true;
}

void BeastWebSockets::on_accepted(tcp::socket socket) {
    ++counters_.connections;
    if (sessions_.size() >= options_.max_connections) {
        log(hal::LogLevel::Info, "websocket: too many connections, one closed");
        return; // the socket closes here
    }
    hal::WsClientId id = 0;
    while (sessions_.count(id))
        ++id;
    auto session = std::make_shared<Session>(*this, id, std::move(socket));
    sessions_[id] = session;
    session->start(options_.max_message);
}

void BeastWebSockets::opened(const std::shared_ptr<Session>& session) {
    if (listener_ && listener_->on_ws_open(session->id(), session->peer())) {
        session->opened();
        return;
    }
    // The firmware's refusal (K7 §2.2: two clients): 1013 "try again later".
    ++counters_.refused;
    sessions_.erase(session->id());
    session->close(websocket::close_code::try_again_later);
}

void BeastWebSockets::message(hal::WsClientId id, std::string_view bytes) {
    if (listener_) listener_->on_ws_message(id, bytes);
}

void BeastWebSockets::ended(hal::WsClientId id, bool was_open) {
    sessions_.erase(id);
    if (was_open && listener_) listener_->on_ws_closed(id);
}

bool BeastWebSockets::send(hal::WsClientId client, std::string_view bytes) {
    const auto it = sessions_.find(client);
    if (it == sessions_.end() || !it->second->is_open()) return false;
    if (it->second->send(bytes, options_.queue_limit)) return true;
    ++counters_.queue_full;
    return false;
}

void BeastWebSockets::close(hal::WsClientId client) {
    const auto it = sessions_.find(client);
    if (it == sessions_.end()) return;
    const auto session = it->second;
    sessions_.erase(it);
    session->close(websocket::close_code::normal);
}

void BeastWebSockets::stop() {
    auto sessions = std::move(sessions_);
    sessions_.clear();
    for (auto& [id, session] : sessions)
        session->close(websocket::close_code::going_away);
    listener_ = nullptr;
    acceptor_.close();
}

void BeastWebSockets::log(hal::LogLevel level, const std::string& line) const { log_.write(level, line); }

} // namespace dtu::hal_sim
