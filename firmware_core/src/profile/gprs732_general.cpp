// USR-GPRS232-732 management and configuration commands (732 §3.1.7 table 13 rows 1-16).
#include "gprs732_rows.hpp"

namespace dtu::profile::fragments {
using namespace rows732;

void gprs732_general(Table& t) {
    t.push_back(
        action("", kAction, Behavior::Test, "spec at-syntax §1.1 (AT on every cellular profile)", "test"));
    t.push_back(action("H", kAction, Behavior::Help, "732 §3.1.7.1", "help"));
    t.push_back(action("Z", kAction, Behavior::Restart, "732 §3.1.7.2", "restart the module"));
    CommandSpec echo = switch_row("E", "ON", "732 §3.1.7.3; spec at-syntax §7", "echo in command mode");
    echo.behavior = Behavior::Echo;
    t.push_back(echo);
    t.push_back(action("ENTM", kAction, Behavior::ExitCommand, "732 §3.1.7.4, §3.1.2", "leave command mode"));
    // 732 §3.1.7.5 prints four modes in "=?"; UDC comes with firmware V3.0.0 (§2.1.4.1) and is
    // accepted, but the "=?" line stays as printed.
    t.push_back(tested(param("WKMOD", {choice("mode", "CMD|SMS|NET|HTTPD|UDC")}, "NET",
                             "732 §3.1.7.5, §2.1.4.1", "work mode"),
                       "<\"CMD\",\"SMS\",\"NET\",\"HTTPD\">"));
    t.push_back(switch_row("CALEN", "OFF", "732 §3.1.7.6; spec sms.md §5 (stored only)", "call function"));
    t.push_back(switch_row("NATEN", "ON", "732 §3.1.7.7", "network AT"));
    t.push_back(switch_row("UATEN", "OFF", "732 §3.1.7.8", "serial AT in transparent mode"));
    // The serial/network/SMS AT prefix is this password followed by '#' (732 §3.1.3, GAP-11).
    t.push_back(tested(spaced(param("CMDPW", {quoted(text("password", 1, 6))}, "usr.cn", "732 §3.1.7.9",
                                    "command password")),
                       "<\"password\">"));
    t.push_back(switch_row("CACHEN", "ON", "732 §3.1.7.10", "cache serial data while disconnected"));
    // "USR-GM3 <version>" as documented (spec modes-and-timing §7, GAP-39), at most 17 bytes.
    t.push_back(tested(spaced(param("STMSG", {quoted(text("message", 1, 17))}, "USR-GM3 V3.0.0",
                                    "732 §3.1.7.11", "start message")),
                       "<\"welcome message\">"));
    // 732 §3.1.7.12 prints no "=?" line for RSTIM; answered like its neighbours' <time>. No lower
    // bound is documented: 0 = off, anything up to 65535 s (spec devices.md §1 row 12).
    t.push_back(tested(param("RSTIM", {number("time", 0, 65535)}, "1800", "732 §3.1.7.12",
                             "no-data restart time in s (0 = off)"),
                       "<time>"));
    t.push_back(action("S", kAction, Behavior::Save, "732 §3.1.7.13", "save parameters and restart"));
    t.push_back(action("RELD", kAction, Behavior::LoadUserDefaults,
                       "732 §3.1.7.14; spec modes-and-timing §6.3", "restore the user defaults and restart"));
    t.push_back(action("CLEAR", kAction, Behavior::FactoryReset, "732 §3.1.7.15",
                       "restore factory parameters and restart"));
    t.push_back(action("CFGTF", kAction, Behavior::SaveUserDefaults,
                       "732 §3.1.7.16; spec modes-and-timing §6.3",
                       "keep the current parameters as user defaults"));
}

} // namespace dtu::profile::fragments
