#pragma once
// Serial data the device could not pass on, reported once per burst: one line when dropping
// starts (and why), one when data passes again (how much that burst lost). The caller counts the
// bytes in its status counters; this only keeps the log readable under a flood.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "dtu/hal/log.hpp"

namespace dtu::device {

class DropReport {
public:
    using Log = std::function<void(hal::LogLevel, const std::string&)>;

    explicit DropReport(Log log) : log_(std::move(log)) {}

    /// bytes were dropped, because of why ("cache full (4096 bytes)").
    void dropped(std::size_t bytes, std::string_view why) {
        if (bytes == 0) return;
        if (burst_ == 0 && log_)
            log_(hal::LogLevel::Warn,
                 "dropping serial data: " + std::string(why) + " (counted; logged once per burst)");
        burst_ += bytes;
    }
    /// Data passed again: the burst, if any, is over.
    void passed() {
        if (burst_ == 0) return;
        if (log_)
            log_(hal::LogLevel::Warn, std::to_string(burst_) + " bytes of serial data dropped in that burst");
        burst_ = 0;
    }

private:
    Log log_;
    std::uint64_t burst_ = 0;
};

} // namespace dtu::device
