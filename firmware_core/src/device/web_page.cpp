#include "web_page.hpp"

#include <algorithm>
#include <cstdio>

#include "dtu/at/text.hpp"
#include "dtu/hal/net_address_text.hpp"
#include "link_state_word.hpp"
#include "web_html.hpp"

namespace dtu::device {
namespace {

/// "2 d 03:04:05".
std::string running_time(std::uint64_t ms) {
    const std::uint64_t s = ms / 1000;
    char text[48];
    std::snprintf(text, sizeof text, "%llu d %02u:%02u:%02u", static_cast<unsigned long long>(s / 86400),
                  static_cast<unsigned>(s / 3600 % 24), static_cast<unsigned>(s / 60 % 60),
                  static_cast<unsigned>(s % 60));
    return text;
}

/// The row whose choices name the connection states (K7 §4.1.4; AT+SOCKLKA), or nullptr.
const at::CommandSpec* link_state_row(const profile::Profile& profile) {
    const auto it =
        std::find_if(profile.commands.begin(), profile.commands.end(), [](const at::CommandSpec& c) {
            return c.behavior == at::Behavior::LinkState && !c.params.empty();
        });
    return it == profile.commands.end() ? nullptr : &*it;
}

hal::WebReply html(int status, std::string body) {
    hal::WebReply r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

} // namespace

WebPage::WebPage(const profile::Profile& profile, hal::Hal hal, const params::Store& saved,
                 const params::Store& working, Hooks hooks)
    : profile_(profile), hal_(hal), saved_(saved), working_(working), hooks_(std::move(hooks)),
      restart_timer_(hal.clock) {}

WebPage::~WebPage() {
    if (status_.serving && hal_.web) hal_.web->stop(); // a restart or power-off closes every connection
}

void WebPage::start() {
    // K7 §4.1.4: "Default port of the web server: 80 (can be modify)"; K7 §5.3.5 #10 AT+WEBPORT.
    status_.port = static_cast<std::uint16_t>(saved_.number("WEBPORT", 0, 80));
    status_.serving = hal_.web && hal_.web->serve(status_.port, *this);
    log(status_.serving ? hal::LogLevel::Info : hal::LogLevel::Warn,
        "web: " + std::string(status_.serving ? "serving" : "cannot serve") + " port " +
            std::to_string(status_.port));
}

hal::WebReply WebPage::on_web_request(const hal::WebRequest& request) {
    ++status_.requests;
    if (!authorised(request)) {
        // K7 §5.2 diagram 5.2-1: the browser's login window (HTTP Basic), user and password WEBU.
        ++status_.login_failures;
        log(hal::LogLevel::Info, std::string("web: ") +
                                     (request.has_credentials ? "wrong user name or password" : "no login") +
                                     " from " + hal::address_text(request.peer));
        hal::WebReply r = html(401, web_html::page("Login required", {},
                                                   "<p>Log in with the module's user "
                                                   "name and password.</p>\n"));
        r.realm = std::string(profile_.model);
        return r;
    }
    const bool get = request.method == "GET" || request.method == "HEAD";
    const bool post = request.method == "POST";
    if (request.path == "/" && get) return status_page();
    if (request.path == "/reboot") {
        if (post) return restart_page();
        if (get) return html(200, web_html::page("Reboot", {}, web_html::reboot_form()));
    }
    if (const web_forms::Form* form = web_forms::find(request.path)) {
        if (post) return post_form(*form, request);
        if (get) {
            const bool saved = std::any_of(request.fields.begin(), request.fields.end(),
                                           [](const auto& f) { return f.first == "saved"; });
            return form_page(*form, saved);
        }
    }
    if (request.path == "/" || request.path == "/reboot" || web_forms::find(request.path))
        return html(405, web_html::page("Method not allowed", {}, "<p>This page takes GET or POST.</p>\n"));
    return html(404, web_html::page("Not found", {}, "<p>No such page.</p>\n"));
}

bool WebPage::authorised(const hal::WebRequest& request) const {
    // K7 §5.3.5 #9 AT+WEBU; the login in effect is the one of boot, as every setting applies at
    // the restart (a changed password does not lock out the page that changed it).
    return request.has_credentials && request.user == saved_.text("WEBU", 0) &&
           request.password == saved_.text("WEBU", 1);
}

hal::WebReply WebPage::status_page() const {
    // K7 §4.1.4, §5.2 item 1; spec k7 §12.1.
    const Status s = hooks_.status ? hooks_.status() : Status{};
    std::uint64_t tx = 0, rx = 0;
    for (const SocketStatus& socket : s.sockets) {
        tx += socket.tx_bytes;
        rx += socket.rx_bytes;
    }
    std::vector<std::pair<std::string, std::string>> rows = {
        {"Module name", std::string(saved_.text("MID"))},
        {"Firmware revision", std::string(profile_.version)},
        // K7 §5.3.5 #7: the address AT+WANN shows (with DHCP too, GAP-52), in effect since boot.
        {"Current IP address",
         std::string(saved_.text("WANN", 1)) + " (" + std::string(saved_.text("WANN", 0)) + ")"},
        // K7 §5.3.5 #32: the custom MAC of boot.
        {"MAC address", at::to_upper(saved_.text("USERMAC"))},
        {"Running time", running_time(s.uptime_ms)},
        {"TX count (ETH)", std::to_string(tx) + " bytes"},
        {"RX count (ETH)", std::to_string(rx) + " bytes"},
    };
    const LiveState live = hooks_.live ? hooks_.live() : LiveState{};
    if (const at::CommandSpec* row = link_state_row(profile_))
        for (std::size_t i = 0; i < profile_.net.sockets && i < hal::kMaxLinks; ++i)
            rows.push_back(
                {std::string("Conn status (ETH) ") + static_cast<char>('A' + i),
                 link_state_word(row->params.front().choices, live.socket_connected[i], live.tcp_server[i])});
    return html(200, web_html::page("Current status", {}, web_html::table(rows)));
}

hal::WebReply WebPage::form_page(const web_forms::Form& form, bool saved) const {
    const std::string note =
        saved ? "<p class=\"note\" id=\"saved\">Saved. The settings take effect when the module restarts.</p>"
              : std::string();
    return html(200, web_html::page(form.title, note, web_html::form(profile_, form, working_)));
}

hal::WebReply WebPage::post_form(const web_forms::Form& form, const hal::WebRequest& request) {
    const web_forms::Request asked = web_forms::settings_for(profile_, form, working_, request.fields);
    if (!asked.unknown.empty()) return refuse(form, "\"" + asked.unknown + "\" is not a field of this form");
    if (const auto refused = apply_settings(profile_, working_, asked.settings, hooks_.run_at))
        return refuse(form, asked.labels[*refused] + " refused (AT+" + asked.settings[*refused].key + "=" +
                                asked.settings[*refused].value + ")");
    ++status_.forms_saved;
    log(hal::LogLevel::Info, "web: " + std::string(form.title) + " saved (" +
                                 std::to_string(asked.settings.size()) + " settings changed)");
    // K7 §5.2: the settings are kept as made (the K7 has no AT+S) and apply at the restart.
    hal::WebReply r = html(303, web_html::page(form.title, {}, "<p>Saved.</p>\n"));
    r.location = std::string(form.path) + "?saved=1";
    return r;
}

hal::WebReply WebPage::restart_page() {
    // K7 §5.2 item 6 "Save all the parameters and click restart module": every setting is already
    // kept, so the answer leaves, then the module restarts.
    log(hal::LogLevel::Info, "web: restart asked");
    restart_timer_.start(kRestartDelayMs, [this] {
        if (hooks_.restart) hooks_.restart(hal::ResetCause::AtRestart);
    });
    return html(200,
                web_html::page("Reboot", "<p class=\"note\" id=\"restarting\">The module is restarting.</p>",
                               "<p><a href=\"/\">Current status</a></p>\n"));
}

hal::WebReply WebPage::refuse(const web_forms::Form& form, const std::string& why) {
    ++status_.form_rejects;
    log(hal::LogLevel::Warn, "web: " + std::string(form.title) + " form refused: " + why);
    const std::string note = "<p class=\"error\" id=\"refused\">Not saved: " + web_html::escape(why) +
                             ". Nothing was changed.</p>";
    return html(400, web_html::page(form.title, note, web_html::form(profile_, form, working_)));
}

void WebPage::log(hal::LogLevel level, const std::string& line) const {
    if (hooks_.log) hooks_.log(level, line);
}

} // namespace dtu::device
