// The serial port's three states: transparent (frames), "+++" handshake, AT command mode
// (G771 §3.4, spec modes-and-timing §2, field-evidence §1.1).
#include "at_prefix.hpp"
#include "device_impl.hpp"
#include "dtu/at/text.hpp"
#include "param_keys.hpp"

namespace dtu::device {

void DeviceImpl::on_frame(std::string frame, bool after_quiet) {
    if (resetting_) return;
    // "+++" is only a request when it stands alone between two quiet packing intervals:
    // T1 before it (G771 §3.4 step 2) and the frame end after it, so "+++a" in one write is
    // data, as on the real G771 (field-evidence §1.1).
    // 732 §3.1.2: the three '+' also come less than T2/T3 (plus_gap_ms) apart.
    const std::uint32_t gap = profile_.serial.plus_gap_ms;
    if (after_quiet && frame == "+++" && (gap == 0 || packer_.frame_gap_ms() < gap)) {
        reply(profile_.answers.plus_a);
        mode_ = SerialMode::WaitA;
        wait_a_timer_.start(profile_.serial.plus_window_ms, [this] { abort_plus(); });
        return;
    }
    if (run_serial_at(frame)) return;
    data_frame(frame);
}

bool DeviceImpl::run_serial_at(std::string_view frame) {
    if (!switched_on(saved_, profile_.serial.serial_at_key)) return false;
    const auto line = at::prefixed_command(frame, at_prefix(profile_, saved_));
    if (!line) return false;
    Session no_login; // G771 §2.6.3: prefixed AT is not subject to the security login
    finish(engine_.execute(*line, Channel::SerialAt, no_login, live()));
    return true;
}

void DeviceImpl::data_frame(std::string_view frame) {
    ++counters_.data_frames;
    counters_.data_bytes += frame.size();
    if (websocket_) websocket_->serial_frame(frame); // K7 §4.2.6: beside the work mode's own path
    if (!work_ || !work_->on_frame(frame)) counters_.data_bytes_dropped += frame.size();
}

void DeviceImpl::abort_plus() {
    // T5 passed without the host's 'a': the "+++" was data after all (spec §2.3).
    mode_ = SerialMode::Transparent;
    data_frame("+++");
}

std::string_view DeviceImpl::wait_a_bytes(std::string_view bytes) {
    wait_a_timer_.cancel();
    if (bytes.front() == 'a') {
        reply(profile_.answers.plus_ok);
        enter_command();
        return bytes.substr(1);
    }
    abort_plus();
    return bytes; // the same bytes now go to the packer as data
}

void DeviceImpl::enter_command() {
    mode_ = SerialMode::Command;
    line_.reset();
    session_ = Session{saved_.on("SAFEATEN"), false};
    // G771 §2.6.3: without a login within 30 s the device leaves the configuration state.
    if (session_.login_required)
        login_timer_.start(profile_.serial.login_timeout_ms, [this] {
            log(hal::LogLevel::Info, "no login within the security window: back to transparent mode");
            leave_command();
        });
    update_hold(); // command mode is never held
}

void DeviceImpl::leave_command() {
    if (work_ && work_->keeps_command_mode()) { // 732 WKMOD=CMD: nothing to go back to (GAP-50)
        login_timer_.cancel();
        enter_command();
        return;
    }
    mode_ = SerialMode::Transparent;
    line_.reset();
    login_timer_.cancel();
    session_ = Session{};
    update_hold();
}

std::string_view DeviceImpl::command_bytes(std::string_view bytes) {
    std::string echo;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        // field-evidence §1.1: in command mode the G771 echoes every byte it receives.
        if (working_.on("E")) echo.push_back(bytes[i]);
        const auto event = line_.feed(bytes[i]);
        if (event == at::LineReader::Event::None) continue;
        // The LF of a CR LF that arrived with the line is echoed before the answer, as a
        // UART that echoes from its receive interrupt would.
        const std::string line(line_.line());
        if (bytes[i] == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') {
            line_.feed(bytes[++i]);
            if (working_.on("E")) echo.push_back('\n');
        }
        reply(echo);
        echo.clear();
        if (event == at::LineReader::Event::Overflow) {
            ++counters_.line_overflows;
            log(hal::LogLevel::Warn,
                "command line longer than " + std::to_string(profile_.serial.line_max) + " bytes discarded");
            finish(engine_.execute("", Channel::Command, session_, live()));
            continue;
        }
        if (line.empty()) continue;
        if (!finish(engine_.execute(line, Channel::Command, session_, live()))) return {};
        if (session_.logged_in) login_timer_.cancel();
        if (mode_ != SerialMode::Command) return bytes.substr(i + 1);
    }
    reply(echo);
    return {};
}

bool DeviceImpl::finish(const Outcome& outcome) {
    ++counters_.at_commands;
    if (outcome.error) ++counters_.at_errors;
    reply(outcome.reply);
    if (outcome.after == After::ExitCommand) leave_command();
    if (outcome.after == After::Restart) {
        restart(outcome.cause);
        return false;
    }
    return true;
}

} // namespace dtu::device
