#pragma once
// SMS on the device: SMS AT in every work mode, and SMS transparent mode (WKMOD=SMS): serial frames
// to DSTNUM, received SMS to the serial port (G771 §2.4, §3.4.3; spec sms.md, modes-and-timing §4).
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "at_engine.hpp"
#include "dtu/device/device.hpp"
#include "dtu/hal/hal.hpp"
#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"
#include "dtu/sms/codec.hpp"

namespace dtu::device {

class SmsService : public hal::SmsListener {
public:
    struct Hooks {
        std::function<void(std::string_view)> to_serial;
        /// Run one password-stripped SMS AT line.
        std::function<Outcome(std::string_view line)> sms_at;
        std::function<void(hal::ResetCause)> restart;
        std::function<void(hal::LogLevel, const std::string&)> log;
    };

    SmsService(const profile::Profile& profile, hal::Hal hal, const params::Store& saved, Hooks hooks);
    ~SmsService() override;
    SmsService(const SmsService&) = delete;
    SmsService& operator=(const SmsService&) = delete;

    /// A serial frame in SMS transparent mode: one message to DSTNUM.
    void on_frame(std::string_view frame);
    /// Encode, split and hand a message to the network; false if any part was refused.
    bool send_text(std::string_view number, std::string_view text);
    /// Exactly one SMS, as a command asks for it (AT+SMSEND); false when the network refused it.
    bool send_one(std::string_view number, hal::SmsEncoding encoding, std::string_view text);
    SmsCounters counters() const;

    // hal::SmsListener
    void on_sms(const hal::SmsSegment& segment) override;

private:
    bool send_parts(std::string_view number, hal::SmsEncoding encoding, const std::vector<std::string>& parts,
                    bool joined);
    void handle(const sms::Reassembler::Message& message);
    bool run_sms_at(const std::string& number, std::string_view text);
    std::vector<std::string> command_lines(std::string_view commands) const;
    void log(hal::LogLevel level, const std::string& line) const { hooks_.log(level, line); }

    const profile::Profile& profile_;
    hal::Hal hal_;
    const params::Store& saved_;
    Hooks hooks_;
    bool transparent_; ///< WKMOD=SMS at boot
    sms::Reassembler reassembler_;
    std::uint8_t next_ref_ = 0;
    SmsCounters counters_;
};

} // namespace dtu::device
