#pragma once
// hal::Sms: the operator's SMS centre as one device sees it — an inbox of messages waiting to be
// delivered (scripted or posted) and an outbox recording everything the device sent.
#include <cstdint>
#include <string>
#include <vector>

#include "dtu/hal/sms.hpp"

namespace dtu::hal_sim {

/// One SMS part the device handed to the network.
struct SentSms {
    std::uint64_t at_ms = 0; ///< milliseconds since the simulator started
    hal::SmsSegment segment;
};

class SmsCenter final : public hal::Sms {
public:
    void set_listener(hal::SmsListener* listener) override { listener_ = listener; }
    bool send(const hal::SmsSegment& segment) override;

    /// Everything sent so far, in order.
    const std::vector<SentSms>& outbox() const { return outbox_; }

private:
    hal::SmsListener* listener_ = nullptr;
    std::vector<SentSms> outbox_;
};

} // namespace dtu::hal_sim
