#pragma once
// HTTPD client mode (WKMOD=HTTPD; G771 §2.3, 732 §2.1.2; spec httpd.md): every serial frame becomes
// one HTTP request to AT+HTPSV, on a new TCP connection (TLS with AT+SSLEN=ON, G771 §2.6.2), and
// the response goes to the serial port — only its body with AT+HTPPK=ON, all of it with OFF.
//
// - One request at a time (spec §3.2): frames that arrive meanwhile wait in a queue of kQueueFrames
//   and go out in order; a frame that does not fit is dropped, counted and logged.
// - Without network registration frames wait in the queue; a request whose connection was still
//   being opened when registration was lost goes back to the head of the queue. A request already
//   sent is not repeated (the server may have acted on it): it counts as a failure.
// - A request longer than the profile's request_max (7S4 §2.1.2: 1000 bytes) leaves the frame's
//   tail out, so it still is a complete request; the bytes left out are counted and logged.
// - AT+HTPTIM covers the connect (from the open) and then the response (from sending the request,
//   spec §4): when it expires the connection is closed and nothing more is written.
// - Connect, DNS or TLS failure, or a connection lost: nothing is written for that request.
// - Any status code is handled like 200 (the manuals define no error output).
// - Every response byte restarts the no-data restart (AT+RSTIM; spec net-transparent §12).
// - In command mode response bytes are discarded (as NET mode does, GAP-46), counted.
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "dtu/device/device.hpp"
#include "dtu/hal/hal.hpp"
#include "dtu/http/response.hpp"
#include "dtu/params/store.hpp"
#include "httpd_config.hpp"
#include "mode_hooks.hpp"
#include "no_data_restart.hpp"
#include "timer.hpp"
#include "work_mode.hpp"

namespace dtu::device {

class HttpdMode final : public WorkMode, public hal::NetListener {
public:
    /// The link id of the request connection (NET mode has 0..3, NTP 4).
    static constexpr hal::LinkId kLink = hal::links::kHttpd;
    /// Frames waiting behind the request in flight.
    static constexpr std::size_t kQueueFrames = 8;

    /// What the mode needs from the rest of the device.
    using Hooks = ModeHooks;

    HttpdMode(const profile::HttpdRules& rules, hal::Hal hal, const params::Store& saved, Hooks hooks);
    ~HttpdMode() override;
    HttpdMode(const HttpdMode&) = delete;
    HttpdMode& operator=(const HttpdMode&) = delete;

    // WorkMode
    /// Start the no-data restart period; requests start with the first frame.
    void start() override;
    /// A frame from the serial port: one request (a full queue is counted in the status).
    bool on_frame(std::string_view frame) override;
    void report(Status& status) const override { status.httpd = this->status(); }
    HttpdStatus status() const;

    // hal::NetListener (events of kLink, and attach changes)
    void on_connected(hal::LinkId id) override;
    void on_connect_failed(hal::LinkId id, hal::NetError why) override;
    void on_data(hal::LinkId id, std::string_view bytes) override;
    void on_closed(hal::LinkId id, hal::NetError why) override;
    void on_attach_changed(bool attached) override;

private:
    enum class Phase : std::uint8_t { Idle, Connecting, Sent };

    void next();
    void connect();
    void send_request();
    void write(std::string_view bytes);
    void check(http::ResponseParser::State state);
    void on_timeout();
    void completed();
    void requeue(const std::string& why);
    void give_up(std::uint64_t& counter, const std::string& why);
    void end_request();
    void log(hal::LogLevel level, const std::string& line) const;

    hal::Hal hal_;
    HttpdConfig cfg_;
    Hooks hooks_;
    std::deque<std::string> queue_;
    std::string frame_; ///< the frame of the request in flight
    std::optional<http::ResponseParser> response_;
    Phase phase_ = Phase::Idle;
    std::uint64_t number_ = 0;         ///< request number, for the log
    bool waiting_logged_ = false;      ///< "waiting for registration" said since the last request
    bool discard_logged_ = false;      ///< "command mode: discarded" said for this request
    std::uint64_t written_before_ = 0; ///< bytes_to_serial + discarded_bytes when the request began
    Timer timeout_;
    NoDataRestart no_data_;
    HttpdStatus stats_;
};

} // namespace dtu::device
