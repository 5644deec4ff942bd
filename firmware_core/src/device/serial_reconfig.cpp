#include "serial_reconfig.hpp"

#include "dtu/at/validate.hpp"
#include "line_settings.hpp"

namespace dtu::device {
namespace {

using proto::rfc2217::Parity;
using proto::rfc2217::Settings;

const at::CommandSpec* uart_row(const profile::Profile& profile) {
    for (const auto& spec : profile.commands)
        if (spec.name == "UART") return &spec;
    return nullptr;
}

/// NET mode's sockets by letter, a TCP server's clients by link.
std::string socket_name(hal::LinkId id) {
    if (id < hal::links::kMaxSockets) return std::string("socket ") + static_cast<char>('A' + id);
    return "the client on link " + std::to_string(id);
}

} // namespace

SerialReconfig::SerialReconfig(const profile::Profile& profile, hal::Hal hal, const params::Store& saved,
                               DataFn data, LogFn log)
    : profile_(profile), hal_(hal), saved_(saved), enabled_(saved.on("RFCEN")), data_(std::move(data)),
      log_(std::move(log)) {}

void SerialReconfig::on_data(hal::LinkId id, std::string_view bytes) {
    auto& slot = links_[id];
    if (!slot) slot = std::make_unique<Link>(hal_.clock);
    Link& link = *slot;
    link.release.cancel();
    const auto r = link.filter.feed(bytes);
    if (r.bad_checksums != 0) {
        counters_.bad_checksums += r.bad_checksums;
        log_(hal::LogLevel::Warn, "RFC2217-like frame from " + socket_name(id) +
                                      " with a wrong checksum: passed on to the serial port as data");
    }
    // Bytes from before the frames go out before the line changes, the rest after it.
    if (!r.released.empty()) data_(id, r.released);
    for (const Settings& s : r.frames)
        apply(id, s);
    if (!r.data.empty()) data_(id, r.data);
    if (link.filter.holding()) link.release.start(kHoldMs, [this, id] { release(id); });
}

void SerialReconfig::forget(hal::LinkId id) {
    const auto it = links_.find(id);
    if (it == links_.end()) return;
    if (it->second->filter.holding()) release(id);
    links_.erase(it);
}

void SerialReconfig::release(hal::LinkId id) {
    const std::string held = links_.at(id)->filter.release();
    ++counters_.held_released;
    log_(hal::LogLevel::Info, "an RFC2217-like frame start from " + socket_name(id) +
                                  " stayed incomplete for " + std::to_string(kHoldMs) +
                                  " ms: " + std::to_string(held.size()) + " byte(s) passed on as data");
    data_(id, held);
}

bool SerialReconfig::line_for(const Settings& s, hal::LineSettings& line) const {
    const at::CommandSpec* row = uart_row(profile_);
    const params::Values* now = saved_.find("UART");
    if (!row || !now) return false;
    const auto& f = profile_.serial.uart_fields;
    const std::pair<std::size_t, std::string> asked[] = {{f.baud, std::to_string(s.baud)},
                                                         {f.data, std::to_string(s.data_bits)},
                                                         {f.stop, std::to_string(s.stop_bits)},
                                                         {f.parity, proto::rfc2217::parity_name(s.parity)}};
    for (const auto& [field, value] : asked) {
        std::string canonical;
        if (field >= row->params.size() || !at::accept_input(row->params[field], value, canonical))
            return false;
    }
    if (s.parity == Parity::Mark || s.parity == Parity::Space) return false; // no such line on this HAL
    line = line_settings(profile_.serial, saved_); // the flow control stays as saved
    line.baud = s.baud;
    line.data_bits = s.data_bits;
    line.stop_bits = s.stop_bits;
    line.parity = s.parity == Parity::Odd    ? hal::Parity::Odd
                  : s.parity == Parity::Even ? hal::Parity::Even
                                             : hal::Parity::None;
    return true;
}

void SerialReconfig::apply(hal::LinkId id, const Settings& s) {
    const std::string what = proto::rfc2217::describe(s);
    hal::LineSettings line;
    if (!line_for(s, line)) {
        ++counters_.refused;
        log_(hal::LogLevel::Warn,
             "RFC2217-like frame from " + socket_name(id) + " asks for " + what +
                 ", which this model's AT+UART does not allow: frame consumed, nothing changed");
        return;
    }
    hal_.uart.configure(line);
    ++counters_.applied;
    counters_.last = what;
    log_(hal::LogLevel::Info, "serial port set to " + what + " by an RFC2217-like frame from " +
                                  socket_name(id) +
                                  " (until the next restart; AT+UART keeps the saved setting)");
}

} // namespace dtu::device
