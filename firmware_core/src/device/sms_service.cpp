#include "sms_service.hpp"

#include "at_prefix.hpp"
#include "stored_mode.hpp"
#include <algorithm>

#include "dtu/at/text.hpp"
#include "dtu/sms/number.hpp"

namespace dtu::device {
namespace {

/// Commands executed after all others in a multi-command SMS: they restart the device
/// (modes-and-timing §4.4).
constexpr std::string_view kRestartCommands[] = {"S", "Z", "RELD", "CLEAR", "REBOOT"};

std::string_view trim_line_end(std::string_view s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

/// Text that reads like "<word>AT+..." — an SMS AT attempt whatever its password.
bool looks_like_sms_at(std::string_view text) {
    constexpr std::size_t kMaxPrefix = 32;
    for (std::size_t i = 1; i + 2 <= text.size() && i <= kMaxPrefix; ++i) {
        if (text[i - 1] == ' ' || text[i - 1] == '\n' || text[i - 1] == '\r') return false;
        if (!at::istarts_with(text.substr(i), "AT")) continue;
        const std::string_view rest = text.substr(i + 2);
        if (rest.empty() || rest.front() == '+' || rest.front() == '\r') return true;
    }
    return false;
}

bool is_restart(std::string_view line) {
    if (!at::istarts_with(line, "AT+")) return false;
    line.remove_prefix(3);
    const std::string_view name = line.substr(0, line.find_first_of("=?"));
    return std::any_of(std::begin(kRestartCommands), std::end(kRestartCommands),
                       [&](std::string_view r) { return at::iequals(name, r); });
}

} // namespace

SmsService::SmsService(const profile::Profile& profile, hal::Hal hal, const params::Store& saved, Hooks hooks)
    : profile_(profile), hal_(hal), saved_(saved), hooks_(std::move(hooks)),
      transparent_(stored_mode(profile, saved) == profile::ModeKind::Sms) {
    hal_.sms.set_listener(this);
}

SmsService::~SmsService() { hal_.sms.set_listener(nullptr); }

SmsCounters SmsService::counters() const {
    SmsCounters c = counters_;
    c.parts_dropped = reassembler_.dropped();
    return c;
}

void SmsService::on_frame(std::string_view frame) {
    // GAP-35: one serial frame = one message to DSTNUM (split as the profile's SMS rules say).
    send_text(saved_.text("DSTNUM"), frame);
}

bool SmsService::send_text(std::string_view number, std::string_view text) {
    const hal::SmsEncoding encoding = sms::choose_encoding(text);
    const sms::LongMessage how = profile_.sms.long_messages;
    const std::vector<std::string> parts = sms::split(encoding, text, how);
    if (parts.size() > sms::kMaxParts) {
        ++counters_.send_failed;
        log(hal::LogLevel::Warn, "SMS to " + std::string(number) + " dropped: needs more than 255 SMS");
        return false;
    }
    return send_parts(number, encoding, parts, how == sms::LongMessage::Concatenated && parts.size() > 1);
}

bool SmsService::send_one(std::string_view number, hal::SmsEncoding encoding, std::string_view text) {
    return send_parts(number, encoding, {std::string(text)}, false);
}

bool SmsService::send_parts(std::string_view number, hal::SmsEncoding encoding,
                            const std::vector<std::string>& parts, bool joined) {
    const std::uint8_t ref = joined ? ++next_ref_ : 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        hal::SmsSegment s{std::string(number),
                          encoding,
                          parts[i],
                          ref,
                          static_cast<std::uint8_t>(joined ? parts.size() : 1),
                          static_cast<std::uint8_t>(joined ? i + 1 : 1)};
        if (!hal_.sms.send(s)) {
            ++counters_.send_failed;
            log(hal::LogLevel::Warn, "SMS to " + s.number + " not sent (part " + std::to_string(i + 1) +
                                         " of " + std::to_string(parts.size()) +
                                         " refused: no network registration)");
            return false;
        }
        ++counters_.parts_sent;
        if (s.seq == s.total) ++counters_.sent; // the last SMS of a message (every one, if separate)
    }
    return true;
}

void SmsService::on_sms(const hal::SmsSegment& segment) {
    const std::uint64_t dropped = reassembler_.dropped();
    const auto message = reassembler_.add(segment, hal_.clock.now_ms());
    if (reassembler_.dropped() != dropped)
        log(hal::LogLevel::Warn, "incomplete concatenated SMS given up (parts missing or unusable)");
    if (message) handle(*message);
}

void SmsService::handle(const sms::Reassembler::Message& message) {
    ++counters_.received;
    if (run_sms_at(message.number, message.text)) return;
    const bool rejected = looks_like_sms_at(message.text);
    if (rejected) {
        // Counted and logged without the text: it holds someone's guess at the password.
        ++counters_.at_rejected;
        log(hal::LogLevel::Warn, "SMS AT from " + message.number + " ignored: wrong password");
    }
    if (!transparent_) {
        if (!rejected) ++counters_.ignored;
        log(hal::LogLevel::Info, "SMS from " + message.number + " ignored: not in SMS transparent mode");
        return;
    }
    // G771 §2.4: with SMSFLT on, only the target phone's messages reach the serial device.
    if (saved_.on("SMSFLT") &&
        !sms::same_number(message.number, saved_.text("DSTNUM"), profile_.sms.country_code)) {
        ++counters_.filtered;
        log(hal::LogLevel::Info, "SMS from " + message.number + " filtered (not DSTNUM)");
        return;
    }
    ++counters_.to_serial;
    hooks_.to_serial(message.text); // spec sms.md §1.2: the text alone, nothing added
}

bool SmsService::run_sms_at(const std::string& number, std::string_view text) {
    // G771 §3.4.3: "password + AT command"; the CR the manual shows is optional in an SMS.
    const std::string password = at_prefix(profile_, saved_);
    text = trim_line_end(text);
    if (password.empty() || text.substr(0, password.size()) != password) return false;
    text.remove_prefix(password.size());
    if (!at::istarts_with(text, "AT")) return false;
    ++counters_.at_commands;
    std::vector<std::string> lines = command_lines(text);
    // Restarting commands go last so that the others still count (modes-and-timing §4.4).
    std::stable_partition(lines.begin(), lines.end(), [](const std::string& l) { return !is_restart(l); });
    std::string reply;
    std::optional<hal::ResetCause> restart;
    for (const auto& line : lines) {
        const Outcome o = hooks_.sms_at(line);
        reply += o.reply;
        if (o.after == After::Restart) restart = o.cause;
    }
    log(hal::LogLevel::Info, "SMS AT from " + number + ": " + std::to_string(lines.size()) + " command(s)");
    send_text(number, reply); // G771 §3.4.3: the answer goes back to the sender by SMS
    if (restart) hooks_.restart(*restart);
    return true;
}

std::vector<std::string> SmsService::command_lines(std::string_view commands) const {
    if (!profile_.sms.multi_command) return {std::string(commands)};
    std::vector<std::string> lines;
    while (!commands.empty()) {
        const std::size_t semi = commands.find(';');
        const std::string_view line = trim_line_end(commands.substr(0, semi));
        if (!line.empty()) lines.emplace_back(line);
        if (semi == std::string_view::npos) break;
        commands.remove_prefix(semi + 1);
    }
    return lines;
}

} // namespace dtu::device
