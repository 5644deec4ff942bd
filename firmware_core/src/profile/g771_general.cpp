// General commands of the cellular DTUs (G771 §4 table 11 "通用指令").
#include "fragments.hpp"
#include "rows.hpp"

namespace dtu::profile::fragments {
using namespace rows;

namespace {

/// WKMOD: "MQTT" alone means MQTT,NOR; the NOR/ALI flavour only goes with MQTT (GAP-21).
bool check_wkmod(at::Values& v) {
    if (v[0] == "MQTT") {
        if (v[1].empty()) v[1] = "NOR";
        return true;
    }
    return v[1].empty();
}

} // namespace

void g771_general(Table& t, const GeneralValues& v) {
    t.push_back(action("", kAction, Behavior::Test, "G771 §4 通用 1", "test"));
    t.push_back(action("Z", kAction, Behavior::Restart, "G771 §4 通用 2", "restart the module"));
    t.push_back(action("S", kAction, Behavior::Save, "G771 §4 通用 3, §2.2", "save parameters and restart"));
    t.push_back(action("CLEAR", kAction, Behavior::FactoryReset, "G771 §4 通用 4, §1.5",
                       "restore factory parameters and restart"));
    CommandSpec echo =
        param("E", {on_off()}, "ON", "G771 §4 通用 5; field-evidence §1.1", "echo in command mode");
    echo.behavior = Behavior::Echo;
    t.push_back(echo);
    t.push_back(action("ENTM", kAction, Behavior::ExitCommand, "G771 §3.4", "leave command mode"));
    t.push_back(param("WKMOD", {choice("mode", v.modes), choice("type", "NOR|ALI", Omit::Empty)}, "NET",
                      v.wkmod_source, "work mode", check_wkmod));
    t.back().test_form = v.wkmod_test_form;
    t.push_back(
        param("CMDPW", {text("password", 1, 10)}, "usr.cn#", "G771 §3.4.1", "command password (prefix)"));
    t.push_back(param("STMSG", {text("message", 1, 20)}, v.start_message, "G771 §4 通用 9; spec GAP-39",
                      "start message"));
    ParamSpec rstim = number("time", 60, 65535);
    rstim.zero_ok = true;
    t.push_back(param("RSTIM", {rstim}, "1800", "G771 §2.6.8", "no-data restart time in s (0 = off)"));
    t.push_back(param("SDPEN", {on_off()}, "OFF", "G771 §2.6.9 table 9", "socket distribution protocol"));
    t.push_back(param("NATEN", {on_off()}, "ON", "G771 §4 通用 12", "network AT"));
    t.push_back(param("UATEN", {on_off()}, "ON", "G771 §4 通用 13, §3.4.1", "serial AT in transparent mode"));
    t.push_back(param("CACHEN", {on_off()}, "ON", "G771 §4 通用 14", "cache serial data while disconnected"));
    CommandSpec csq =
        action("CSQ", kReadOnly, Behavior::Signal, "G771 §4 通用 15; field-evidence §5.0", "signal quality");
    csq.answer_space = true; // field-evidence §5.0: "+CSQ: 27,99"
    t.push_back(csq);
    t.push_back(action("SYSINFO", kReadOnly, Behavior::SysInfo, "G771 §4 通用 16; field-evidence §5.0",
                       "network technology"));
}

} // namespace dtu::profile::fragments
