#pragma once
// hal::Sms: the operator's SMS centre as one device sees it — an inbox of messages on their way to
// the device (scripted or posted through the control API) and an outbox of everything it sent.
//
// Like a real network it stores and forwards: a message waits while the device is off or has no
// network registration, and arrives split the way the sender's phone splits it (GSM 7-bit when
// the text allows, else UCS-2; concatenated parts above 160 / 70 characters).
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dtu/hal/log.hpp"
#include "dtu/hal/sms.hpp"
#include "hal_sim/scheduler.hpp"

namespace dtu::hal_sim {

/// A message for the device, as a phone user would type it.
struct InboxSms {
    std::string from;                         ///< sender number
    std::string text;                         ///< UTF-8
    std::optional<hal::SmsEncoding> encoding; ///< empty: what a phone picks
};

/// A message the device sent: its parts joined back together.
struct SentMessage {
    std::uint64_t seq = 0;   ///< 1, 2, ... in the order the messages completed
    std::uint64_t at_ms = 0; ///< when the last part was sent, ms since the simulator started
    std::string to;
    hal::SmsEncoding encoding = hal::SmsEncoding::Gsm7;
    std::string text; ///< UTF-8, or raw octets for Data8
    std::vector<hal::SmsSegment> parts;
};

struct SmsCenterCounters {
    std::uint64_t queued = 0;          ///< messages accepted for the device
    std::uint64_t parts_delivered = 0; ///< SMS handed to the device
    std::uint64_t parts_pending = 0;   ///< waiting for the device (off, or not registered)
    std::uint64_t parts_sent = 0;      ///< SMS the device sent
    std::uint64_t sends_refused = 0;   ///< the device tried to send without registration
};

class SmsCenter final : public hal::Sms {
public:
    SmsCenter(Scheduler& scheduler, hal::Log& log);
    ~SmsCenter() override;
    SmsCenter(const SmsCenter&) = delete;
    SmsCenter& operator=(const SmsCenter&) = delete;

    // hal::Sms
    void set_listener(hal::SmsListener* listener) override;
    bool send(const hal::SmsSegment& segment) override;

    /// Whether the device has network registration right now (SMS needs it; data is not needed).
    void set_registration(std::function<bool()> registered);
    /// Registration may have come back: deliver what waits.
    void registration_changed();

    /// Why msg cannot be sent (bad number, empty or invalid text, too long, text not in the chosen
    /// alphabet), or nothing.
    static std::optional<std::string> validate(const InboxSms& msg);
    /// Queue a validated message for the device now; returns the number of SMS parts it became.
    std::size_t submit(const InboxSms& msg);
    /// Queue msg when `delay` has passed (scripted inbox).
    void submit_after(std::chrono::milliseconds delay, InboxSms msg);

    /// Called for each message the device completes sending (the outbox file).
    void on_sent(std::function<void(const SentMessage&)> fn) { on_sent_ = std::move(fn); }
    const std::vector<SentMessage>& outbox() const { return outbox_; }
    SmsCenterCounters counters() const;

private:
    void schedule_delivery();
    void deliver_one();
    void record_sent(const hal::SmsSegment& segment);
    std::uint64_t now_ms() const;

    Scheduler& scheduler_;
    hal::Log& log_;
    const Scheduler::TimePoint started_;
    hal::SmsListener* listener_ = nullptr;
    std::function<bool()> registered_ = [] { return true; };
    std::deque<hal::SmsSegment> inbox_;
    bool delivery_scheduled_ = false;
    std::uint8_t next_ref_ = 0;
    std::vector<Scheduler::TaskId> scripted_; ///< scripted messages (cancelled by the destructor)
    Scheduler::TaskId delivery_task_ = 0;
    std::vector<SentMessage> incomplete_; ///< concatenated messages still missing parts
    std::vector<SentMessage> outbox_;
    std::function<void(const SentMessage&)> on_sent_;
    SmsCenterCounters counters_;
};

/// "GSM 7-bit", "8-bit", "UCS-2" — as the API and the log show it.
const char* encoding_name(hal::SmsEncoding encoding);

} // namespace dtu::hal_sim
