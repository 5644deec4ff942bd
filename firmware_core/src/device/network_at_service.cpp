#include "network_at_service.hpp"

#include "dtu/at/text.hpp"
#include "dtu/hal/net_address_text.hpp"
#include "link_router.hpp"

namespace dtu::device {

namespace {

/// The datagram without one trailing CR LF, CR or LF (spec k7 §10: the terminator is optional).
std::string_view without_terminator(std::string_view bytes) {
    if (bytes.size() >= 2 && bytes.substr(bytes.size() - 2) == "\r\n")
        return bytes.substr(0, bytes.size() - 2);
    if (!bytes.empty() && (bytes.back() == '\r' || bytes.back() == '\n'))
        return bytes.substr(0, bytes.size() - 1);
    return bytes;
}

} // namespace

NetworkAtService::NetworkAtService(hal::Hal hal, const params::Store& saved, Hooks hooks)
    : hal_(hal), saved_(saved), hooks_(std::move(hooks)), expiry_(hal.clock) {}

NetworkAtService::~NetworkAtService() = default; // UdpService closes the link

void NetworkAtService::start() {
    // K7 §5.3.5 #11: AT+SEARCH=<port>,<keyword>; settings apply at start (spec modes-and-timing §6.2).
    port_ = static_cast<std::uint16_t>(saved_.number("SEARCH", 0, 48899));
    keyword_ = std::string(saved_.text("SEARCH", 1));
    status_.port = port_;
    listen(hal_.net, kLink, port_, "network AT",
           [this](hal::LogLevel level, const std::string& line) { log(level, line); });
}

NetworkAtStatus NetworkAtService::status() const {
    NetworkAtStatus s = status_;
    s.listening = listening();
    s.in_session = peer_.has_value();
    s.peer = peer_ ? hal::address_text(*peer_) : std::string();
    return s;
}

void NetworkAtService::on_attach_changed(bool attached) {
    if (!attached && peer_) end_session("the network is gone");
    UdpService::on_attach_changed(attached);
}

void NetworkAtService::on_datagram(hal::LinkId, const hal::NetAddress& from, std::string_view bytes) {
    ++status_.datagrams;
    const std::string_view text = without_terminator(bytes);
    // K7 §5.3.1 "Send www.usr.cn via UDP ... PC will receive the return data from K7".
    if (!keyword_.empty() && text == keyword_) return open_session(from);
    // GAP-52 (dtu-sim): one session at a time; datagrams from anyone else are not answered.
    if (!peer_ || *peer_ != from || text.empty()) {
        ++status_.ignored;
        return;
    }
    command(text, from);
}

void NetworkAtService::open_session(const hal::NetAddress& from) {
    // GAP-52 (dtu-sim): the keyword always opens a session; one from another source replaces the
    // current one (a setup tool that lost its session is not locked out for 30 s).
    if (peer_ && *peer_ != from)
        log(hal::LogLevel::Info, "network AT: session of " + hal::address_text(*peer_) + " replaced by " +
                                     hal::address_text(from));
    else if (!peer_)
        log(hal::LogLevel::Info, "network AT: session opened by " + hal::address_text(from));
    peer_ = from;
    ++status_.sessions;
    arm_expiry();
    reply(from, identity());
}

void NetworkAtService::command(std::string_view line, const hal::NetAddress& from) {
    ++status_.commands;
    arm_expiry(); // spec k7 §10: each command restarts the 30 s
    const Outcome outcome = hooks_.run_at(line);
    reply(from, outcome.reply); // the answer first, then what the command asks for
    if (outcome.after == After::ExitCommand) end_session("AT+ENTM");
    if (outcome.after == After::Restart) hooks_.restart(outcome.cause);
}

void NetworkAtService::arm_expiry() {
    expiry_.start(kSessionMs, [this] {
        ++status_.expired;
        end_session("no command for 30 s");
    });
}

void NetworkAtService::end_session(const std::string& why) {
    expiry_.cancel();
    if (peer_)
        log(hal::LogLevel::Info, "network AT: session of " + hal::address_text(*peer_) + " ended: " + why);
    peer_.reset();
}

std::string NetworkAtService::identity() const {
    // Spec k7 §10 RECOMMENDED: "192.168.0.7,D8B04CC00D65,USR-K7". The IP is AT+WANN's address (K7
    // §5.3.5 #7; with DHCP the one AT shows, GAP-52), the MAC the custom MAC of boot (K7 §5.3.5 #32),
    // the name AT+MID (K7 §5.3.5 #31).
    return std::string(saved_.text("WANN", 1)) + "," + at::to_upper(saved_.text("USERMAC")) + "," +
           std::string(saved_.text("MID"));
}

void NetworkAtService::reply(const hal::NetAddress& to, std::string_view bytes) {
    if (!hal_.net.send_to(kLink, to, bytes))
        log(hal::LogLevel::Warn, "network AT: the answer to " + hal::address_text(to) + " was not sent");
}

void NetworkAtService::log(hal::LogLevel level, const std::string& line) const {
    if (hooks_.log) hooks_.log(level, line);
}

} // namespace dtu::device
