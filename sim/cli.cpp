#include "sim/cli.hpp"

#include <cstdlib>
#include <string_view>

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QStringList>

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
     The device prints its start message, then works in transparent mode.
  3. Paste +++ (typed, the three + arrive too far apart: they must come within one 50 ms
     packing interval, after 50 ms of silence); the device answers "a". Type a within 3 s: it
     answers "+ok" and is in AT command mode, echoing what you type. End each command with
     Enter. Try AT+VER, AT+CSQ, AT+WKMOD?; AT+ENTM goes back to transparent mode, AT+S saves
     the parameters (kept in --state-dir) and restarts, AT+Z restarts.

Output sent while no client has the port open is kept for the next client, but clients that
flush the port when they open it (pyserial does) lose it: --wait-serial holds the boot until
the port is opened, so the start message is not missed.
Scripts and CI: use --ready-file (one JSON object, written atomically, no log parsing) and
--serial-link for a stable path.

Exit status: 0 after SIGINT/SIGTERM/SIGHUP, 1 on a runtime error, 2 on a bad command line.
)";

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
        "iccid", q("SIM ICCID, 19 or 20 digits (default " + std::string(kDefaultIccid) + ")."), "DIGITS"};
    QCommandLineOption sn{
        "sn", q("Device serial number, 20 digits (default " + std::string(kDefaultSn) + ")."), "DIGITS"};
    QCommandLineOption log_level{
        "log-level", "Log on stderr from this level on: debug, info, warn or error (default info).", "LEVEL",
        "info"};
    QCommandLineOption wait_serial{
        "wait-serial", "Hold the boot until a client opens the serial port, so the client sees the "
                       "start message."};
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

/// The validated options of a parsed command line (no --help, --version or positional arguments).
CliResult read_options(const QCommandLineParser& parser, const CliOptions& o) {
    for (const QCommandLineOption* path : {&o.state_dir, &o.serial_link, &o.ready_file})
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

    opt.state_dir = parser.isSet(o.state_dir) ? std::filesystem::path(value(parser, o.state_dir))
                                              : default_state_dir(opt.profile, opt.identity.imei);
    if (opt.state_dir.empty()) return usage_error("neither XDG_STATE_HOME nor HOME is set: give --state-dir");
    opt.serial_link = value(parser, o.serial_link); // empty when not given
    opt.ready_file = value(parser, o.ready_file);
    opt.wait_serial = parser.isSet(o.wait_serial);
    return CliResult{std::move(opt), 0, {}, std::move(warnings)};
}

} // namespace

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
    parser.setApplicationDescription(
        "Simulates a USR-IoT serial-to-cellular DTU: the device firmware runs on this\n"
        "machine and its serial port is a pseudo-terminal (PTY).");
    const CliOptions o;
    parser.addOptions({o.help, o.version, o.profile, o.state_dir, o.serial_link, o.ready_file, o.imei,
                       o.iccid, o.sn, o.log_level, o.wait_serial});

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
