#pragma once
// The dtu-sim command line: options, defaults, validation and --help text.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dtu/hal/log.hpp"
#include "dtu/hal/modem.hpp"
#include "hal_sim/link_config.hpp"
#include "hal_sim/sim_modem.hpp"
#include "sim/sms_script.hpp"

namespace dtu::sim {

/// Exit status for a bad command line (usage error).
inline constexpr int kExitUsage = 2;

/// Where the control API listens (--control HOST:PORT).
struct ControlEndpoint {
    std::string host;       ///< an address or name, IPv6 without brackets ("::1")
    std::uint16_t port = 0; ///< 0: the kernel picks a free port
};

/// A validated command line.
struct Options {
    std::string profile = "g771";
    std::filesystem::path state_dir;   ///< always set (defaulted from profile and IMEI)
    std::filesystem::path serial_link; ///< empty: no link
    std::filesystem::path ready_file;  ///< empty: none
    hal::Identity identity;
    hal::LogLevel log_level = hal::LogLevel::Info;
    bool wait_serial = false;
    bool baud_pacing = true; ///< --baud-pacing: serial bytes at the line rate, with flow control
    std::optional<ControlEndpoint> control;   ///< empty: no control API
    std::string link_profile = "none";        ///< --link: the name the link config came from
    hal_sim::LinkConfig link;                 ///< the cellular link's impairment at start
    std::uint64_t seed = 1;                   ///< PRNG seed for the impairment (jitter, loss)
    hal_sim::RadioModel radio;                ///< radio and SIM cards at start (--rssi, --network, ...)
    std::vector<ScriptedSms> sms_script;      ///< --sms-script, parsed and checked
    std::filesystem::path sms_outbox;         ///< --sms-outbox: empty = none
    std::uint16_t ntp_port = 123;             ///< --ntp-port: where the device's NTP requests really go
    std::string listen_address = "127.0.0.1"; ///< --listen-address: where the device's listeners bind
    std::vector<std::string> at_commands;     ///< --at, in order: typed in command mode at boot
    std::filesystem::path trace_dir;          ///< --trace: empty = no trace
};

/// Either options to run with, or an exit code with the text to print.
struct CliResult {
    std::optional<Options> options; ///< set: run the simulator
    int exit_code = 0;              ///< when options is empty
    std::string out;                ///< for stdout (--help, --version)
    std::string err;                ///< for stderr (errors, warnings)
};

/// Parse argv (args[0] is the program name). Never exits and never prints.
CliResult parse_cli(const std::vector<std::string>& args);

/// Parse "HOST:PORT" or "[IPv6]:PORT" (PORT 0..65535); nullopt and a message when malformed.
std::optional<ControlEndpoint> parse_control_endpoint(std::string_view text, std::string& error);

/// Whether host is a loopback address or "localhost" (the control API has no authentication).
bool is_loopback_host(std::string_view host);

/// $XDG_STATE_HOME/dtu-sim/<profile>-<imei>, or ~/.local/state/dtu-sim/...; empty if neither is known.
std::filesystem::path default_state_dir(const std::string& profile, const std::string& imei);

} // namespace dtu::sim
