#pragma once
// --sms-script: a text file of SMS to deliver to the device, one per line (docs/sms.md):
//
//   # comment; blank lines are ignored
//   <when>  <from>  <text>
//   0       10086             hello
//   2.5s    +8613800138000    usr.cn#AT+CSQ
//   1500ms  13800138000       第一行\n第二行
//
// when: time after the simulator starts — a number with an optional unit ms, s (default) or m.
// from: 1 to 20 digits, optionally after a '+'. text: the rest of the line, UTF-8, with the escapes
// \n \r \t \\ (a literal backslash must be doubled).
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "hal_sim/sms_center.hpp"

namespace dtu::sim {

struct ScriptedSms {
    std::chrono::milliseconds at{0};
    hal_sim::InboxSms sms;
    int line = 0;
};

/// The messages in order of time (file order among equal times), or the first problem as
/// "<name>:<line>: <what is wrong>". Nothing is delivered from a script with a problem.
std::variant<std::vector<ScriptedSms>, std::string> parse_sms_script(std::string_view text,
                                                                     const std::string& name);
/// Read and parse a file; a file that cannot be read is a problem too.
std::variant<std::vector<ScriptedSms>, std::string> load_sms_script(const std::filesystem::path& path);

} // namespace dtu::sim
