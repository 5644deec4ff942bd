#pragma once
// A device profile: everything that differs between device models, as data.
#include <cstddef>
#include <string_view>
#include <vector>

#include "dtu/at/command_spec.hpp"
#include "dtu/sms/codec.hpp"

namespace dtu::profile {

/// How a model frames its answers (at-syntax.md §4–§5).
struct ResponseStyle {
    std::string_view ok;             ///< set/execute success, e.g. "\r\nOK\r\n"
    std::string_view error_prefix;   ///< e.g. "\r\n+CME ERROR:"
    std::string_view error_suffix;   ///< e.g. "\r\n"
    std::string_view entm_reply;     ///< AT+ENTM answer
    std::string_view plus_a;         ///< what the module sends after "+++"
    std::string_view plus_ok;        ///< what the module sends after the host's 'a'
    std::string_view login_required; ///< G771 §2.6.3 "please log in at command first" line
};

/// Error codes by cause (at-syntax.md §5).
struct ErrorCodes {
    int format;    ///< not AT / unknown command / operator not allowed
    int parameter; ///< bad, missing or out-of-range parameter
    int login;     ///< wrong login password
};

/// Sizes and timings of one model.
struct Limits {
    std::size_t line_max;           ///< longest command line accepted (bytes, without terminator)
    std::size_t topic_entries;      ///< MQTT publish/subscribe table size
    std::uint32_t plus_window_ms;   ///< T5: host must answer 'a' within this
    std::uint32_t login_timeout_ms; ///< security login window
    // SIM switching (AT+SIMSWITCH, G771 §2.6.1 table 7); 0 = the model has one SIM slot.
    std::uint32_t sim_detect_ms = 0;  ///< mode 1: no external card -> internal card after this
    std::uint32_t sim_online_ms = 0;  ///< mode 2: a card not online this long -> switch and restart
    std::uint32_t sim_poll_ms = 1000; ///< how often the firmware looks at the data link state
    // MQTT mode (spec mqtt.md §3.8, §5.1); 0 topic entries = the model has no MQTT mode.
    std::uint32_t mqtt_reconnect_ms = 5000; ///< wait after a failed connect or a lost session
    std::size_t mqtt_payload_max = 4096;    ///< longest broker message payload put on the serial port
    std::size_t mqtt_temporary_topics = 16; ///< temporary subscriptions at once (distribution mode)
};

/// How the model reads and sends SMS (spec sms.md §1.2, modes-and-timing.md §4.4).
struct SmsRules {
    bool multi_command = false; ///< "pw#AT+A;AT+B;" runs both (732 §3.1.5, firmware 3.0+)
    /// Country code a number may carry in front of DSTNUM for the SMSFLT filter ("" = none).
    std::string_view country_code = {};
    /// How a message the device sends (a serial frame, an SMS AT answer) goes out when it is longer
    /// than one SMS.
    sms::LongMessage long_messages = sms::LongMessage::Concatenated;
};

struct Profile {
    std::string_view name;    ///< CLI name, e.g. "g771"
    std::string_view model;   ///< e.g. "USR-G771"
    std::string_view version; ///< AT+VER
    std::string_view build;   ///< AT+BUILD
    ResponseStyle style;
    ErrorCodes errors;
    Limits limits;
    std::vector<at::CommandSpec> commands;
    SmsRules sms{};
};

/// The profile called name, or nullptr.
const Profile* find(std::string_view name);
/// Every profile name, for --help.
std::vector<std::string_view> names();

} // namespace dtu::profile
