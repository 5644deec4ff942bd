#include "sim/cli.hpp"

#include <charconv>
#include <cstdlib>
#include <string_view>

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QStringList>
#include <boost/asio/ip/address.hpp>

#include "dtu/profile/profile.hpp"
#include "hal_sim/host_log.hpp"
#include "sim/identity.hpp"

#ifndef DTU_SIM_VERSION
#define DTU_SIM_VERSION "0.0.0"
#endif

namespace dtu::sim {
namespace {

constexpr std::string_view kQuickStart = R"(
Quick start:
  1. Run dtu-sim. It prints the serial port, e.g.
       dtu-sim: g771 serial port /dev/pts/5, state ~/.local/state/dtu-sim/g771-868000000000001
  2. Open that port like the device's RS232 port:
       picocom -b 115200 /dev/pts/5          (quit with C-a C-x)
     The device works in transparent mode. (Its start message went out at boot, before picocom
     opened the port; start dtu-sim with --wait-serial to see it.)
  3. Paste +++ (typed, the three + arrive too far apart: they must come within one 50 ms
     packing interval, after 50 ms of silence); the device answers "a". Type a within 3 s: it
     answers "+ok" and is in AT command mode, echoing what you type. End each command with
     Enter. Try AT+VER, AT+CSQ, AT+WKMOD?; AT+ENTM goes back to transparent mode, AT+S saves
     the parameters (kept in --state-dir) and restarts, AT+Z restarts.
  4. Point the device at your own server from the start, for this run only:
       dtu-sim --at "AT+SOCKA=TCP,127.0.0.1,9000"      (add --at AT+S to keep it)

Output sent while no client has the port open is kept for the next client, but clients that
flush the port when they open it (pyserial does) lose it: --wait-serial holds the boot until
the port is opened, so the start message is not missed.
Scripts and CI: use --ready-file (one JSON object, written atomically, no log parsing) and
--serial-link for a stable path. With --control 127.0.0.1:0 the ready file also names the control
API's URL ("control"): GET /api/v1/status, GET/PUT /api/v1/link (impairment), GET/PUT
/api/v1/radio (signal, registration, SIM cards), POST /api/v1/power.

Exit status: 0 after SIGINT/SIGTERM/SIGHUP, 1 on a runtime error, 2 on a bad command line
(including an --at command the device answered with an error).
)";

// Qt prints "Usage: dtu-sim [options]" above this; the subcommands are not options, so they are
// listed here, each with the way to its own help.
constexpr std::string_view kAbout =
    R"(Simulates a USR-IoT serial-to-cellular DTU: the device firmware runs on this
machine and its serial port is a pseudo-terminal (PTY).

Commands:
  dtu-sim [options]                   run one device interactively (the options below)
  dtu-sim scenario [options] FILE...  run scenario files (YAML) against a device and check
                                      what it does; see: dtu-sim scenario --help
  dtu-sim replay TRACE.jsonl...       feed a recorded trace into a fresh device and compare
                                      what it does; see: dtu-sim replay --help)";

QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

std::string profile_list() {
    std::string list;
    for (std::string_view name : profile::names()) {
        if (!list.empty()) list += ", ";
        list += name;
    }
    return list;
}

/// The options, in the order --help shows them.
struct CliOptions {
    // Own -h/-v instead of addHelpOption(): Qt's adds --help-all for Qt options this program has not got.
    QCommandLineOption help{{"h", "help"}, "Show this help and exit."};
    QCommandLineOption version{{"v", "version"}, "Show the version and exit."};
    QCommandLineOption profile{
        "profile", q("Device model to simulate: " + profile_list() + " (default g771)."), "NAME", "g771"};
    QCommandLineOption state_dir{
        "state-dir",
        "Directory for the device's NVRAM (nvram.bin), created if missing. Default: "
        "$XDG_STATE_HOME/dtu-sim/<profile>-<imei>, or ~/.local/state/dtu-sim/<profile>-<imei>.",
        "DIR"};
    QCommandLineOption serial_link{
        "serial-link",
        "Make PATH a symlink to the serial PTY, for a path that does not change between runs. "
        "A stale link from an earlier run is replaced; the link is removed on exit.",
        "PATH"};
    QCommandLineOption ready_file{
        "ready-file",
        "When the device has booted, atomically write {\"serial\": \"/dev/pts/N\", \"pid\": N} "
        "to PATH (with --wait-serial: as soon as the port waits for its client). "
        "Removed on exit.",
        "PATH"};
    QCommandLineOption imei{"imei", q("Module IMEI, 15 digits (default " + default_identity().imei + ")."),
                            "DIGITS"};
    QCommandLineOption iccid{
        "iccid",
        q("ICCID of the external SIM card, 19 or 20 digits (default " + std::string(kDefaultIccid) + ")."),
        "DIGITS"};
    QCommandLineOption sn{
        "sn", q("Device serial number, 20 digits (default " + std::string(kDefaultSn) + ")."), "DIGITS"};
    QCommandLineOption log_level{
        "log-level", "Log on stderr from this level on: debug, info, warn or error (default info).", "LEVEL",
        "info"};
    QCommandLineOption wait_serial{
        "wait-serial", "Hold the boot until a client opens the serial port, so the client sees the "
                       "start message."};
    QCommandLineOption baud_pacing{
        "baud-pacing",
        "on: serial bytes move at the line rate AT+UART sets (start, data, parity and stop bits: 8N1 "
        "at 9600 baud is about 1.04 ms a byte), both ways, and a client writing faster than the line "
        "is held back: dtu-sim stops reading the port while the device's 1 KiB receive FIFO is full, "
        "and the device stops taking serial data while a server cannot take more, so a writer that "
        "waits for its writes loses nothing. off: bytes move as fast as they come, as on a PTY "
        "(what the device cannot take is dropped, counted and logged) (default on).",
        "on|off", "on"};
    QCommandLineOption control{
        "control",
        "Serve the control API (JSON over HTTP under /api/v1/: status, link impairment, radio, power) on "
        "HOST:PORT, e.g. 127.0.0.1:0 (port 0: a free port; the URL goes into --ready-file as "
        "\"control\" and into the start line). IPv6: [::1]:PORT. It has no authentication: keep it "
        "on loopback. Default: no control API.",
        "HOST:PORT"};
    QCommandLineOption link{
        "link",
        q("Impairment of the simulated cellular link at start: " +
          std::string(hal_sim::link_profile_names()) +
          " (default none: no added latency, loss or bandwidth limit). The control API changes it at run "
          "time."),
        "NAME", "none"};
    QCommandLineOption seed{
        "seed",
        "Seed of the pseudo-random generator behind jitter and loss, so a run can be repeated "
        "(default 1).",
        "N", "1"};
    // The radio at start; PUT /api/v1/radio changes all of it (and more) at run time.
    QCommandLineOption rssi{
        "rssi", "Signal strength at start, as AT+CSQ reports it: 0 to 31, or 99 (unknown) (default 27).", "N",
        "27"};
    QCommandLineOption network{"network",
                               "Network at start: LTE, GSM (2G; AT+SYSINFO says GSM/GPRS) or none (no "
                               "coverage: not registered, no data link) (default LTE).",
                               "TYPE", "LTE"};
    QCommandLineOption no_external_sim{
        "no-external-sim", "Start with the external SIM slot empty: the device then uses its internal eSIM "
                           "as AT+SIMSWITCH says (mode 1, the factory mode: after about 30 s)."};
    QCommandLineOption internal_iccid{"internal-iccid",
                                      q("ICCID of the internal eSIM, 19 or 20 digits (default " +
                                        std::string(hal_sim::SimModem::kDefaultInternalIccid) + ")."),
                                      "DIGITS"};
    QCommandLineOption sms_script{
        "sms-script",
        "Deliver the SMS listed in FILE to the device, each at its time after the start: one per line, "
        "'<when> <from> <text>', e.g. '2.5s +8613800138000 usr.cn#AT+CSQ' (docs/sms.md). The whole "
        "file is checked first: a bad line stops the start with FILE:LINE and the reason.",
        "FILE"};
    QCommandLineOption sms_outbox{
        "sms-outbox",
        "Append every SMS the device sends to FILE, one JSON object per line (time, number, encoding, "
        "text, parts). GET /api/v1/sms/outbox shows the same.",
        "FILE"};
    QCommandLineOption at{
        "at",
        "At start, before the device enters its work mode, type COMMAND in command mode (as after "
        "+++ and a), e.g. --at \"AT+SOCKA=TCP,127.0.0.1,9000\". Repeatable: applied in order. What "
        "the commands set is in force for this run (across AT+Z restarts and power cycles) but not "
        "saved in --state-dir: add --at AT+S to save it (as on the device, AT+S typed later saves "
        "everything in force). A command answered with an error stops the start (exit 2) with the "
        "command and the answer.",
        "COMMAND"};
    QCommandLineOption trace{
        "trace",
        "Record this run in DIR (created if missing), as the scenario runner's traces: "
        "<profile>-<imei>-<UTC start>.jsonl (every serial byte both ways, every connection the device "
        "opens and the bytes on it, with times) and a .pcapng of the same for Wireshark. Written as it "
        "happens, complete once dtu-sim exits (SIGINT, SIGTERM or SIGHUP).",
        "DIR"};
    QCommandLineOption ntp_port{
        "ntp-port",
        "Simulator knob: send the device's NTP requests (UDP to port 123) to port N instead, e.g. to a "
        "local NTP responder run without the privilege to bind port 123. The firmware still asks for "
        "port 123, as the device does (default 123).",
        "N", "123"};
    QCommandLineOption listen_address{
        "listen-address",
        "Where the device's own listeners bind on the host (the K7's TCP/UDP server, discovery on "
        "1901, ...): an IPv4 or IPv6 address (default 127.0.0.1; 0.0.0.0 reaches the LAN). Each binds at "
        "the port its parameters name, or at a free port when that one cannot be bound (below 1024 "
        "without privilege, or in use), with a log line; the ready file's and the status' \"ports\" "
        "show where each one is (\"tcp/23\": \"127.0.0.1:40123\").",
        "ADDRESS", "127.0.0.1"};
};

CliResult usage_error(const std::string& message) {
    CliResult r;
    r.exit_code = kExitUsage;
    r.err = "dtu-sim: " + message + "\nTry 'dtu-sim --help' for more information.\n";
    return r;
}

std::string value(const QCommandLineParser& parser, const QCommandLineOption& opt) {
    return parser.value(opt).toStdString();
}

/// Fill identity from --imei/--iccid/--sn; an error message if one is malformed.
std::optional<std::string> read_identity(const QCommandLineParser& parser, const CliOptions& o,
                                         hal::Identity& id, std::string& warnings) {
    id = default_identity();
    if (parser.isSet(o.imei)) id.imei = value(parser, o.imei);
    if (parser.isSet(o.iccid)) id.iccid = value(parser, o.iccid);
    if (parser.isSet(o.sn)) id.sn = value(parser, o.sn);
    if (auto e = imei_error(id.imei)) return "--imei: " + *e;
    if (auto e = iccid_error(id.iccid)) return "--iccid: " + *e;
    if (auto e = sn_error(id.sn)) return "--sn: " + *e;
    // Accepted anyway: test fixtures often use made-up IMEIs; the warning helps whoever wanted a real one.
    if (!imei_check_digit_ok(id.imei))
        warnings += "dtu-sim: warning: IMEI " + id.imei + " has a wrong check digit (Luhn: " +
                    luhn_check_digit(std::string_view(id.imei).substr(0, 14)) + ")\n";
    return std::nullopt;
}

std::string help_text(QCommandLineParser& parser) {
    // Without a QCoreApplication instance Qt cannot know argv[0]; name the program ourselves.
    std::string text = parser.helpText().toStdString();
    const std::string placeholder = "<executable_name>";
    if (auto pos = text.find(placeholder); pos != std::string::npos)
        text.replace(pos, placeholder.size(), "dtu-sim");
    return text + std::string(kQuickStart);
}

/// --control, --link, --seed, --ntp-port and --listen-address into opt; an error message if one is malformed.
std::optional<std::string> read_link_options(const QCommandLineParser& parser, const CliOptions& o,
                                             Options& opt, std::string& warnings) {
    if (parser.isSet(o.control)) {
        std::string error;
        opt.control = parse_control_endpoint(value(parser, o.control), error);
        if (!opt.control) return "--control: " + error;
        if (!is_loopback_host(opt.control->host))
            warnings += "dtu-sim: warning: --control " + opt.control->host +
                        ": the control API has no authentication; anyone who can reach it can power off "
                        "the device and change its link\n";
    }
    opt.link_profile = value(parser, o.link);
    auto link = hal_sim::link_profile(opt.link_profile);
    if (!link)
        return "unknown link profile '" + opt.link_profile +
               "' (available: " + std::string(hal_sim::link_profile_names()) + ")";
    opt.link = *link;
    const std::string seed = value(parser, o.seed);
    const char* end = seed.data() + seed.size();
    auto [ptr, ec] = std::from_chars(seed.data(), end, opt.seed);
    if (seed.empty() || ec != std::errc() || ptr != end)
        return "--seed must be a decimal number from 0 to 18446744073709551615";
    const std::string ntp = value(parser, o.ntp_port);
    unsigned ntp_port = 0;
    auto [nptr, nec] = std::from_chars(ntp.data(), ntp.data() + ntp.size(), ntp_port);
    if (ntp.empty() || nec != std::errc() || nptr != ntp.data() + ntp.size() || ntp_port < 1 ||
        ntp_port > 65535)
        return "--ntp-port must be a port number from 1 to 65535";
    opt.ntp_port = static_cast<std::uint16_t>(ntp_port);
    opt.listen_address = value(parser, o.listen_address);
    boost::system::error_code bad;
    boost::asio::ip::make_address(opt.listen_address, bad);
    if (bad)
        return "--listen-address must be an IP address, e.g. 127.0.0.1 or 0.0.0.0 (got '" +
               opt.listen_address + "')";
    return std::nullopt;
}

/// --rssi, --network, --no-external-sim and --internal-iccid into opt.radio; an error message if one
/// is malformed. The external card's ICCID is --iccid.
std::optional<std::string> read_radio_options(const QCommandLineParser& parser, const CliOptions& o,
                                              Options& opt) {
    hal_sim::RadioModel& radio = opt.radio;
    const std::string rssi = value(parser, o.rssi);
    const char* end = rssi.data() + rssi.size();
    auto [ptr, ec] = std::from_chars(rssi.data(), end, radio.rssi);
    if (rssi.empty() || ec != std::errc() || ptr != end ||
        !((radio.rssi >= 0 && radio.rssi <= 31) || radio.rssi == 99))
        return "--rssi must be a number from 0 to 31, or 99";
    const QString network = parser.value(o.network).toLower();
    if (network == "lte")
        radio.network = hal_sim::SimModem::kLte;
    else if (network == "gsm")
        radio.network = hal_sim::SimModem::kGsm;
    else if (network == "none")
        radio.network = hal_sim::SimModem::kNoNetwork;
    else
        return "--network must be LTE, GSM or none";
    radio.external.iccid = opt.identity.iccid;
    radio.external.present = !parser.isSet(o.no_external_sim);
    radio.internal.iccid = hal_sim::SimModem::kDefaultInternalIccid;
    if (parser.isSet(o.internal_iccid)) radio.internal.iccid = value(parser, o.internal_iccid);
    if (auto e = iccid_error(radio.internal.iccid)) return "--internal-iccid: " + *e;
    if (auto e = hal_sim::SimModem::validate(radio)) return *e; // nothing else can be wrong; kept as a guard
    return std::nullopt;
}

/// The validated options of a parsed command line (no --help, --version or positional arguments).
CliResult read_options(const QCommandLineParser& parser, const CliOptions& o) {
    for (const QCommandLineOption* path :
         {&o.state_dir, &o.serial_link, &o.ready_file, &o.sms_script, &o.sms_outbox, &o.trace})
        if (parser.isSet(*path) && parser.value(*path).isEmpty())
            return usage_error("--" + path->names().first().toStdString() + " needs a non-empty path");

    Options opt;
    opt.profile = value(parser, o.profile);
    if (profile::find(opt.profile) == nullptr)
        return usage_error("unknown profile '" + opt.profile + "' (available: " + profile_list() + ")");
    const auto level = hal_sim::HostLog::parse_level(value(parser, o.log_level));
    if (!level) return usage_error("--log-level must be debug, info, warn or error");
    opt.log_level = *level;

    std::string warnings;
    if (auto e = read_identity(parser, o, opt.identity, warnings)) return usage_error(*e);
    if (auto e = read_link_options(parser, o, opt, warnings)) return usage_error(*e);
    if (auto e = read_radio_options(parser, o, opt)) return usage_error(*e);

    opt.state_dir = parser.isSet(o.state_dir) ? std::filesystem::path(value(parser, o.state_dir))
                                              : default_state_dir(opt.profile, opt.identity.imei);
    if (opt.state_dir.empty()) return usage_error("neither XDG_STATE_HOME nor HOME is set: give --state-dir");
    opt.serial_link = value(parser, o.serial_link); // empty when not given
    opt.ready_file = value(parser, o.ready_file);
    opt.wait_serial = parser.isSet(o.wait_serial);
    const std::string pacing = value(parser, o.baud_pacing);
    if (pacing != "on" && pacing != "off") return usage_error("--baud-pacing must be on or off");
    opt.baud_pacing = pacing == "on";
    opt.sms_outbox = value(parser, o.sms_outbox);
    opt.trace_dir = value(parser, o.trace);
    for (const QString& command : parser.values(o.at)) {
        if (command.trimmed().isEmpty()) return usage_error("--at needs a command, e.g. --at AT+VER");
        opt.at_commands.push_back(command.toStdString());
    }
    if (parser.isSet(o.sms_script)) {
        auto script = load_sms_script(value(parser, o.sms_script));
        if (auto* problem = std::get_if<std::string>(&script))
            return usage_error("--sms-script: " + *problem);
        opt.sms_script = std::get<std::vector<ScriptedSms>>(std::move(script));
    }
    return CliResult{std::move(opt), 0, {}, std::move(warnings)};
}

} // namespace

std::optional<ControlEndpoint> parse_control_endpoint(std::string_view text, std::string& error) {
    const std::string expected = "expected HOST:PORT, e.g. 127.0.0.1:0 or [::1]:8080";
    ControlEndpoint endpoint;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            error = expected;
            return std::nullopt;
        }
        endpoint.host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            error = expected;
            return std::nullopt;
        }
        endpoint.host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (endpoint.host.find(':') != std::string::npos) {
            error = "an IPv6 address needs brackets: [" + endpoint.host + "]:" + std::string(port);
            return std::nullopt;
        }
    }
    if (endpoint.host.empty()) {
        error = "no host; " + expected;
        return std::nullopt;
    }
    unsigned number = 0;
    const char* end = port.data() + port.size();
    auto [ptr, ec] = std::from_chars(port.data(), end, number);
    if (port.empty() || ec != std::errc() || ptr != end || number > 65535) {
        error = "the port must be a number from 0 to 65535";
        return std::nullopt;
    }
    endpoint.port = static_cast<std::uint16_t>(number);
    return endpoint;
}

bool is_loopback_host(std::string_view host) {
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::filesystem::path default_state_dir(const std::string& profile, const std::string& imei) {
    const std::string leaf = profile + "-" + imei;
    if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg != nullptr && *xdg == '/')
        return std::filesystem::path(xdg) / "dtu-sim" / leaf;
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
        return std::filesystem::path(home) / ".local" / "state" / "dtu-sim" / leaf;
    return {};
}

CliResult parse_cli(const std::vector<std::string>& args) {
    // No QCoreApplication: the event loop is Asio's, and the parser works on a plain string list.
    QCoreApplication::setApplicationName("dtu-sim");
    QCoreApplication::setApplicationVersion(DTU_SIM_VERSION);
    QCommandLineParser parser;
    parser.setApplicationDescription(q(kAbout));
    const CliOptions o;
    parser.addOptions({o.help,           o.version,     o.profile,
                       o.state_dir,      o.serial_link, o.ready_file,
                       o.imei,           o.iccid,       o.sn,
                       o.log_level,      o.wait_serial, o.baud_pacing,
                       o.control,        o.link,        o.seed,
                       o.sms_script,     o.sms_outbox,  o.ntp_port,
                       o.rssi,           o.network,     o.no_external_sim,
                       o.internal_iccid, o.at,          o.trace,
                       o.listen_address});

    QStringList list;
    for (const std::string& a : args)
        list << QString::fromLocal8Bit(a.c_str());
    if (!parser.parse(list)) return usage_error(parser.errorText().toStdString());
    if (parser.isSet(o.help)) return CliResult{std::nullopt, 0, help_text(parser), {}};
    if (parser.isSet(o.version)) return CliResult{std::nullopt, 0, "dtu-sim " DTU_SIM_VERSION "\n", {}};
    if (!parser.positionalArguments().isEmpty())
        return usage_error("unexpected argument '" + parser.positionalArguments().first().toStdString() +
                           "'");
    return read_options(parser, o);
}

} // namespace dtu::sim
