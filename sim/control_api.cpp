#include "sim/control_api.hpp"

#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

#include <boost/asio/post.hpp>
#include <httplib.h>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "hal_sim/sim_system.hpp"
#include "sim/board_metrics.hpp"
#include "sim/board_snapshot.hpp"
#include "sim/control_http_server.hpp"
#include "sim/control_routes.hpp"
#include "sim/device_host.hpp"
#include "sim/json_codec.hpp"
#include "sim/json_fields.hpp"
#include "sim/radio_json.hpp"
#include "sim/sim_pin_json.hpp"
#include "sim/sms_json.hpp"

namespace dtu::sim {
namespace {

using namespace std::chrono_literals;

/// How often a request waiting for the device checks whether the server is stopping.
constexpr auto kStopCheck = 10ms;
/// Request bodies are small JSON objects.
constexpr std::size_t kMaxBody = 64 * 1024;

/// One answer: status, JSON body and, for 405, the methods the resource has; GET /metrics answers
/// text instead of JSON.
struct Reply {
    int status = 200;
    QJsonObject body;
    std::string allow;
};

Reply error_reply(int status, const std::string& message, std::string allow = {}) {
    return Reply{status, QJsonObject{{"error", QString::fromStdString(message)}}, std::move(allow)};
}

void respond(httplib::Response& res, const Reply& reply) {
    res.status = reply.status;
    if (!reply.allow.empty()) res.set_header("Allow", reply.allow);
    const QByteArray body = QJsonDocument(reply.body).toJson(QJsonDocument::Compact) + '\n';
    res.set_content(body.toStdString(), "application/json");
}

/// Text for statuses httplib produces by itself (a body too large, a malformed request line ...).
std::string status_text(int status) {
    switch (status) {
    case 400: return "bad request";
    case 404: return "no such resource";
    case 405: return "method not allowed";
    case 413: return "request body too large (at most 64 KiB)";
    case 414: return "URI too long";
    case 503: return "the simulator is shutting down";
    }
    return status >= 500 ? "internal error" : "request refused";
}

/// The request body as a JSON object, or why it is not one. An empty body is {} where a resource
/// takes no body (empty `needs`); elsewhere the error says what the body must hold. Every string
/// in it must be valid Unicode.
std::optional<QJsonObject> parse_object(const std::string& body, std::string_view needs, std::string& error) {
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
        if (needs.empty()) return QJsonObject{};
        error = needs;
        return std::nullopt;
    }
    QJsonParseError parse{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(body), &parse);
    if (parse.error != QJsonParseError::NoError) {
        error = "malformed JSON: " + parse.errorString().toStdString() + " at offset " +
                std::to_string(parse.offset);
        return std::nullopt;
    }
    if (!doc.isObject()) {
        error = "the body must be a JSON object";
        return std::nullopt;
    }
    if (auto where = invalid_unicode_at(doc.object())) {
        error = *where + " is not valid Unicode (a lone UTF-16 surrogate such as \\ud800)";
        return std::nullopt;
    }
    return doc.object();
}

/// What PUT /api/v1/link and /api/v1/radio need: a (partial) object. The message keeps the words
/// "malformed JSON" that an empty body has always been answered with.
constexpr std::string_view kNeedsPatch =
    "malformed JSON: the body is empty; send a JSON object with the fields to change ({} changes nothing)";

enum class PowerAction { Cycle, Off, On };

/// {"action": "cycle" | "off" | "on"} and nothing else.
std::optional<PowerAction> parse_power(const QJsonObject& body, std::string& error) {
    constexpr Name<PowerAction> kActions[] = {
        {"cycle", PowerAction::Cycle}, {"off", PowerAction::Off}, {"on", PowerAction::On}};
    PowerAction action = PowerAction::Cycle;
    std::string problem;
    FieldReader in(body, "", problem);
    in.only({"action"}, true);
    in.require({"action"});
    in.choice("action", action, kActions);
    if (problem.empty()) return action;
    error = problem;
    return std::nullopt;
}

/// A resource that takes no body accepts an empty one or {}.
std::optional<std::string> no_fields(const std::string& body) {
    std::string problem;
    const auto object = parse_object(body, {}, problem);
    if (!object) return problem;
    FieldReader in(*object, "", problem);
    in.only({});
    if (!problem.empty()) return problem + ": this request takes no body";
    return std::nullopt;
}

/// The host part of a URL: a wildcard address is reached through loopback; IPv6 in brackets.
std::string url_host(const std::string& host) {
    if (host == "0.0.0.0") return "127.0.0.1";
    if (host == "::") return "[::1]";
    if (host.find(':') != std::string::npos) return "[" + host + "]";
    return host;
}

} // namespace

class ControlApi::Impl {
public:
    Impl(boost::asio::io_context& io, DeviceHost& host, std::string profile, hal::Log& log)
        : io_(io), host_(host), profile_(std::move(profile)), log_(log) {}

    bool start(const ControlEndpoint& at, std::string& error);
    void stop();

    std::string url;
    bool held_off = false; ///< io thread only

private:
    // On httplib's threads: routing, parsing, and the hand-over to the device's executor.
    void handle(const httplib::Request& req, const std::string& body, httplib::Response& res);
    void handle_with_body(const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& read);
    Reply route(const httplib::Request& req, const std::string& body);
    Reply on_device(std::function<Reply()> work);
    void metrics(httplib::Response& res);

    // On the io thread: everything that touches the board.
    BoardSnapshot snapshot();
    QJsonObject status_json();
    Reply put_link(const QJsonObject& patch);
    Reply put_radio(const QJsonObject& patch);
    Reply put_sim_pin(const SimPinChange& change);
    Reply power(PowerAction action);

    boost::asio::io_context& io_;
    DeviceHost& host_;
    const std::string profile_;
    hal::Log& log_;
    ControlHttpServer server_;
    std::thread thread_;
    std::future<void> listen_done_;
    /// Shared with work posted to io, which may outlive this object (and then must not touch it).
    std::shared_ptr<std::atomic<bool>> closing_ = std::make_shared<std::atomic<bool>>(false);
};

bool ControlApi::Impl::start(const ControlEndpoint& at, std::string& error) {
    // httplib's default sets SO_REUSEPORT: a second simulator on the same port would then share it
    // silently (the kernel splitting requests between the two). SO_REUSEADDR alone only allows a
    // quick restart on a port whose old connections are in TIME_WAIT.
    server_.set_socket_options([](int sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    server_.set_payload_max_length(kMaxBody);
    server_.set_keep_alive_timeout(1); // an idle keep-alive connection holds a worker this long
    server_.set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled; // already JSON
            respond(res, error_reply(res.status, status_text(res.status)));
            return httplib::Server::HandlerResponse::Handled;
        }));
    // Every method on every path comes to handle(), which answers 404 / 405 itself. Methods that
    // may carry a body read it themselves (handle_with_body).
    auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, {}, res); };
    auto with_body = [this](const httplib::Request& req, httplib::Response& res,
                            const httplib::ContentReader& read) { handle_with_body(req, res, read); };
    server_.Get(".*", handler);
    server_.Post(".*", with_body);
    server_.Put(".*", with_body);
    server_.Patch(".*", with_body);
    server_.Delete(".*", with_body);
    server_.Options(".*", handler);

    errno = 0;
    const int port = at.port == 0 ? server_.bind_to_any_port(at.host)
                                  : (server_.bind_to_port(at.host, at.port) ? at.port : -1);
    if (port <= 0) {
        const int why = errno;
        error = "control API: cannot listen on " + url_host(at.host) + ":" + std::to_string(at.port);
        if (why != 0) error += std::string(": ") + std::strerror(why);
        return false;
    }
    url = "http://" + url_host(at.host) + ":" + std::to_string(port);
    std::promise<void> done;
    listen_done_ = done.get_future();
    thread_ = std::thread([this, done = std::move(done)]() mutable {
        server_.listen_after_bind();
        done.set_value();
    });
    log_.write(hal::LogLevel::Info, "control API on " + url);
    return true;
}

void ControlApi::Impl::stop() {
    closing_->store(true);
    if (!thread_.joinable()) return;
    // httplib ignores stop() until its accept loop runs: wait for the loop to start (or to end).
    while (!server_.is_running() && listen_done_.wait_for(1ms) != std::future_status::ready) {
    }
    server_.stop(); // the loop ends; requests in flight finish first (those waiting for io get 503)
    thread_.join();
}

void ControlApi::Impl::handle_with_body(const httplib::Request& req, httplib::Response& res,
                                        const httplib::ContentReader& read) {
    // RFC 9112 §6.3: a request with neither Content-Length nor Transfer-Encoding has no body
    // (`curl -X POST` without -d). httplib 0.11 would wait for one until its read timeout and
    // answer 400, so the body is read here, only when the request announces one.
    std::string body;
    const bool has_body = req.has_header("Content-Length") || req.has_header("Transfer-Encoding");
    if (has_body && req.is_multipart_form_data()) {
        res.set_header("Connection", "close"); // the body stays unread
        return respond(res, error_reply(415, "the body must be JSON, not multipart/form-data"));
    }
    if (has_body && !read([&body](const char* data, std::size_t n) {
            body.append(data, n);
            return true;
        })) {
        res.set_header("Connection", "close"); // what is left of the body is not read
        const int status = res.status == 413 ? 413 : 400;
        return respond(res,
                       error_reply(status, status == 413 ? status_text(413) : "incomplete request body"));
    }
    handle(req, body, res);
}

void ControlApi::Impl::handle(const httplib::Request& req, const std::string& body, httplib::Response& res) {
    try {
        if (req.path == "/metrics" && (req.method == "GET" || req.method == "HEAD")) return metrics(res);
        respond(res, route(req, body));
    } catch (const std::exception& e) {
        respond(res, error_reply(500, std::string("internal error: ") + e.what()));
    } catch (...) {
        respond(res, error_reply(500, "internal error"));
    }
}

// The one route that answers text: Prometheus scrapes it (docs/control-api.md "Metrics").
void ControlApi::Impl::metrics(httplib::Response& res) {
    // Shared: if the server stops first, the work posted to the device may still fill it later.
    auto text = std::make_shared<std::string>();
    const Reply done = on_device([this, text] {
        *text = metrics_text(board_metrics(snapshot()));
        return Reply{200, {}, {}};
    });
    if (done.status != 200) return respond(res, done);
    res.status = 200;
    res.set_content(*text, kMetricsContentType);
}

Reply ControlApi::Impl::route(const httplib::Request& req, const std::string& body) {
    const std::string& path = req.path;
    const std::string& method = req.method;
    const bool get = method == "GET" || method == "HEAD";
    std::string problem;
    // The route table is the gate: a path or method it does not list is never served.
    const ControlRoute* known = find_control_route(path);
    if (!known) return error_reply(404, "no such resource: " + path);
    if (!control_route_allows(*known, method))
        return error_reply(405, method + " not allowed on " + path, std::string(known->allow));
    if (path == "/api/v1/status") {
        if (!get) return error_reply(405, method + " not allowed on " + path, "GET");
        return on_device([this] { return Reply{200, status_json(), {}}; });
    }
    if (path == "/api/v1/link") {
        if (get) return on_device([this] { return Reply{200, link_to_json(host_.link().config()), {}}; });
        if (method != "PUT") return error_reply(405, method + " not allowed on " + path, "GET, PUT");
        const auto patch = parse_object(body, kNeedsPatch, problem);
        if (!patch) return error_reply(400, problem);
        return on_device([this, patch = *patch] { return put_link(patch); });
    }
    if (path == "/api/v1/link/reset") {
        // Reset injection (Toxiproxy's reset_peer): every open TCP connection ends with an RST.
        if (method != "POST") return error_reply(405, method + " not allowed on " + path, "POST");
        if (auto why = no_fields(body)) return error_reply(400, *why);
        return on_device([this] {
            QJsonObject o;
            o["reset"] = static_cast<qint64>(host_.net().reset_connections());
            return Reply{200, o, {}};
        });
    }
    if (path == "/api/v1/radio") {
        if (get) return on_device([this] { return Reply{200, radio_to_json(host_.modem()), {}}; });
        if (method != "PUT") return error_reply(405, method + " not allowed on " + path, "GET, PUT");
        const auto patch = parse_object(body, kNeedsPatch, problem);
        if (!patch) return error_reply(400, problem);
        return on_device([this, patch = *patch] { return put_radio(patch); });
    }
    if (path == "/api/v1/sim/pin") {
        if (get) return on_device([this] { return Reply{200, sim_pins_to_json(host_.modem()), {}}; });
        if (method != "PUT") return error_reply(405, method + " not allowed on " + path, "GET, PUT");
        const auto object = parse_object(
            body, R"(the body is empty: pin is required ({"pin": "1234"}, "" for none))", problem);
        const auto change = object ? parse_sim_pin(*object, problem) : std::nullopt;
        if (!change) return error_reply(400, problem);
        return on_device([this, change = *change] { return put_sim_pin(change); });
    }
    if (path == "/api/v1/sms") {
        // An SMS from a phone to the device (docs/sms.md): queued at the SMS centre, delivered when
        // the device is on and registered.
        if (method != "POST") return error_reply(405, method + " not allowed on " + path, "POST");
        const auto object = parse_object(
            body, R"(the body is empty: from and text are required ({"from": "10086", "text": "hi"}))",
            problem);
        const auto sms = object ? parse_sms_post(*object, problem) : std::nullopt;
        if (!sms) return error_reply(400, problem);
        return on_device([this, sms = *sms] {
            const std::size_t parts = host_.sms().submit(sms);
            QJsonObject o{{"queued", true}, {"parts", static_cast<int>(parts)}};
            return Reply{202, o, {}};
        });
    }
    if (path == "/api/v1/sms/outbox") {
        if (!get) return error_reply(405, method + " not allowed on " + path, "GET");
        return on_device([this] {
            QJsonArray messages;
            for (const auto& m : host_.sms().outbox())
                messages.append(sent_message_to_json(m));
            return Reply{200, QJsonObject{{"messages", messages}}, {}};
        });
    }
    if (path == "/api/v1/power") {
        if (method != "POST") return error_reply(405, method + " not allowed on " + path, "POST");
        const auto object = parse_object(
            body, R"(the body is empty: action is required ({"action": "cycle", "off" or "on"}))", problem);
        const auto action = object ? parse_power(*object, problem) : std::nullopt;
        if (!action) return error_reply(400, problem);
        return on_device([this, action = *action] { return power(action); });
    }
    return error_reply(404, "no such resource: " + path);
}

Reply ControlApi::Impl::on_device(std::function<Reply()> work) {
    auto done = std::make_shared<std::promise<Reply>>();
    std::future<Reply> result = done->get_future();
    // Checked on the io thread: once stop() has run there, `this` may be gone and work must not run.
    boost::asio::post(io_, [done, closing = closing_, work = std::move(work)] {
        if (closing->load()) return done->set_value(error_reply(503, status_text(503)));
        try {
            done->set_value(work());
        } catch (...) {
            done->set_exception(std::current_exception());
        }
    });
    while (result.wait_for(kStopCheck) != std::future_status::ready)
        if (closing_->load()) return error_reply(503, status_text(503));
    return result.get();
}

BoardSnapshot ControlApi::Impl::snapshot() {
    BoardSnapshot board = common_board_snapshot(profile_, host_.firmware(), host_.system(), host_.link(),
                                                host_.net(), host_.sms());
    board.serial = host_.uart().counters();
    board.mqtt_service = host_.net().mqtt_snapshot();
    board.ports = host_.ports().map();
    return board;
}

QJsonObject ControlApi::Impl::status_json() {
    QJsonObject json = status_to_json(snapshot());
    json.insert("radio", radio_status_to_json(host_.modem()));
    return json;
}

Reply ControlApi::Impl::put_radio(const QJsonObject& patch) {
    // As put_link: merged and validated on the executor that applies it; an invalid patch changes
    // nothing. A change of registration or credit reaches the sockets through the net's attach.
    RadioMerge merged = merge_radio_json(host_.modem(), patch);
    if (!merged.model) return error_reply(400, merged.error);
    host_.modem().set_model(std::move(*merged.model));
    const QJsonObject now = radio_to_json(host_.modem());
    log_.write(hal::LogLevel::Info, "control API: radio set to " +
                                        QJsonDocument(now).toJson(QJsonDocument::Compact).toStdString());
    return Reply{200, now, {}};
}

Reply ControlApi::Impl::put_sim_pin(const SimPinChange& change) {
    // A card with a PIN is locked from now on: the module loses its registration until the firmware
    // enters the PIN, which it does when it starts (732 §3.1.7.68).
    host_.modem().set_pin(change.slot, change.pin);
    const std::string card = hal_sim::SimModem::slot_name(change.slot);
    log_.write(hal::LogLevel::Info,
               change.pin.empty()
                   ? "control API: the " + card + " SIM card asks no PIN"
                   : "control API: the " + card + " SIM card has a PIN now (locked until it is entered)");
    return Reply{200, sim_pins_to_json(host_.modem()), {}};
}

Reply ControlApi::Impl::put_link(const QJsonObject& patch) {
    // Merged against the config of this moment, on the executor that applies it: nothing can change
    // in between, and an invalid patch changes nothing.
    LinkMerge merged = merge_link_json(host_.link().config(), patch);
    if (!merged.config) return error_reply(400, merged.error);
    if (auto why = hal_sim::LinkImpairment::validate(*merged.config)) return error_reply(400, *why);
    host_.link().set_config(*merged.config);
    const QJsonObject now = link_to_json(host_.link().config());
    log_.write(hal::LogLevel::Info,
               "control API: link set to " + QJsonDocument(now).toJson(QJsonDocument::Compact).toStdString());
    return Reply{200, now, {}};
}

Reply ControlApi::Impl::power(PowerAction action) {
    const bool on = host_.booted();
    if (action == PowerAction::Off && !on) return error_reply(409, "the power is already off");
    if (action == PowerAction::On && on) return error_reply(409, "the power is already on");
    if (on) {
        log_.write(hal::LogLevel::Info, "control API: power off");
        host_.power_off();
    }
    held_off = action == PowerAction::Off;
    if (!held_off) {
        log_.write(hal::LogLevel::Info, "control API: power on");
        host_.boot();
    }
    return Reply{200, status_json(), {}};
}

ControlApi::ControlApi(boost::asio::io_context& io, DeviceHost& host, std::string profile, hal::Log& log)
    : impl_(std::make_unique<Impl>(io, host, std::move(profile), log)) {}

ControlApi::~ControlApi() { impl_->stop(); }

bool ControlApi::start(const ControlEndpoint& at, std::string& error) { return impl_->start(at, error); }

void ControlApi::stop() { impl_->stop(); }

const std::string& ControlApi::url() const { return impl_->url; }

bool ControlApi::power_held_off() const { return impl_->held_off; }

} // namespace dtu::sim
