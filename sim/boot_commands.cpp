#include "sim/boot_commands.hpp"

#include <chrono>
#include <string_view>
#include <utility>

#include "hal_sim/virtual_scheduler.hpp"

namespace dtu::sim {
namespace {

using namespace std::chrono_literals;

/// Longer than any wait of command mode: the idle line before "+++" (one packing interval), the 'a'
/// within 3 s (G771 §3.4), the restart after AT+S. Virtual time, so waiting costs nothing.
constexpr auto kSettle = 5s;

/// What the device wrote back for a command, on one line: "+CME ERROR:3".
std::string one_line(std::string_view text) {
    std::string line;
    for (char c : text) {
        if (c != '\r' && c != '\n')
            line += c;
        else if (!line.empty() && line.back() != ' ')
            line += ' ';
    }
    while (!line.empty() && line.back() == ' ')
        line.pop_back();
    return line;
}

/// The device before it boots for real: a scenario Board in virtual time, typed at like a terminal.
class Twin final : public scenario::BoardObserver {
public:
    struct Answer {
        std::string text;   ///< without the echo, on one line
        bool error = false; ///< answered with an error, or not at all
        bool saved = false; ///< it committed the NVRAM (AT+S)
    };

    Twin(const profile::Profile& profile, const scenario::BoardConfig& config)
        : board_(scheduler_, profile, config, *this) {
        board_.boot();
        settle();
    }

    bool in_command_mode() const {
        const auto status = board_.snapshot().firmware;
        return status && status->serial_mode == device::SerialMode::Command;
    }

    /// G771 §3.4: an idle line, "+++", the device's 'a', our 'a', its "+ok".
    bool enter_command_mode() {
        settle();
        out_.clear();
        board_.serial_write("+++");
        if (!wait_for("a")) return false;
        out_.clear();
        board_.serial_write("a");
        return wait_for("+ok");
    }

    /// One command line, as typed with Enter at the end; the device settles before this returns.
    Answer type(const std::string& command) {
        const device::Counters before = board_.snapshot().firmware->counters;
        const std::uint64_t boots = board_.boots();
        const std::uint64_t commits = board_.storage().commits();
        out_.clear();
        const std::string line = command + "\r";
        board_.serial_write(line);
        settle();
        std::string_view text = out_;
        if (text.substr(0, line.size()) == line) text.remove_prefix(line.size()); // the echo (AT+E=ON)
        Answer answer{one_line(text), false, board_.storage().commits() != commits};
        if (board_.boots() == boots) { // a restart (AT+S, AT+Z) starts the counters again
            const device::Counters after = board_.snapshot().firmware->counters;
            answer.error = after.at_errors != before.at_errors || after.at_commands == before.at_commands;
        }
        return answer;
    }

    const std::optional<std::string>& nvram() const { return board_.storage().blob(); }

private:
    void settle() { scheduler_.run_until(scheduler_.now() + kSettle); }
    bool wait_for(std::string_view text) {
        return scheduler_.run_until(scheduler_.now() + kSettle,
                                    [&] { return out_.find(text) != std::string::npos; });
    }

    // scenario::BoardObserver: only the serial output matters here.
    void on_serial_out(std::string_view bytes) override { out_ += bytes; }
    void on_reboot(hal::ResetCause) override {}
    void on_log(hal::LogLevel, std::string_view) override {}
    void on_sms_sent(const hal_sim::SentMessage&) override {}

    hal_sim::VirtualScheduler scheduler_;
    std::string out_;
    scenario::Board board_; ///< last: its firmware goes first
};

std::string quoted(const std::string& command) { return "--at \"" + command + "\": "; }

} // namespace

BootCommandsResult run_boot_commands(const profile::Profile& profile, const scenario::BoardConfig& board,
                                     const std::vector<std::string>& commands) {
    BootCommandsResult result;
    Twin twin(profile, board);
    for (const std::string& command : commands) {
        if (!twin.in_command_mode() && !twin.enter_command_mode()) {
            result.error = quoted(command) + "the device did not enter command mode (+++, a)";
            return result;
        }
        const Twin::Answer answer = twin.type(command);
        if (answer.error) {
            result.error =
                quoted(command) + "the device answered " + (answer.text.empty() ? "nothing" : answer.text);
            return result;
        }
        if (answer.saved) result.saved = twin.nvram();
    }
    // A model without AT+S (7S4) has written every set already (spec modes-and-timing §6.2).
    if (!profile.persistence.save_command) {
        result.in_force = twin.nvram();
        return result;
    }
    // The working copy the commands leave, as AT+S writes it: on the twin only.
    if (!twin.in_command_mode() && !twin.enter_command_mode()) {
        result.error = "--at: the device did not enter command mode (+++, a) after the last command";
        return result;
    }
    if (!twin.type("AT+S").saved) {
        result.error = "--at: the device did not save its parameters (AT+S) after the last command";
        return result;
    }
    result.in_force = twin.nvram();
    return result;
}

} // namespace dtu::sim
