#pragma once
// The RFC2217-like frame (AT+RFCEN; 732 §2.2.4, 7S4 §2.2.3, K7 §4.3.4; spec net-transparent §13.4),
// in NET mode from the servers and in the K7's TCP server mode from its clients (K7 §4.2.2 "TCP
// server supports similar RFC2217"): with RFCEN on, a frame the peer sends is consumed (never written to the
// serial port) and sets the running serial port; the saved AT+UART is not touched, so a restart brings it
// back (732 §2.2.4 "掉电后恢复原来的参数"; modes-and-timing §6.4). Frames are recognised per connection by
// proto::rfc2217::Filter: at the start of a server's write, also when split over reads. Bytes held
// back as a possible frame start are released as data when the next read spoils them or after
// kHoldMs without one. What a frame asks is checked against the model's own AT+UART row (its baud
// list, data bits, parities): a setting the row would refuse is consumed and ignored (§13.4).
// Every frame, refused frame, look-alike and release is counted and logged.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dtu/device/device.hpp"
#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"
#include "dtu/proto/rfc2217.hpp"
#include "timer.hpp"

namespace dtu::device {

class SerialReconfig {
public:
    /// Server bytes that are data, for the rest of the mode's path.
    using DataFn = std::function<void(hal::LinkId, std::string_view)>;
    using LogFn = std::function<void(hal::LogLevel, const std::string&)>;
    /// How long a possible frame start waits for the rest of the frame (a simulator choice: the
    /// manuals do not split frames; 100 ms is far more than two TCP segments of one write need).
    static constexpr std::uint32_t kHoldMs = 100;

    SerialReconfig(const profile::Profile& profile, hal::Hal hal, const params::Store& saved, DataFn data,
                   LogFn log);

    /// AT+RFCEN is on in the saved set.
    bool enabled() const { return enabled_; }
    /// Bytes from the peer on link id (only while enabled()).
    void on_data(hal::LinkId id, std::string_view bytes);
    /// Link id closed: what it held back as a possible frame start goes on as data now (nothing is
    /// lost), and its state is dropped so a later connection on the same id starts clean.
    void forget(hal::LinkId id);
    void report(Status& status) const { status.rfc2217 = counters_; }

private:
    struct Link {
        explicit Link(hal::Clock& clock) : release(clock) {}
        proto::rfc2217::Filter filter;
        Timer release;
    };
    void apply(hal::LinkId id, const proto::rfc2217::Settings& settings);
    /// The line the frame asks for, if the model's AT+UART row allows every field of it.
    bool line_for(const proto::rfc2217::Settings& settings, hal::LineSettings& line) const;
    void release(hal::LinkId id);

    const profile::Profile& profile_;
    hal::Hal hal_;
    const params::Store& saved_;
    bool enabled_;
    DataFn data_;
    LogFn log_;
    std::map<hal::LinkId, std::unique_ptr<Link>> links_; ///< the links that sent something
    Rfc2217Status counters_;
};

} // namespace dtu::device
