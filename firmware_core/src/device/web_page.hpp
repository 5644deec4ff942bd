#pragma once
// The USR-K7's own web pages on WEBPORT (K7 §4.1.4, §5.2; spec k7-ethernet §12): HTTP Basic login
// with WEBU, the running status (spec k7 §12.1), the configuration forms, written through the
// device's own AT engine all or nothing, and the restart. It runs in every work mode, beside the
// sockets. The board's HTTP server (hal::WebServer) parses and frames HTTP.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "at_engine.hpp"
#include "dtu/device/device.hpp"
#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"
#include "timer.hpp"
#include "web_forms.hpp"

namespace dtu::device {

class WebPage final : public hal::WebHandler {
public:
    /// Time between the restart page's reply and the restart (the reply leaves first).
    static constexpr std::uint32_t kRestartDelayMs = 20;

    struct Hooks {
        /// One AT command line through the device's engine (sets are validated and kept there).
        std::function<Outcome(std::string_view line)> run_at;
        std::function<void(hal::ResetCause)> restart;
        /// The device's status and live link states now (traffic counts, Conn status).
        std::function<Status()> status;
        std::function<LiveState()> live;
        std::function<void(hal::LogLevel, const std::string&)> log;
    };

    /// saved: the parameters in effect since boot (WEBPORT, WEBU, what the status shows); working:
    /// as AT shows them now (what the forms show and change).
    WebPage(const profile::Profile& profile, hal::Hal hal, const params::Store& saved,
            const params::Store& working, Hooks hooks);
    ~WebPage() override;
    WebPage(const WebPage&) = delete;
    WebPage& operator=(const WebPage&) = delete;

    void start();
    WebStatus status() const { return status_; }

    hal::WebReply on_web_request(const hal::WebRequest& request) override;

private:
    bool authorised(const hal::WebRequest& request) const;
    hal::WebReply status_page() const;
    hal::WebReply form_page(const web_forms::Form& form, bool saved) const;
    hal::WebReply post_form(const web_forms::Form& form, const hal::WebRequest& request);
    hal::WebReply restart_page();
    /// A 400 page naming what was refused; counted and logged.
    hal::WebReply refuse(const web_forms::Form& form, const std::string& why);
    void log(hal::LogLevel level, const std::string& line) const;

    const profile::Profile& profile_;
    hal::Hal hal_;
    const params::Store& saved_;
    const params::Store& working_;
    Hooks hooks_;
    Timer restart_timer_;
    WebStatus status_;
};

} // namespace dtu::device
