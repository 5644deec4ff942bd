#include "hal_sim/beast_web_server.hpp"

#include <optional>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "hal_sim/web_request_decode.hpp"

namespace dtu::hal_sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

bool is_parse_error(const error_code& ec) {
    return ec.category() == http::make_error_code(http::error::bad_method).category() &&
           ec != http::error::end_of_stream && ec != http::error::partial_message;
}

/// "application/x-www-form-urlencoded; charset=UTF-8" -> true.
bool is_form(beast::string_view content_type) {
    const auto semicolon = content_type.find(';');
    const beast::string_view type = content_type.substr(0, semicolon);
    return beast::iequals(type, "application/x-www-form-urlencoded");
}

} // namespace

/// One client connection: read a request, hand it to the firmware, write the answer, again while the
/// client keeps it alive. Owned by the sessions_ map and by its pending handlers; detach() cuts it from
/// the server (no more requests reach the firmware) and closes it once a write in flight is done.
class BeastWebServer::Session : public std::enable_shared_from_this<Session> {
public:
    Session(BeastWebServer& owner, std::uint64_t id, tcp::socket socket)
        : owner_(&owner), id_(id), options_(owner.options_), stream_(std::move(socket)) {}

    void start() { read_next(); }

    void detach() {
        owner_ = nullptr;
        if (!writing_) close();
    }

private:
    void read_next() {
        parser_.emplace();
        parser_->body_limit(options_.max_body);
        parser_->header_limit(static_cast<std::uint32_t>(options_.max_header));
        stream_.expires_after(options_.idle_timeout);
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(error_code ec) {
        if (!owner_) return close();
        if (ec == http::error::body_limit) {
            ++owner_->counters_.too_large;
            return refuse(http::status::payload_too_large,
                          "The request body is over " + std::to_string(options_.max_body) + " bytes.");
        }
        if (is_parse_error(ec)) {
            ++owner_->counters_.bad_requests;
            owner_->log_.write(hal::LogLevel::Info,
                               "web: malformed request from " + peer_text() + ": " + ec.message());
            return refuse(http::status::bad_request, "Malformed request.");
        }
        if (ec) return end(); // closed, timed out, reset
        const auto& req = parser_->get();
        if (!req.body().empty() && !is_form(req[http::field::content_type])) {
            ++owner_->counters_.not_a_form;
            return refuse(http::status::unsupported_media_type,
                          "A form body is application/x-www-form-urlencoded.");
        }
        answer(req);
    }

    void answer(const http::request<http::string_body>& req) {
        const beast::string_view target = req.target();
        const auto question = target.find('?');
        const std::string method(req.method_string());
        const std::string path(target.substr(0, question));
        hal::WebRequest r;
        r.method = method;
        r.path = path;
        const std::string_view query =
            question == beast::string_view::npos
                ? std::string_view()
                : std::string_view(target.data() + question + 1, target.size() - question - 1);
        if (!form_fields(query, r.fields) || !form_fields(req.body(), r.fields)) {
            ++owner_->counters_.bad_requests;
            owner_->log_.write(hal::LogLevel::Info, "web: malformed form from " + peer_text());
            return refuse(http::status::bad_request, "Malformed form: a '%' not followed by two hex digits.");
        }
        BasicCredentials credentials;
        const auto authorization = req[http::field::authorization];
        r.has_credentials =
            basic_credentials(std::string_view(authorization.data(), authorization.size()), credentials);
        r.user = credentials.user;
        r.password = credentials.password;
        r.peer = peer();

        ++owner_->counters_.requests;
        hal::WebHandler* handler = owner_->handler_;
        const hal::WebReply reply = handler ? handler->on_web_request(r) : hal::WebReply{503, {}, {}, {}, {}};
        auto res = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(reply.status), req.version());
        res->set(http::field::server, "dtu-sim");
        res->set(http::field::content_type, reply.content_type);
        if (!reply.location.empty()) res->set(http::field::location, reply.location);
        if (!reply.realm.empty())
            res->set(http::field::www_authenticate, "Basic realm=\"" + reply.realm + "\", charset=\"UTF-8\"");
        res->body() = reply.body;
        res->keep_alive(req.keep_alive());
        res->prepare_payload();
        if (req.method() == http::verb::head) res->body().clear(); // Content-Length stays the GET's
        write(res, !req.keep_alive());
    }

    /// An answer the firmware never sees; the connection closes after it.
    void refuse(http::status status, const std::string& text) {
        auto res = std::make_shared<http::response<http::string_body>>(status, 11);
        res->set(http::field::server, "dtu-sim");
        res->set(http::field::content_type, "text/plain; charset=utf-8");
        res->body() = text + "\n";
        res->keep_alive(false);
        res->prepare_payload();
        write(res, true);
    }

    void write(const std::shared_ptr<http::response<http::string_body>>& res, bool then_close) {
        writing_ = true;
        stream_.expires_after(options_.idle_timeout);
        http::async_write(stream_, *res,
                          [self = shared_from_this(), res, then_close](error_code ec, std::size_t) {
                              self->writing_ = false;
                              if (ec) return self->end();
                              if (then_close || !self->owner_) return self->linger();
                              self->read_next();
                          });
    }

    /// Closing with a request body still unread would reset the connection and could lose the
    /// answer on the client's side: send FIN, read what is still coming (bounded), then close.
    void linger() {
        error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.expires_after(std::chrono::seconds(2));
        drain();
    }

    void drain() {
        stream_.async_read_some(asio::buffer(scratch_),
                                [self = shared_from_this()](error_code ec, std::size_t n) {
                                    self->drained_ += n;
                                    if (ec || self->drained_ > 4 * self->options_.max_body + (1u << 20))
                                        return self->end();
                                    self->drain();
                                });
    }

    void end() {
        close();
        if (BeastWebServer* owner = std::exchange(owner_, nullptr)) owner->ended(id_);
    }

    void close() {
        error_code ignored;
        stream_.socket().close(ignored);
    }

    hal::NetAddress peer() const {
        error_code ec;
        const tcp::endpoint e = stream_.socket().remote_endpoint(ec);
        hal::NetAddress a;
        if (!ec && e.address().is_v4()) a.ip = e.address().to_v4().to_uint();
        if (!ec) a.port = e.port();
        return a;
    }

    std::string peer_text() const {
        error_code ec;
        const tcp::endpoint e = stream_.socket().remote_endpoint(ec);
        return ec ? std::string("?") : e.address().to_string() + ":" + std::to_string(e.port());
    }

    BeastWebServer* owner_;
    std::uint64_t id_;
    BeastWebServerOptions options_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::array<char, 4096> scratch_{};
    std::size_t drained_ = 0;
    bool writing_ = false;
};

BeastWebServer::BeastWebServer(asio::io_context& io, HostPorts& ports, hal::Log& log,
                               BeastWebServerOptions options)
    : log_(log), options_(options), acceptor_(io, ports, log, "web") {}

BeastWebServer::~BeastWebServer() { stop(); }

bool BeastWebServer::serve(std::uint16_t port, hal::WebHandler& handler) {
    stop();
    if (!acceptor_.open(port, [this](tcp::socket socket) { on_accepted(std::move(socket)); })) return false;
    handler_ = &handler;
    return true;
}

void BeastWebServer::on_accepted(tcp::socket socket) {
    ++counters_.connections;
    if (sessions_.size() >= options_.max_connections) {
        ++counters_.refused;
        log_.write(hal::LogLevel::Info, "web: too many connections, one closed");
        return; // the socket closes here
    }
    const std::uint64_t id = next_id_++;
    auto session = std::make_shared<Session>(*this, id, std::move(socket));
    sessions_[id] = session;
    session->start();
}

void BeastWebServer::ended(std::uint64_t id) { sessions_.erase(id); }

void BeastWebServer::stop() {
    auto sessions = std::move(sessions_);
    sessions_.clear();
    for (auto& [id, session] : sessions)
        session->detach();
    handler_ = nullptr;
    acceptor_.close();
}

} // namespace dtu::hal_sim
