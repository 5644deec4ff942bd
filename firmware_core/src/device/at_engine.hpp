#pragma once
// Executes one AT command line against the device's command table and parameter store.
#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "dtu/at/command_spec.hpp"
#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"

namespace dtu::device {

/// Where a command line came from (modes-and-timing.md §4).
/// Where a line came from. LanAt: a K7 network AT session over UDP (spec k7 §10), which AT+ENTM ends.
enum class Channel { Command, SerialAt, NetworkAt, SmsAt, LanAt };

/// Security-login state of one command-mode session (G771 §2.6.3).
struct Session {
    bool login_required = false;
    bool logged_in = false;
};

/// What the device must do after sending the reply.
enum class After { None, ExitCommand, Restart };

struct Outcome {
    std::string reply;
    After after = After::None;
    hal::ResetCause cause = hal::ResetCause::AtRestart;
    bool error = false;
};

/// Live facts some queries report; the device fills them in.
/// A TCP server socket as its work mode sees it (spec k7 §12.1: LISTEN, CONNECTED(n)).
struct ServerSocketLive {
    bool listening = false;
    std::size_t clients = 0;
};

struct LiveState {
    std::array<bool, hal::kMaxLinks> socket_connected{}; ///< by socket index (A = 0)
    /// By socket index: set by a TCP server work mode for the socket it listens on; empty for a
    /// client socket or a UDP server (which report socket_connected alone).
    std::array<std::optional<ServerSocketLive>, hal::kMaxLinks> tcp_server{};
    bool mqtt_connected = false;
    std::uint64_t uptime_ms = 0;
    std::int64_t unix_seconds = 946684800; ///< the device's wall clock, UTC (AT+CCLK)
    int tz_quarter_hours = 0;              ///< the operator's zone for AT+CCLK (+32 = UTC+8)
};

class AtEngine {
public:
    AtEngine(const profile::Profile& profile, params::Store& working, hal::Hal hal)
        : profile_(profile), working_(working), hal_(hal) {}

    /// Run one line (without terminator). Never fails: errors come back as the documented reply.
    Outcome execute(std::string_view line, Channel channel, Session& session, const LiveState& live);

    /// Hands one SMS to the network for AT+SMSEND; false when it was refused (not registered).
    using SmsSender = std::function<bool(std::string_view number, hal::SmsEncoding, std::string_view text)>;
    /// Set by the device once its SMS service runs; without one AT+SMSEND is a parameter error.
    void set_sms_sender(SmsSender sender) { send_sms_ = std::move(sender); }

private:
    Outcome dispatch(const at::CommandSpec& spec, int variant, at::Op op, std::string_view para,
                     Session& session, const LiveState& live);
    Outcome stored(const at::CommandSpec& spec, int variant, at::Op op, std::string_view para);
    Outcome table(const at::CommandSpec& spec, at::Op op, std::string_view para);
    Outcome login(const at::CommandSpec& spec, std::string_view para, Session& session);
    Outcome commit_and_restart(const params::Store& store, hal::ResetCause cause);
    Outcome save_user_defaults();
    Outcome ping(const at::CommandSpec& spec, std::string_view para);
    /// The error code of a line parse_request refused.
    std::string_view malformed_cause(std::string_view line) const;
    static Outcome restart_after(Outcome o, hal::ResetCause cause);
    Outcome info(const at::CommandSpec& spec, int variant, const LiveState& live) const;
    Outcome send_sms(const at::CommandSpec& spec, std::string_view para); // sms_command.cpp

    /// A successful set: committed at once where the model has no AT+S.
    /// A successful set: kept in the working copy (and committed at once without AT+S).
    Outcome set_value(const std::string& key, params::Values values);
    Outcome alias(const at::CommandSpec& spec, at::Op op, std::string_view para);
    Outcome help() const;
    Outcome firmware_update(const at::CommandSpec& spec, std::string_view para) const;
    std::string shown(const at::CommandSpec& spec, const params::Values& values) const;
    /// at::parse_set with the profile's field rule.
    bool parse(const at::CommandSpec& spec, std::string_view para, const params::Values* current,
               const params::Values& factory, params::Values& out) const;
    Outcome ok() const;
    /// What follows the last line of a query answer: OK, or the blank line alone (query_ok false).
    std::string_view query_end() const;
    Outcome error(std::string_view code) const;
    Outcome value(std::string_view name, std::string_view text, bool space = false) const;
    Outcome value(const at::CommandSpec& spec, std::string_view name, std::string_view text) const;

    const profile::Profile& profile_;
    params::Store& working_;
    hal::Hal hal_;
    SmsSender send_sms_;
};

} // namespace dtu::device
