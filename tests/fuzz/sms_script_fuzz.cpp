// libFuzzer target: the --sms-script reader (sim/sms_script.cpp) on arbitrary file contents.
// Oracles besides ASan/UBSan: a script is either a list of messages or one problem naming the file and
// a line of it; the messages come sorted by time, each from a line that exists, with a time within the
// documented year, and each is one the SMS centre accepts (the reader's promise: nothing it returns is
// refused later).
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/sms_script.hpp"

namespace {

constexpr auto kMaxAt = std::chrono::hours(366 * 24); // sim/sms_script.cpp: a year

void check(const std::vector<dtu::sim::ScriptedSms>& messages, std::string_view text) {
    const auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
    std::chrono::milliseconds previous{0};
    for (const dtu::sim::ScriptedSms& m : messages) {
        if (m.at < previous || m.at > kMaxAt || m.line < 1 || m.line > lines) std::abort();
        if (dtu::hal_sim::SmsCenter::validate(m.sms)) std::abort(); // accepted here, refused there
        previous = m.at;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto parsed = dtu::sim::parse_sms_script(text, "fuzz.txt");
    if (const auto* problem = std::get_if<std::string>(&parsed)) {
        if (problem->rfind("fuzz.txt:", 0) != 0) std::abort(); // a problem always names the file
        return 0;
    }
    check(std::get<std::vector<dtu::sim::ScriptedSms>>(parsed), text);
    return 0;
}
