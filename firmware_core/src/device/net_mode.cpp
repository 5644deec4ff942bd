#include "net_mode.hpp"

#include "at_prefix.hpp"
#include "dtu/at/text.hpp"
#include "dtu/proto/socket_id.hpp"
#include "packets.hpp"
#include "param_keys.hpp"
#include "socket_distribution.hpp"

namespace dtu::device {
namespace {

Endpoint endpoint(const params::Store& s, const std::string& key) {
    Endpoint e;
    // "UDP" (G771), "UDPC" (K7 §5.3.5 #15: the UDP client).
    e.proto = s.text(key, 0).substr(0, 3) == "UDP" ? hal::Proto::Udp : hal::Proto::Tcp;
    e.host = std::string(s.text(key, 1));
    e.port = static_cast<std::uint16_t>(s.number(key, 2, 0));
    return e;
}

/// Seconds in key as ms; fallback_ms when the model has no such key (key "").
std::uint32_t ms_of(const params::Store& s, std::string_view key, std::uint32_t fallback_ms) {
    return key.empty() ? fallback_ms
                       : static_cast<std::uint32_t>(s.number(key, 0, fallback_ms / 1000)) * 1000;
}

SocketConfig socket_config(const profile::NetRules& rules, const params::Store& s, std::size_t i) {
    const profile::NetKeys& k = rules.keys;
    const char letter = static_cast<char>('A' + i);
    const auto key = [letter](std::string_view name) { return key_for(name, letter); };
    const std::string sock = std::string("SOCK") + letter;
    SocketConfig c;
    c.name = letter;
    c.id = static_cast<hal::LinkId>(i);
    c.enabled = s.on(sock + "EN");
    if (rules.enabled_by_address) {
        const std::string_view proto = s.text(sock, 0);
        c.enabled =
            (proto == "TCPC" || proto == "UDPC") && s.text(sock, 1) != "0.0.0.0" && s.number(sock, 2, 0) != 0;
    }
    c.main = endpoint(s, sock);
    c.backup_enabled = !k.backup_enabled.empty() && s.on(key(k.backup_enabled));
    if (!k.backup.empty()) c.backup = endpoint(s, key(k.backup));
    c.short_connection = rules.short_sockets.find(letter) != std::string_view::npos &&
                         s.is(key(k.short_connection), 0, "SHORT");
    c.short_idle_ms = ms_of(s, key(k.short_idle), rules.short_idle_s * 1000);
    c.retry_ms = ms_of(s, key(k.retry), rules.retry_ms);
    // 0: never give up (the 7S4 retries forever, spec net-transparent §5.3).
    c.max_failures = k.max_failures.empty() ? 0 : static_cast<std::uint32_t>(s.number(k.max_failures, 0, 60));
    c.down_restart_ms = ms_of(s, c.short_connection ? k.short_down_restart : k.down_restart, 0);
    c.cache = switched_on(s, k.cache);
    c.cache_limit = rules.cache_bytes;
    const bool both = s.is("REGSND", 0, "LINK&DATA");
    c.register_on_link = both || s.is("REGSND", 0, "LINK");
    c.register_with_data = both || s.is("REGSND", 0, "DATA");
    c.net_heartbeat = s.on("HEARTEN") && s.is(k.heartbeat_direction, 0, "NET");
    c.heartbeat_ms = static_cast<std::uint32_t>(s.number("HEARTTM", 0, 30)) * 1000;
    c.heartbeat_quiet_on_data = rules.heartbeat_quiet_on_data;
    return c;
}

} // namespace

NetMode::NetMode(const profile::Profile& profile, hal::Hal hal, const params::Store& saved, Hooks hooks,
                 std::unique_ptr<LinkFraming> framing)
    : profile_(profile), hal_(hal), saved_(saved), hooks_(std::move(hooks)), framing_(std::move(framing)),
      com_heartbeat_(hal.clock),
      no_data_(
          hal.clock, hooks.no_data_restart ? NoDataRestart::seconds_from(saved) : 0,
          [this](hal::ResetCause c) { hooks_.restart(c); },
          [this](hal::LogLevel level, const std::string& line) { hooks_.log(level, line); }),
      reconfig_(
          profile, hal, saved, [this](hal::LinkId link, std::string_view b) { deliver(link, b); },
          [this](hal::LogLevel level, const std::string& line) { hooks_.log(level, line); }),
      socket_id_(!profile.net.socket_id_param.empty() && saved.on(profile.net.socket_id_param)) {
    NetSocket::Hooks socket_hooks{[this] { return heartbeat(); },
                                  [this](char) { hooks_.restart(hal::ResetCause::Watchdog); }, hooks_.log};
    const std::string reg = registration();
    for (std::size_t i = 0; i < profile_.net.sockets; ++i) {
        SocketConfig c = socket_config(profile_.net, saved_, i);
        c.registration = reg;
        if (framing_) {
            // A framed link (UDC) logs in on every connect and sends its own heartbeat to the
            // server; HEARTTP and REGSND do not apply.
            c.register_on_link = true;
            c.register_with_data = false;
            c.net_heartbeat = saved_.on("HEARTEN");
        }
        sockets_.push_back(std::make_unique<NetSocket>(hal_, std::move(c), socket_hooks));
    }
}

std::string NetMode::registration() const {
    if (framing_) return framing_->login();
    return registration_packet(profile_.net, saved_, hal_.modem.identity(), hal_.modem.radio());
}

std::string NetMode::up(std::string_view payload) const {
    return framing_ ? framing_->up(payload) : std::string(payload);
}

NetMode::~NetMode() {
    // Only its own: beside a K7 server, link 0 is the server's listener (server_with_socket_b.hpp).
    for (std::size_t i = 0; i < sockets_.size(); ++i)
        if (socket_in_use(i)) hal_.net.close(static_cast<hal::LinkId>(i));
}

void NetMode::start() {
    for (auto& s : sockets_)
        s->start();
    arm_com_heartbeat();
    no_data_.arm();
}

bool NetMode::on_frame(std::string_view frame) {
    if (saved_.on("SDPEN")) {
        distribute(frame);
        return true;
    }
    // G771 §2.6.9: without the distribution protocol every frame goes to every socket.
    const std::string out = up(frame);
    for (auto& s : sockets_)
        s->send_frame(out);
    flow_changed();
    return true;
}

void NetMode::distribute(std::string_view frame) {
    const sdp::Request req = sdp::parse(frame);
    if (!req.ok) {
        hooks_.log(hal::LogLevel::Warn,
                   "socket distribution: bad frame (status " + std::to_string(req.status) + ")");
        hooks_.reply_to_serial(sdp::status_reply(req.socket, req.status));
        return;
    }
    const std::size_t index = req.socket - 0x61u;
    // A socket the model does not have cannot send either: status 0x10 "send failed".
    if (index >= sockets_.size() || !sockets_[index]->config().enabled) {
        hooks_.reply_to_serial(sdp::status_reply(req.socket, sdp::kSendFailed));
        return;
    }
    sockets_[index]->send_frame(up(req.data));
    flow_changed();
}

void NetMode::report(Status& status) const {
    reconfig_.report(status);
    status.sockets.clear();
    for (const auto& s : sockets_)
        status.sockets.push_back(s->status());
}

void NetMode::report(LiveState& live) const {
    for (std::size_t i = 0; i < sockets_.size() && i < live.socket_connected.size(); ++i)
        live.socket_connected[i] = sockets_[i]->connected();
}

void NetMode::on_connected(hal::LinkId id) {
    if (auto* s = socket(id)) s->on_connected();
}

void NetMode::on_connect_failed(hal::LinkId id, hal::NetError why) {
    if (auto* s = socket(id)) s->on_connect_failed(why);
}

void NetMode::on_closed(hal::LinkId id, hal::NetError why) {
    if (auto* s = socket(id)) s->on_closed(why);
    flow_changed(); // a closed link holds nothing back
}

void NetMode::on_send_drained(hal::LinkId /*id*/) { flow_changed(); }

bool NetMode::accepting() const {
    for (const auto& s : sockets_)
        if (s->busy()) return false;
    return true;
}

void NetMode::flow_changed() {
    if (hooks_.flow_changed) hooks_.flow_changed();
}

void NetMode::on_attach_changed(bool attached) {
    hooks_.log(hal::LogLevel::Info, attached ? "network registration back" : "network registration lost");
    // The SIM card (so the ICCID in the registration packet) may have changed: AT+SIMSWITCH=1.
    const std::string reg = registration();
    for (auto& s : sockets_) {
        if (attached) s->set_registration(reg);
        attached ? s->on_attached() : s->on_detached();
    }
    flow_changed(); // links closed by a lost registration hold nothing back
}

void NetMode::on_data(hal::LinkId id, std::string_view bytes) {
    NetSocket* s = socket(id);
    if (!s) return;
    s->on_received(bytes.size());
    no_data_.arm(); // G771 §2.6.8: data from the server keeps the device alive
    if (!framing_) {
        on_payload(id, bytes);
        return;
    }
    framing_->down(
        id, bytes, [&](std::string_view payload) { on_payload(id, payload); },
        [&](std::string_view answer) { s->send_reply(answer); });
}

void NetMode::on_payload(hal::LinkId id, std::string_view bytes) {
    // 732 §2.2.4: with AT+RFCEN on, RFC2217-like frames are taken out before anything else.
    if (reconfig_.enabled()) return reconfig_.on_data(id, bytes);
    deliver(id, bytes);
}

void NetMode::deliver(hal::LinkId id, std::string_view bytes) {
    NetSocket* s = socket(id);
    if (!s || run_network_at(*s, bytes)) return;
    // GAP-46: in command mode network data is discarded.
    if (hooks_.in_command_mode()) return;
    hooks_.to_serial(serial_form(id, bytes));
}

std::string NetMode::serial_form(hal::LinkId id, std::string_view bytes) const {
    // A socket distribution frame names its socket already; the indication adds nothing to it.
    if (saved_.on("SDPEN")) return sdp::wrap(id, bytes);
    if (socket_id_) return proto::socket_id::tag(id, bytes);
    return std::string(bytes);
}

bool NetMode::run_network_at(NetSocket& s, std::string_view payload) {
    if (!switched_on(saved_, profile_.net.keys.network_at)) return false;
    const auto line = at::prefixed_command(payload, at_prefix(profile_, saved_));
    if (!line) return false;
    const Outcome outcome = hooks_.network_at(*line);
    s.send_reply(up(outcome.reply)); // the answer goes back on the same socket, then any restart
    if (outcome.after == After::Restart) hooks_.restart(outcome.cause);
    return true;
}

std::string NetMode::heartbeat() const {
    if (framing_) return framing_->heartbeat();
    return heartbeat_packet(profile_.net, saved_, hal_.modem.identity(), hal_.modem.radio());
}

void NetMode::arm_com_heartbeat() {
    if (framing_ || !saved_.on("HEARTEN") || !saved_.is(profile_.net.keys.heartbeat_direction, 0, "COM"))
        return;
    // G771 §2.2.2: the serial heartbeat goes out at every interval, whatever the traffic;
    // suspended while in command mode (spec modes-and-timing §1).
    com_heartbeat_.start(static_cast<std::uint32_t>(saved_.number("HEARTTM", 0, 30)) * 1000, [this] {
        if (!hooks_.in_command_mode()) hooks_.to_serial(heartbeat());
        arm_com_heartbeat();
    });
}

} // namespace dtu::device
