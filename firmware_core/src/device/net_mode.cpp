#include "net_mode.hpp"

#include "at_prefix.hpp"
#include "dtu/at/text.hpp"
#include "packets.hpp"
#include "socket_distribution.hpp"

namespace dtu::device {
namespace {

Endpoint endpoint(const params::Store& s, const std::string& key) {
    Endpoint e;
    e.proto = s.text(key, 0) == "UDP" ? hal::Proto::Udp : hal::Proto::Tcp;
    e.host = std::string(s.text(key, 1));
    e.port = static_cast<std::uint16_t>(s.number(key, 2, 0));
    return e;
}

SocketConfig socket_config(const profile::NetRules& rules, const params::Store& s, std::size_t i,
                           const hal::Identity& id) {
    const char letter = static_cast<char>('A' + i);
    const std::string sock = std::string("SOCK") + letter;
    SocketConfig c;
    c.name = letter;
    c.id = static_cast<hal::LinkId>(i);
    c.enabled = s.on(sock + "EN");
    c.main = endpoint(s, sock);
    c.backup_enabled = s.on(sock + "BKEN");
    c.backup = endpoint(s, sock + "BK");
    c.short_connection = i == 0 && s.is("SOCKASL", 0, "SHORT"); // G771: socket A only
    c.short_idle_ms = static_cast<std::uint32_t>(s.number("SHORTATM", 0, 10)) * 1000;
    c.retry_ms = static_cast<std::uint32_t>(s.number("SOCKRSTIM", 0, 5)) * 1000;
    c.max_failures = static_cast<std::uint32_t>(s.number("SOCKRSNUM", 0, 60));
    c.cache = s.on("CACHEN");
    c.cache_limit = rules.cache_bytes;
    c.registration = registration_packet(s, id);
    const bool both = s.is("REGSND", 0, "LINK&DATA");
    c.register_on_link = both || s.is("REGSND", 0, "LINK");
    c.register_with_data = both || s.is("REGSND", 0, "DATA");
    c.net_heartbeat = s.on("HEARTEN") && s.is("HEARTTP", 0, "NET");
    c.heartbeat_ms = static_cast<std::uint32_t>(s.number("HEARTTM", 0, 30)) * 1000;
    return c;
}

} // namespace

NetMode::NetMode(const profile::Profile& profile, hal::Hal hal, const params::Store& saved, Hooks hooks)
    : profile_(profile), hal_(hal), saved_(saved), hooks_(std::move(hooks)), com_heartbeat_(hal.clock),
      no_data_(
          hal.clock, NoDataRestart::seconds_from(saved), [this](hal::ResetCause c) { hooks_.restart(c); },
          [this](hal::LogLevel level, const std::string& line) { hooks_.log(level, line); }) {
    const hal::Identity id = hal_.modem.identity();
    NetSocket::Hooks socket_hooks{[this] { return heartbeat(); },
                                  [this](char) { hooks_.restart(hal::ResetCause::Watchdog); }, hooks_.log};
    for (std::size_t i = 0; i < profile_.net.sockets; ++i)
        sockets_.push_back(
            std::make_unique<NetSocket>(hal_, socket_config(profile_.net, saved_, i, id), socket_hooks));
}

NetMode::~NetMode() {
    for (std::size_t i = 0; i < sockets_.size(); ++i)
        hal_.net.close(static_cast<hal::LinkId>(i));
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
    for (auto& s : sockets_)
        s->send_frame(frame);
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
    sockets_[index]->send_frame(req.data);
    flow_changed();
}

void NetMode::report(Status& status) const {
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
    const std::string reg = registration_packet(saved_, hal_.modem.identity());
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
    if (run_network_at(*s, bytes)) return;
    // GAP-46: in command mode network data is discarded.
    if (hooks_.in_command_mode()) return;
    hooks_.to_serial(saved_.on("SDPEN") ? sdp::wrap(id, bytes) : std::string(bytes));
}

bool NetMode::run_network_at(NetSocket& s, std::string_view payload) {
    if (!saved_.on("NATEN")) return false;
    const auto line = at::prefixed_command(payload, at_prefix(profile_, saved_));
    if (!line) return false;
    const Outcome outcome = hooks_.network_at(*line);
    s.send_reply(outcome.reply); // the answer goes back on the same socket, then any restart
    if (outcome.after == After::Restart) hooks_.restart(outcome.cause);
    return true;
}

std::string NetMode::heartbeat() const {
    return heartbeat_packet(saved_, hal_.modem.identity(), hal_.modem.radio());
}

void NetMode::arm_com_heartbeat() {
    if (!saved_.on("HEARTEN") || !saved_.is("HEARTTP", 0, "COM")) return;
    // G771 §2.2.2: the serial heartbeat goes out at every interval, whatever the traffic;
    // suspended while in command mode (spec modes-and-timing §1).
    com_heartbeat_.start(static_cast<std::uint32_t>(saved_.number("HEARTTM", 0, 30)) * 1000, [this] {
        if (!hooks_.in_command_mode()) hooks_.to_serial(heartbeat());
        arm_com_heartbeat();
    });
}

} // namespace dtu::device
