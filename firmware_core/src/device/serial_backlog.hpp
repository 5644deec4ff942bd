#pragma once
// K7 §4.4.9: "Before data connection, data serial port received will be put in the buffer zone. K7
// serial received buffer: 2Kbyte." Serial data that arrives while a server mode has nobody to send
// it to waits here; the oldest bytes are kept and what does not fit is dropped and counted (GAP-29,
// as NET mode's cache). When the connection comes it is sent, or cleared with AT+UARTCLBUF=ON.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "drop_report.hpp"

namespace dtu::device {

class SerialBacklog {
public:
    SerialBacklog(std::size_t limit, DropReport::Log log) : limit_(limit), drops_(std::move(log)) {}

    void keep(std::string_view frame) {
        const std::size_t fits = std::min(limit_ - bytes_.size(), frame.size());
        if (fits < frame.size()) {
            dropped_ += frame.size() - fits;
            drops_.dropped(frame.size() - fits, "no connection and the serial buffer is full (" +
                                                    std::to_string(limit_) + " bytes)");
        } else {
            drops_.passed();
        }
        bytes_.append(frame.substr(0, fits));
    }
    /// Everything kept, oldest first; the backlog is empty afterwards.
    std::string take() { return std::exchange(bytes_, {}); }
    std::size_t size() const { return bytes_.size(); }
    std::uint64_t dropped() const { return dropped_; }

private:
    std::size_t limit_;
    DropReport drops_;
    std::string bytes_;
    std::uint64_t dropped_ = 0;
};

} // namespace dtu::device
