// USR-LTE-7S4 management, configuration and information commands (7S4 §3.1.7.1-§3.1.7.19) and
// the FTP self-upgrade (7S4 §2.3.9.1).
#include "lte7s4_rows.hpp"
#include "rows.hpp"

namespace dtu::profile::lte7s4_rows {
using namespace rows;

namespace {

void management(fragments::Table& t) {
    t.push_back(action("", kAction, Behavior::Test, "7S4 §3.1.7.1", "test"));
    t.push_back(action("H", kAction, Behavior::Help, "7S4 §3.1.7.2", "help"));
    t.push_back(action("Z", kAction, Behavior::Restart, "7S4 §3.1.7.3", "restart the application (fast)"));
    t.push_back(action("REBOOT", kAction, Behavior::Reboot, "7S4 §3.1.7.4",
                       "reboot the system, as a power cycle (slow)"));
    CommandSpec echo = param("E", {on_off()}, "ON", "7S4 §3.1.7.5; spec GAP-03", "echo in command mode");
    echo.behavior = Behavior::Echo;
    t.push_back(echo);
    t.push_back(action("ENTM", kAction, Behavior::ExitCommand, "7S4 §3.1.7.6, §3.1.2", "leave command mode"));
    t.push_back(param("WKMOD", {choice("mode", "NET|HTTPD")}, "NET", "7S4 §3.1.7.7, §2.1", "work mode"));
    // 7S4 §3.1.3: serial AT is "usr.cnAT+VER": the password is the whole prefix (no '#'). §3.1.7.8
    // says 1~10 bytes but its own example "www.usr.cn#" has 11: 11 are taken so the example works.
    t.push_back(param("CMDPW", {text("password", 1, 11)}, "usr.cn", "7S4 §3.1.7.8, §3.1.3",
                      "command password (the AT prefix)"));
    t.push_back(param("STMSG", {text("message", 1, 20)}, "USR-LTE-7S4 V1.0.5", "7S4 §3.1.7.9; spec GAP-39",
                      "start message"));
    CommandSpec csq = action("CSQ", kReadOnly, Behavior::SignalByNetwork, "7S4 §3.1.7.11", "signal quality");
    csq.answer_space = true; // "+CSQ: rssi,null,ber" (GAP-14: the blank after the colon is kept)
    t.push_back(csq);
    // 7S4 §3.1.7.10 gives no range: the G771's (0 = off, 60..65535; spec net-transparent §12).
    ParamSpec rstim = number("time", 60, 65535);
    rstim.zero_ok = true;
    t.push_back(param("RSTIM", {rstim}, "1800", "7S4 §3.1.7.10; spec GAP-40", "no-data restart time in s"));
    CommandSpec sysinfo =
        action("SYSINFO", kReadOnly, Behavior::SysInfo, "7S4 §3.1.7.12", "service state and network");
    sysinfo.answer_space = true; // "+ SYSINFO: state,net": the blank after the colon (GAP-14)
    t.push_back(sysinfo);
}

void parameter_sets(fragments::Table& t) {
    t.push_back(action("RELD", kAction, Behavior::LoadUserDefaults, "7S4 §3.1.7.13; spec GAP-16",
                       "restore the user defaults and restart"));
    t.push_back(action("CLEAR", kAction, Behavior::FactoryReset, "7S4 §3.1.7.14",
                       "restore the factory parameters and restart"));
    t.push_back(action("CFGTF", kAction, Behavior::SaveUserDefaults, "7S4 §3.1.7.15; spec GAP-16",
                       "save the current parameters as the user defaults"));
}

void information(fragments::Table& t) {
    t.push_back(action("VER", kReadOnly, Behavior::Version, "7S4 §3.1.7.16", "firmware version"));
    t.push_back(action("SN", kReadOnly, Behavior::Sn, "7S4 §3.1.7.17", "serial number"));
    t.push_back(action("ICCID", kReadOnly, Behavior::Iccid, "7S4 §3.1.7.18", "SIM ICCID"));
    t.push_back(action("IMEI", kReadOnly, Behavior::Imei, "7S4 §3.1.7.19", "IMEI"));
    // 7S4 §2.3.9.1: AT+UPDATE=<key from technical support> starts the FTP self-upgrade. There is no
    // firmware server in a simulator: a non-empty key is accepted and nothing changes
    // (spec modes-and-timing §10).
    t.push_back({"UPDATE",
                 {},
                 at::kSet,
                 Behavior::FirmwareUpdate,
                 {text("key", 1, 64)},
                 {},
                 "7S4 §2.3.9.1; spec modes-and-timing §10",
                 "FTP self-upgrade (accepted, nothing changes)"});
}

} // namespace

void general(fragments::Table& t) {
    management(t);
    parameter_sets(t);
    information(t);
}

} // namespace dtu::profile::lte7s4_rows
