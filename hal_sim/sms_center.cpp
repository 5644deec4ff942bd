#include "hal_sim/sms_center.hpp"

#include <algorithm>

#include "dtu/sms/codec.hpp"

namespace dtu::hal_sim {
namespace {

/// Spec sms.md §1.1: phone numbers are at most 20 characters, digits and a leading '+'.
bool valid_number(const std::string& n) {
    if (n.empty() || n.size() > 20) return false;
    const std::size_t digits = n.front() == '+' ? 1 : 0;
    return n.size() > digits && std::all_of(n.begin() + static_cast<long>(digits), n.end(),
                                            [](char c) { return c >= '0' && c <= '9'; });
}

hal::SmsEncoding encoding_of(const InboxSms& msg) {
    return msg.encoding ? *msg.encoding : sms::choose_encoding(msg.text);
}

} // namespace

const char* encoding_name(hal::SmsEncoding encoding) {
    switch (encoding) {
    case hal::SmsEncoding::Gsm7: return "GSM 7-bit";
    case hal::SmsEncoding::Data8: return "8-bit";
    case hal::SmsEncoding::Ucs2: return "UCS-2";
    }
    return "?";
}

SmsCenter::SmsCenter(Scheduler& scheduler, hal::Log& log)
    : scheduler_(scheduler), log_(log), started_(scheduler.now()) {}

SmsCenter::~SmsCenter() {
    for (const auto task : scripted_)
        scheduler_.cancel(task);
    if (delivery_scheduled_) scheduler_.cancel(delivery_task_);
}

void SmsCenter::set_listener(hal::SmsListener* listener) {
    listener_ = listener;
    schedule_delivery(); // a device that just booted gets what waited for it
}

void SmsCenter::set_registration(std::function<bool()> registered) { registered_ = std::move(registered); }

void SmsCenter::registration_changed() { schedule_delivery(); }

bool SmsCenter::send(const hal::SmsSegment& segment) {
    if (!registered_()) {
        ++counters_.sends_refused;
        return false;
    }
    ++counters_.parts_sent;
    record_sent(segment);
    return true;
}

std::optional<std::string> SmsCenter::validate(const InboxSms& msg) {
    if (!valid_number(msg.from)) return "the sender must be 1 to 20 digits with an optional leading '+'";
    if (msg.text.empty()) return "the text is empty";
    if (msg.encoding != hal::SmsEncoding::Data8 && !sms::valid_utf8(msg.text))
        return "the text is not valid UTF-8";
    const hal::SmsEncoding enc = encoding_of(msg);
    if (enc == hal::SmsEncoding::Gsm7 && !sms::gsm7_encodable(msg.text))
        return "the text has characters outside the GSM 7-bit alphabet";
    const std::size_t parts = sms::split(enc, msg.text).size();
    if (parts > sms::kMaxParts)
        return "the text needs " + std::to_string(parts) + " SMS; a concatenated message has at most 255";
    return std::nullopt;
}

std::size_t SmsCenter::submit(const InboxSms& msg) {
    const hal::SmsEncoding enc = encoding_of(msg);
    const std::vector<std::string> parts = sms::split(enc, msg.text);
    const std::uint8_t ref = parts.size() > 1 ? ++next_ref_ : 0;
    for (std::size_t i = 0; i < parts.size(); ++i)
        inbox_.push_back(hal::SmsSegment{msg.from, enc, parts[i], ref,
                                         static_cast<std::uint8_t>(parts.size()),
                                         static_cast<std::uint8_t>(i + 1)});
    ++counters_.queued;
    log_.write(hal::LogLevel::Info, "SMS from " + msg.from + " queued for the device (" + encoding_name(enc) +
                                        ", " + std::to_string(parts.size()) + " part(s))");
    schedule_delivery();
    return parts.size();
}

void SmsCenter::submit_after(std::chrono::milliseconds delay, InboxSms msg) {
    scripted_.push_back(scheduler_.after(delay, [this, msg = std::move(msg)] { submit(msg); }));
}

void SmsCenter::schedule_delivery() {
    if (delivery_scheduled_ || inbox_.empty()) return;
    delivery_scheduled_ = true;
    // Posted, one part per turn: events never arrive inside a HAL call, and a part that makes the
    // firmware restart leaves the rest for the firmware that boots next.
    delivery_task_ = scheduler_.post([this] {
        delivery_scheduled_ = false;
        deliver_one();
    });
}

void SmsCenter::deliver_one() {
    if (!listener_ || inbox_.empty() || !registered_()) return; // waits: store and forward
    const hal::SmsSegment segment = inbox_.front();
    inbox_.pop_front();
    ++counters_.parts_delivered;
    listener_->on_sms(segment);
    schedule_delivery();
}

void SmsCenter::record_sent(const hal::SmsSegment& segment) {
    auto it = std::find_if(incomplete_.begin(), incomplete_.end(), [&](const SentMessage& m) {
        return m.to == segment.number && m.parts.front().ref == segment.ref &&
               m.parts.front().total == segment.total;
    });
    if (it == incomplete_.end()) {
        incomplete_.push_back(SentMessage{0, 0, segment.number, segment.encoding, {}, {}});
        it = incomplete_.end() - 1;
    }
    it->parts.push_back(segment);
    if (segment.total > 1 && it->parts.size() < segment.total) return;
    SentMessage done = std::move(*it);
    incomplete_.erase(it);
    std::sort(done.parts.begin(), done.parts.end(),
              [](const auto& a, const auto& b) { return a.seq < b.seq; });
    for (const auto& p : done.parts)
        done.text += p.text;
    done.seq = outbox_.size() + 1;
    done.at_ms = now_ms();
    log_.write(hal::LogLevel::Info, "SMS to " + done.to + " sent (" + encoding_name(done.encoding) + ", " +
                                        std::to_string(done.parts.size()) + " part(s))");
    outbox_.push_back(done);
    if (on_sent_) on_sent_(outbox_.back());
}

SmsCenterCounters SmsCenter::counters() const {
    SmsCenterCounters c = counters_;
    c.parts_pending = inbox_.size();
    return c;
}

std::uint64_t SmsCenter::now_ms() const {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(scheduler_.now() - started_).count());
}

} // namespace dtu::hal_sim
