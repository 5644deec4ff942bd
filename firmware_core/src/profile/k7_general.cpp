// USR-K7 management, identity and parameter-set commands (K7 §5.3.5 #1-#6, #30-#32, #44, #45).
#include "k7_rows.hpp"
#include "rows.hpp"

namespace dtu::profile::k7_rows {
using namespace rows;

namespace {

/// A value the module reports and the host cannot set (MAC, production time).
CommandSpec fact(std::string_view name, ParamSpec value, std::string_view factory, std::string_view source,
                 std::string_view summary) {
    CommandSpec row = param(name, {value}, factory, source, summary);
    row.ops = kReadOnly;
    return row;
}

} // namespace

void general(fragments::Table& t) {
    t.push_back(action("", kAction, Behavior::Test, "K7 §5.3.4", "test"));
    // K7 §5.3.5 #1 prints "+OK=<on/off>"; spec k7 §2 RECOMMENDED: echo on.
    ParamSpec echo_state = on_off();
    echo_state.lower = true;
    CommandSpec echo = param("E", {echo_state}, "ON", "K7 §5.3.5 #1; spec k7 §2", "echo in command mode");
    echo.behavior = Behavior::Echo;
    t.push_back(echo);
    t.push_back(action("Z", kAction, Behavior::Restart, "K7 §5.3.5 #2", "restart"));
    t.push_back(action("VER", kReadOnly, Behavior::Version, "K7 §5.3.5 #3, §5.2 item 1", "firmware version"));
    t.push_back(action("ENTM", kAction, Behavior::ExitCommand, "K7 §5.3.5 #4, §5.3.1", "leave command mode"));
    // K7 §5.3.5 #5: 12 hex digits ("01020304050A"); the factory address is the simulator's own,
    // under USR's OUI D8-B0-4C (the manual prints none).
    t.push_back(fact("MAC", hex("mac", 12, 12), "D8B04C000007", "K7 §5.3.5 #5", "module MAC address"));
    // K7 §5.3.5 #6 "restore module setting to default factory setting": the user defaults of
    // AT+CFGTF where saved, else the factory set (modes-and-timing §6.3).
    t.push_back(action("RELD", kAction, Behavior::LoadUserDefaults, "K7 §5.3.5 #6; modes-and-timing §6.3",
                       "restore the default parameters and restart"));
    t.push_back(action("CFGTF", kAction, Behavior::SaveUserDefaults, "K7 §5.3.5 #44",
                       "save the current parameters as the defaults"));
    t.push_back(
        fact("PDTIME", text("time", 19, 19), "2016-10-18 11:20:02", "K7 §5.3.5 #30", "production time"));
    t.push_back(param("MID", {text("name", 1, 15)}, "USR-K7", "K7 §5.3.5 #31, §5.1.1", "module name"));
    t.push_back({"PING",
                 {},
                 at::kSet,
                 Behavior::Ping,
                 {text("host", 1, 30)},
                 {},
                 "K7 §5.3.5 #45",
                 "ping a host (answers +OK; no ICMP is simulated)"});
}

} // namespace dtu::profile::k7_rows
