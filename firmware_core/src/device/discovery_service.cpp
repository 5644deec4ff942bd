#include "discovery_service.hpp"

#include <vector>

#include "discovery_params.hpp"
#include "dtu/at/answer.hpp"
#include "dtu/at/text.hpp"
#include "dtu/hal/net_address_text.hpp"
#include "link_router.hpp"

namespace dtu::device {
namespace k7 = proto::k7_discovery;

namespace {

std::string_view verdict_name(k7::Verdict v) {
    switch (v) {
    case k7::Verdict::CutShort: return "cut short";
    case k7::Verdict::BadLength: return "bad length";
    case k7::Verdict::BadChecksum: return "bad checksum";
    default: return "not a frame";
    }
}

} // namespace

DiscoveryService::DiscoveryService(const profile::Profile& profile, hal::Hal hal, const params::Store& saved,
                                   const params::Store& working, Hooks hooks)
    : profile_(profile), hal_(hal), saved_(saved), working_(working), hooks_(std::move(hooks)),
      restart_timer_(hal.clock) {}

DiscoveryService::~DiscoveryService() = default; // UdpService closes the link

void DiscoveryService::start() {
    // K7 §5.3.5 #32: a custom MAC takes effect at the next start, so the MAC is the one of boot.
    if (!discovery_params::mac_of(saved_, mac_))
        log(hal::LogLevel::Warn, "discovery: the stored MAC is not 12 hex digits; frames will not match it");
    // K7 §5.1.2 1.①: the setup software sends to port 1901.
    listen(hal_.net, kLink, k7::kPort, "discovery",
           [this](hal::LogLevel level, const std::string& line) { log(level, line); });
}

void DiscoveryService::on_datagram(hal::LinkId, const hal::NetAddress& from, std::string_view bytes) {
    ++status_.frames;
    const k7::Frame frame = k7::parse(bytes);
    switch (frame.verdict) {
    case k7::Verdict::Search:
        // Spec k7 §11.5 RECOMMENDED (GAP-19): no credentials; answered to the sender (unicast).
        ++status_.searches;
        return reply(from, search_reply());
    case k7::Verdict::Frame: return command(frame, from);
    case k7::Verdict::NotFrame: ++status_.ignored; return;
    case k7::Verdict::CutShort:
    case k7::Verdict::BadLength:
    case k7::Verdict::BadChecksum:
        ++status_.bad_frames;
        log(hal::LogLevel::Warn, "discovery: " + std::string(verdict_name(frame.verdict)) + " frame from " +
                                     hal::address_text(from) + " (" + std::to_string(bytes.size()) +
                                     " bytes)");
        // K7 §5.1.2 3.⑤ "Parity and return: return 'E'"; spec k7 §11.5 RECOMMENDED (GAP-19): bad
        // length or checksum -> FF 01 <CMD> 45. Under 3 bytes there is no command to name: no answer.
        if (bytes.size() >= 3) reply(from, k7::build_short_reply(frame.command, 'E'));
        return;
    }
}

void DiscoveryService::command(const k7::Frame& frame, const hal::NetAddress& from) {
    // Spec k7 §11.5 RECOMMENDED (GAP-19): another device's frame (the search goes to every device
    // on the LAN) is not answered.
    if (frame.mac != mac_) {
        ++status_.ignored;
        return;
    }
    // K7 §5.1.2 3.⑤ "Username password wrong return: FF 01 CMD 'P'" for every command (GAP-19: the
    // restart example's 'E' is taken as an older variant). The login is the web one (AT+WEBU).
    if (frame.user != working_.text("WEBU", 0) || frame.password != working_.text("WEBU", 1)) {
        ++status_.refused;
        log(hal::LogLevel::Warn, "discovery: wrong user name or password from " + hal::address_text(from));
        return reply(from, k7::build_short_reply(frame.command, 'P'));
    }
    ++status_.commands;
    reply(from, perform(frame));
    // Spec k7 §11.2 (GAP-19): 02 = restart; the answer first, then the restart.
    if (frame.command == static_cast<std::uint8_t>(k7::Command::Restart))
        restart_timer_.start(kRestartDelayMs, [this] { hooks_.restart(hal::ResetCause::AtRestart); });
}

std::string DiscoveryService::perform(const k7::Frame& frame) {
    switch (static_cast<k7::Command>(frame.command)) {
    case k7::Command::Restart: return k7::build_short_reply(frame.command, 'K'); // K7 §5.1.2 3.②
    case k7::Command::Read:
        // K7 §5.1.2 3.③: 180 bytes, "no protocol and return directly"; the working parameters (as AT
        // shows them now).
        return k7::build_read_reply(discovery_params::read_basic(working_, basic_echo_),
                                    discovery_params::read_serial(working_, serial_echo_));
    case k7::Command::Store:
        // K7 §5.1.2 3.④ "FF 01 04 4B". The K7 has no AT+S: every set above was kept when it was made
        // (profile persistence.save_command false, modes-and-timing §6.2), so there is nothing left
        // to store; the settings apply at the restart, as after AT+Z.
        return k7::build_short_reply(frame.command, 'K');
    case k7::Command::Basic: return k7::build_short_reply(frame.command, write_basic(frame.params));
    case k7::Command::Serial0: return k7::build_short_reply(frame.command, write_serial(frame.params));
    default:
        // Spec k7 §11.5 RECOMMENDED (GAP-19): 07/08 (serial ports 1, 2: the K7 has one) and 10
        // (USR-cloud, layout not given) -> 'E'; so is any other command.
        ++status_.rejected;
        log(hal::LogLevel::Warn, "discovery: command " + std::to_string(frame.command) + " not served");
        return k7::build_short_reply(frame.command, 'E');
    }
}

std::string DiscoveryService::search_reply() const {
    // K7 §5.1.2 form 5.1.2-7; spec k7 §11.5 RECOMMENDED (GAP-19): the IP and MAC in effect, the
    // firmware version (3016 -> C8 0B), encryption 00 00, name = MID.
    k7::SearchReply r;
    r.ip = discovery_params::ip_of(saved_);
    r.mac = mac_;
    r.firmware = static_cast<std::uint16_t>(at::parse_decimal(profile_.version).value_or(0));
    r.name = std::string(saved_.text("MID"));
    return k7::build_search_reply(r);
}

char DiscoveryService::write_basic(std::string_view block) {
    k7::Basic basic;
    const bool ok = k7::decode_basic(block, basic);
    const auto settings = ok ? discovery_params::basic_settings(basic) : std::nullopt;
    if (!settings || !apply(*settings)) {
        ++status_.rejected;
        if (!ok)
            log(hal::LogLevel::Warn, "discovery: basic block of " + std::to_string(block.size()) + " bytes");
        return 'E'; // K7 §5.1.2 3.⑤ "Other wrong"
    }
    basic_echo_ = basic;
    return 'K';
}

char DiscoveryService::write_serial(std::string_view block) {
    k7::Serial serial;
    const bool ok = k7::decode_serial(block, serial);
    const auto settings = ok ? discovery_params::serial_settings(serial, working_) : std::nullopt;
    if (!settings || !apply(*settings)) {
        ++status_.rejected;
        log(hal::LogLevel::Warn,
            ok ? "discovery: serial block with a code that has no AT value"
               : "discovery: serial block of " + std::to_string(block.size()) + " bytes");
        return 'E';
    }
    serial_echo_ = serial;
    return 'K';
}

bool DiscoveryService::apply(const std::vector<Setting>& settings) {
    const auto refused = apply_settings(profile_, working_, settings, hooks_.run_at);
    if (!refused) return true;
    const Setting& s = settings[*refused];
    log(hal::LogLevel::Warn, "discovery: AT+" + s.key + "=" + s.value + " refused; the block is not applied");
    return false;
}

void DiscoveryService::reply(const hal::NetAddress& to, std::string_view bytes) {
    if (!hal_.net.send_to(kLink, to, bytes))
        log(hal::LogLevel::Warn, "discovery: the answer to " + hal::address_text(to) + " was not sent");
}

void DiscoveryService::log(hal::LogLevel level, const std::string& line) const {
    if (hooks_.log) hooks_.log(level, line);
}

} // namespace dtu::device
