#include "httpd_mode.hpp"

#include <algorithm>

#include "dtu/at/text.hpp"
#include "dtu/http/request.hpp"
#include "link_router.hpp"

namespace dtu::device {
namespace {

/// The request line for the log, escaped and cut short.
std::string request_line(std::string_view request) {
    constexpr std::size_t kMax = 100;
    const std::string_view line = request.substr(0, std::min(request.find("\r\n"), kMax));
    return at::encode_escapes(line) + (line.size() == kMax ? "..." : "");
}

} // namespace

HttpdMode::HttpdMode(hal::Hal hal, const params::Store& saved, Hooks hooks)
    : hal_(hal), cfg_(HttpdConfig::from(saved)), hooks_(std::move(hooks)), timeout_(hal.clock),
      no_data_(
          hal.clock, NoDataRestart::seconds_from(saved), [this](hal::ResetCause c) { hooks_.restart(c); },
          [this](hal::LogLevel level, const std::string& line) { hooks_.log(level, line); }) {}

HttpdMode::~HttpdMode() { hal_.net.close(kLink); }

void HttpdMode::log(hal::LogLevel level, const std::string& line) const {
    hooks_.log(level, "HTTPD #" + std::to_string(number_) + ": " + line);
}

void HttpdMode::start() {
    hooks_.log(hal::LogLevel::Info, std::string("HTTPD client mode: ") +
                                        (cfg_.target.method == http::Method::Get ? "GET " : "POST ") +
                                        http::host_header(cfg_.target) + cfg_.target.url +
                                        (cfg_.tls.enabled ? " over TLS" : "") + ", header filter " +
                                        (cfg_.body_only ? "on" : "off") + ", timeout " +
                                        std::to_string(cfg_.timeout_ms / 1000) + " s");
    no_data_.arm(); // spec net-transparent §12: the period starts at the end of start-up
}

bool HttpdMode::on_frame(std::string_view frame) {
    if (queue_.size() >= kQueueFrames) {
        // The oldest frames are kept (as the NET cache does, GAP-29): they were first.
        ++stats_.queue_dropped;
        stats_.last_error = "queue full: frame dropped";
        hooks_.log(hal::LogLevel::Warn, "HTTPD: " + std::to_string(kQueueFrames) +
                                            " frames already wait for their request: a frame of " +
                                            std::to_string(frame.size()) + " bytes is dropped");
        return false;
    }
    queue_.emplace_back(frame);
    next();
    return true;
}

void HttpdMode::next() {
    if (phase_ != Phase::Idle || queue_.empty()) return;
    if (!hal_.net.attached()) {
        if (!waiting_logged_)
            hooks_.log(hal::LogLevel::Info, "HTTPD: no network registration: " +
                                                std::to_string(queue_.size()) + " frame(s) wait for it");
        waiting_logged_ = true;
        return;
    }
    waiting_logged_ = false;
    frame_ = std::move(queue_.front());
    queue_.pop_front();
    connect();
}

void HttpdMode::connect() {
    phase_ = Phase::Connecting;
    ++number_;
    discard_logged_ = false;
    written_before_ = stats_.bytes_to_serial + stats_.discarded_bytes;
    log(hal::LogLevel::Info, "connecting to " + cfg_.target.host + ":" + std::to_string(cfg_.target.port) +
                                 (cfg_.tls.enabled ? " (TLS)" : ""));
    timeout_.start(cfg_.timeout_ms, [this] { on_timeout(); });
    hal::TlsParams tls; // views into cfg_.tls, valid for the call
    hal_.net.open(kLink, hal::Proto::Tcp, cfg_.target.host, cfg_.target.port, cfg_.tls.for_connect(tls));
}

void HttpdMode::on_connected(hal::LinkId id) {
    if (id != kLink || phase_ != Phase::Connecting) return;
    send_request();
}

void HttpdMode::send_request() {
    const std::string request = http::build_request(cfg_.target, frame_);
    if (!hal_.net.send(kLink, request)) {
        give_up(stats_.failures,
                "the module refused to send the request (" + std::to_string(request.size()) + " bytes)");
        return;
    }
    ++stats_.requests;
    phase_ = Phase::Sent;
    response_.emplace(cfg_.body_only, [this](std::string_view b) { write(b); });
    timeout_.start(cfg_.timeout_ms, [this] { on_timeout(); }); // spec §4: counted from sending
    log(hal::LogLevel::Info,
        "sent " + request_line(request) + " (" + std::to_string(request.size()) + " bytes)");
}

void HttpdMode::write(std::string_view bytes) {
    // GAP-46 as in NET mode: while the port is in command mode server bytes are not written.
    if (hooks_.in_command_mode()) {
        stats_.discarded_bytes += bytes.size();
        if (!discard_logged_)
            log(hal::LogLevel::Warn, "serial port in command mode: response bytes discarded");
        discard_logged_ = true;
        return;
    }
    stats_.bytes_to_serial += bytes.size();
    hooks_.to_serial(bytes);
}

void HttpdMode::on_data(hal::LinkId id, std::string_view bytes) {
    if (id != kLink || phase_ != Phase::Sent) return;
    no_data_.arm(); // spec net-transparent §12: every response byte keeps the device alive
    check(response_->feed(bytes));
}

void HttpdMode::check(http::ResponseParser::State state) {
    if (state == http::ResponseParser::State::Complete)
        completed();
    else if (state == http::ResponseParser::State::Malformed)
        give_up(stats_.malformed, "malformed response: " + response_->error());
}

void HttpdMode::completed() {
    ++stats_.responses;
    log(hal::LogLevel::Info, "response " + std::to_string(response_->status_code()) + ", " +
                                 std::to_string(response_->body_bytes()) + " body bytes");
    if (response_->extra_bytes() > 0) {
        ++stats_.malformed;
        stats_.last_error = std::to_string(response_->extra_bytes()) + " bytes after the end of the response";
        log(hal::LogLevel::Warn, stats_.last_error + " ignored (longer than its Content-Length?)");
    }
    end_request();
}

void HttpdMode::on_connect_failed(hal::LinkId id, hal::NetError why) {
    if (id != kLink || phase_ != Phase::Connecting) return;
    // No registration: no attempt was made, so the request waits for the network (class doc).
    if (why == hal::NetError::NotAttached) {
        requeue("no network registration");
        return;
    }
    give_up(stats_.failures, "connect failed: " + std::string(net_error_name(why)));
}

void HttpdMode::on_closed(hal::LinkId id, hal::NetError why) {
    if (id != kLink || phase_ != Phase::Sent) return;
    if (why == hal::NetError::PeerClosed && response_->received() > 0) {
        const http::ResponseParser::State state = response_->on_close(); // a close-delimited body ends here
        check(state);
        return;
    }
    give_up(stats_.failures, why == hal::NetError::PeerClosed
                                 ? "the server closed the connection without a response"
                                 : "connection lost: " + std::string(net_error_name(why)));
}

void HttpdMode::on_attach_changed(bool attached) {
    if (attached) {
        next();
        return;
    }
    // Do not wait for the link's own events: the connection is gone with the registration.
    if (phase_ == Phase::Connecting) requeue("network registration lost while connecting");
    if (phase_ == Phase::Sent) give_up(stats_.failures, "connection lost: network registration lost");
}

void HttpdMode::on_timeout() {
    const bool connecting = phase_ == Phase::Connecting;
    give_up(stats_.timeouts, std::string(connecting ? "no connection" : "no complete response") + " within " +
                                 std::to_string(cfg_.timeout_ms / 1000) + " s (AT+HTPTIM)");
}

void HttpdMode::requeue(const std::string& why) {
    log(hal::LogLevel::Info, why + ": the request waits for the network");
    queue_.push_front(std::move(frame_));
    timeout_.cancel();
    hal_.net.close(kLink);
    phase_ = Phase::Idle; // next() runs on attach
}

void HttpdMode::give_up(std::uint64_t& counter, const std::string& why) {
    ++counter;
    stats_.last_error = why;
    const std::uint64_t written = stats_.bytes_to_serial + stats_.discarded_bytes - written_before_;
    log(hal::LogLevel::Warn, why + (written == 0 ? "; nothing written to the serial port"
                                                 : "; " + std::to_string(written) + " bytes were written"));
    end_request();
}

void HttpdMode::end_request() {
    timeout_.cancel();
    hal_.net.close(kLink); // spec §3.2: the module closes after the response or the timeout
    response_.reset();
    frame_.clear();
    phase_ = Phase::Idle;
    next();
}

HttpdStatus HttpdMode::status() const {
    HttpdStatus s = stats_;
    s.queued_frames = queue_.size();
    return s;
}

} // namespace dtu::device
